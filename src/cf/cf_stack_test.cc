#include "cf/cf_stack.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bp {
namespace {

using ::testing::HasSubstr;

TEST(CheckCfStackTest, OnlyTheListedStacksPass) {
  BuildpackDescriptor descriptor;
  descriptor.cf_stacks = {"cflinuxfs4", "cflinuxfs5"};
  EXPECT_TRUE(CheckCfStack(descriptor, "cflinuxfs4").ok());
  EXPECT_TRUE(CheckCfStack(descriptor, "cflinuxfs5").ok());
  EXPECT_TRUE(CheckCfStack(descriptor, "").ok());
  Status old = CheckCfStack(descriptor, "cflinuxfs3");
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(old.error().message,
            "stack not supported by buildpack: required stack cflinuxfs3 was not found");
  EXPECT_THAT(old.error().hint, HasSubstr("cflinuxfs4, cflinuxfs5"));
  descriptor.cf_stacks.clear();
  EXPECT_TRUE(CheckCfStack(descriptor, "anything").ok());
}

}  // namespace
}  // namespace bp
