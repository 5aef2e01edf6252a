// Tests of the one decimal parser of names, etags and page tokens.
#include "services/common/canonical_number.h"

#include <string>

#include "gtest/gtest.h"

namespace riskledger {
namespace {

TEST(ParseCanonicalPositiveTest, AcceptsOnlyTheCanonicalSpelling) {
  EXPECT_EQ(ParseCanonicalPositive("1"), 1);
  EXPECT_EQ(ParseCanonicalPositive("42"), 42);
  EXPECT_EQ(ParseCanonicalPositive(std::string(18, '9')), 999999999999999999);
  for (const std::string& bad :
       {std::string(""), std::string("0"), std::string("01"), std::string("+1"),
        std::string("-1"), std::string(" 1"), std::string("1 "),
        std::string("1\n"), std::string("1a"), std::string("0x1"),
        std::string("1e3"), std::string("1\0", 2), std::string(19, '1'),
        std::string("9223372036854775807"),
        std::string("99999999999999999999999")}) {
    EXPECT_FALSE(ParseCanonicalPositive(bad).has_value()) << "'" << bad << "'";
  }
}

}  // namespace
}  // namespace riskledger
