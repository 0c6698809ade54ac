#include "cnb/config_table.h"

#include <algorithm>

#include "base/strings.h"
#include "base/url.h"

namespace bp {

namespace {

std::string Pad(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string Section(const std::string& title, const std::vector<const Configuration*>& settings,
                    const Env& env) {
  if (settings.empty()) return "";
  size_t name_width = 0;
  size_t value_width = 0;
  std::vector<std::string> values;
  for (const Configuration* c : settings) {
    // Launch settings take effect in the running container; at build time only defaults matter.
    std::string value =
        c->build ? env.GetSetting(c->name).value_or(c->default_value) : c->default_value;
    value = RedactUrl(value);
    if (value.size() > 60) value = value.substr(0, 57) + "...";
    name_width = std::max(name_width, c->name.size() + 1);
    value_width = std::max(value_width, value.size());
    values.push_back(value);
  }
  std::string text = title + "\n";
  for (size_t i = 0; i < settings.size(); ++i) {
    text += "  " + Pad("$" + settings[i]->name, name_width) + "  " + Pad(values[i], value_width) +
            "  " + settings[i]->description + "\n";
  }
  return text;
}

}  // namespace

std::string ConfigurationTable(const std::vector<Configuration>& configurations, const Env& env) {
  std::vector<const Configuration*> build;
  std::vector<const Configuration*> launch;
  for (const Configuration& c : configurations) (c.launch ? launch : build).push_back(&c);
  std::string table = Section("Build Configuration:", build, env);
  const std::string launch_section = Section("Launch Configuration:", launch, env);
  if (!table.empty() && !launch_section.empty()) table += "\n";
  table += launch_section;
  while (!table.empty() && table.back() == '\n') table.pop_back();
  return table;
}

}  // namespace bp
