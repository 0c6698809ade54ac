#include "cf/cf_stack.h"

#include <algorithm>

#include "base/strings.h"

namespace bp {

Status CheckCfStack(const BuildpackDescriptor& descriptor, std::string_view stack) {
  const std::vector<std::string>& stacks = descriptor.cf_stacks;
  if (stack.empty() || stacks.empty() ||
      std::find(stacks.begin(), stacks.end(), stack) != stacks.end())
    return Ok();
  return MakeError(
      ErrorKind::kInvalidInput,
      "stack not supported by buildpack: required stack " + std::string(stack) + " was not found",
      "this buildpack supports " + Join(stacks, ", ") +
          " ([metadata] cf-stacks in buildpack.toml)");
}

}  // namespace bp
