// Tests of the documented field limits.
#include "services/common/field_checks.h"

#include "gtest/gtest.h"

namespace riskledger {
namespace {

std::vector<std::string> Fields(const FieldViolationCollector& violations) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(violations.ToStatus())) {
    fields.push_back(v.field);
  }
  return fields;
}

TEST(FieldChecksTest, LengthCountsCharactersNotBytes) {
  FieldViolationCollector violations;
  CheckLength(violations, "a", std::string(200, 'x'), kMaxShortText);
  // 200 two-byte characters are still 200 characters.
  std::string umlauts;
  for (int i = 0; i < 200; ++i) umlauts += "\xc3\xa4";
  CheckLength(violations, "b", umlauts, kMaxShortText);
  EXPECT_TRUE(violations.empty());
  CheckLength(violations, "c", std::string(201, 'x'), kMaxShortText);
  CheckLength(violations, "d", "\xff", kMaxShortText);
  EXPECT_EQ(Fields(violations), (std::vector<std::string>{"c", "d"}));
}

TEST(FieldChecksTest, RequiredTextRejectsBlank) {
  FieldViolationCollector violations;
  CheckRequiredText(violations, "owner", "  \t", kMaxShortText);
  CheckRequiredText(violations, "ok", "alice", kMaxShortText);
  EXPECT_EQ(Fields(violations), (std::vector<std::string>{"owner"}));
}

bool ValidSmallEnum(int value) { return value >= 0 && value <= 2; }

TEST(FieldChecksTest, EnumsMustBeKnownAndSetWhenRequired) {
  FieldViolationCollector violations;
  CheckEnum(violations, "known", 2, ValidSmallEnum, true);
  CheckEnum(violations, "optional_unset", 0, ValidSmallEnum, false);
  EXPECT_TRUE(violations.empty());
  CheckEnum(violations, "unknown", 9, ValidSmallEnum, false);
  CheckEnum(violations, "required_unset", 0, ValidSmallEnum, true);
  EXPECT_EQ(Fields(violations),
            (std::vector<std::string>{"unknown", "required_unset"}));
}

TEST(FieldChecksTest, RequestIdIsPrintableAndBounded) {
  FieldViolationCollector violations;
  CheckRequestId(violations, "4f8a-11ee");
  CheckRequestId(violations, "");
  EXPECT_TRUE(violations.empty());
  CheckRequestId(violations, "has space");
  CheckRequestId(violations, std::string(kMaxRequestId + 1, 'a'));
  EXPECT_EQ(Fields(violations),
            (std::vector<std::string>{"request_id", "request_id"}));
}

TEST(FieldChecksTest, CountLimitsRepeatedFields) {
  FieldViolationCollector violations;
  EntriesToCheck(violations, "components", kMaxRepeated);
  EXPECT_TRUE(violations.empty());
  EntriesToCheck(violations, "components", kMaxRepeated + 1);
  EXPECT_EQ(Fields(violations), (std::vector<std::string>{"components"}));
}

}  // namespace
}  // namespace riskledger
