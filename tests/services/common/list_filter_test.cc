// Tests of the AIP-160 subset parser used by list methods.
#include "services/common/list_filter.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/base/status_details.h"

namespace riskledger {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

const std::set<std::string> kFields = {"owner", "band", "status", "asset"};

TEST(ListFilterTest, EmptyFilterMatchesEverything) {
  absl::StatusOr<EqualityFilter> filter = ParseEqualityFilter("", kFields);
  ASSERT_TRUE(filter.ok());
  EXPECT_TRUE(filter->empty());
}

TEST(ListFilterTest, ParsesQuotedAndBareValuesJoinedByAnd) {
  absl::StatusOr<EqualityFilter> filter = ParseEqualityFilter(
      R"(owner = "Alice \"A\" Smith" AND band=high)", kFields);
  ASSERT_TRUE(filter.ok()) << filter.status();
  EXPECT_THAT(*filter, ElementsAre(Pair("band", "high"),
                                   Pair("owner", "Alice \"A\" Smith")));
}

TEST(ListFilterTest, RejectsBadFiltersNamingTheFilterField) {
  for (const char* bad : {"owner", "owner =", "owner = \"x", "colour = red",
                          "owner = a OR band = b", "owner = a AND",
                          "owner = a AND owner = b", "= a", "owner = = a"}) {
    absl::StatusOr<EqualityFilter> filter = ParseEqualityFilter(bad, kFields);
    ASSERT_FALSE(filter.ok()) << bad;
    EXPECT_EQ(filter.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
    std::vector<FieldViolation> violations = FieldViolationsOf(filter.status());
    ASSERT_EQ(violations.size(), 1u) << bad;
    EXPECT_EQ(violations[0].field, "filter") << bad;
  }
}

}  // namespace
}  // namespace riskledger
