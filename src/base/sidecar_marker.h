// How the helper layer's exec.d program learns that the launcher is starting the etcd-proxy
// process: the CNB launcher tells exec.d nothing about the process type, but it applies
// <layer>/env.launch/<type>/ before exec.d runs, so the build writes this variable into
// <helper layer>/env.launch/etcd-proxy/ (src/cnb/build.cc) and exec.d reads it
// (src/proxy/exec_d.cc). BPI_ is Paketo's prefix for buildpack-internal variables.
#pragma once

namespace bp {

inline constexpr char kProcessTypeMarker[] = "BPI_ETCD_PROXY_PROCESS_TYPE";
inline constexpr char kSidecarProcessType[] = "etcd-proxy";

}  // namespace bp
