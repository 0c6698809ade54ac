#include "cnb/launch_toml.h"

#include "base/toml_fields.h"

namespace bp {

Process EtcdProxyProcess() { return Process{"etcd-proxy", {"etcd-proxy"}, {}, false}; }

std::string LaunchToml(const std::vector<Process>& processes) {
  toml::array list;
  for (const Process& process : processes) {
    toml::array command;
    for (const std::string& part : process.command) command.push_back(part);
    toml::array args;
    for (const std::string& arg : process.args) args.push_back(arg);
    list.push_back(toml::table{
        {"type", process.type},
        {"command", std::move(command)},
        {"args", std::move(args)},
        {"default", process.is_default},
    });
  }
  return ToTomlText(toml::table{{"processes", std::move(list)}});
}

}  // namespace bp
