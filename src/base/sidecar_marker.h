// How the helper layer's exec.d program learns that the launcher is starting the etcd-proxy
// process: the CNB launcher tells exec.d nothing about the process type, but it applies
// <layer>/env.launch/<type>/ before exec.d runs, so the build writes this variable into
// <helper layer>/env.launch/etcd-proxy/ (src/cnb/build.cc) and exec.d reads it
// (src/launch/exec_d.cc). BPI_ is Paketo's prefix for buildpack-internal variables.
#pragma once

namespace bp {

inline constexpr char kProcessTypeMarker[] = "BPI_ETCD_PROXY_PROCESS_TYPE";
inline constexpr char kSidecarProcessType[] = "etcd-proxy";

// The name of the helper layer's exec.d program. The launcher (buildpacks/lifecycle
// launch/launcher.go, doLayerExecD) runs <layer>/exec.d/* for every process and then
// <layer>/exec.d/<type>/* for the process of that type, and fails the launch (exit 82) when that
// path exists but is not a directory. Process types are made of [A-Za-z0-9._-] only, so a '+' in
// the name means no process type, ours or an app's, can ever name this file.
inline constexpr char kExecDProgram[] = "etcd-proxy+app";

// True when `name` could be a process type (buildpack spec: launch.toml types match
// ^[A-Za-z0-9._-]+$), so a file of that name in exec.d/ or env.launch/ would break that process.
inline constexpr bool CouldBeProcessType(const char* name) {
  if (*name == '\0') return false;
  for (; *name != '\0'; ++name) {
    const char c = *name;
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}
static_assert(!CouldBeProcessType(kExecDProgram),
              "the exec.d program must not be nameable as a process type");

}  // namespace bp
