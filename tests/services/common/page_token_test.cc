// Tests of page sizes and query-bound page tokens (AIP-158).
#include "services/common/page_token.h"

#include "gtest/gtest.h"

namespace riskledger {
namespace {

TEST(PageTokenTest, RoundTripsTheResumeKeyForTheSameQuery) {
  std::string key("risk|tenants/t/risks/R-2026-0001\0\xff", 34);
  std::string token = EncodePageToken("risks|tenants/t||priority", key);
  absl::StatusOr<std::string> decoded =
      DecodePageToken(token, "risks|tenants/t||priority");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, key);
}

TEST(PageTokenTest, EmptyTokenMeansFirstPage) {
  absl::StatusOr<std::string> decoded = DecodePageToken("", "q");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, "");
}

TEST(PageTokenTest, RejectsTokensOfAnotherQueryOrGarbage) {
  std::string token = EncodePageToken("risks|tenants/a||priority", "k");
  EXPECT_EQ(DecodePageToken(token, "risks|tenants/b||priority").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodePageToken("not base64!", "q").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodePageToken("YQ", "q").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PageTokenTest, PageSizeDefaultsClampsAndRejectsNegative) {
  FieldViolationCollector violations;
  EXPECT_EQ(EffectivePageSize(0, violations), kDefaultPageSize);
  EXPECT_EQ(EffectivePageSize(7, violations), 7);
  EXPECT_EQ(EffectivePageSize(kMaxPageSize + 1, violations), kMaxPageSize);
  EXPECT_TRUE(violations.empty());
  EffectivePageSize(-1, violations);
  EXPECT_EQ(FieldViolationsOf(violations.ToStatus())[0].field, "page_size");
}

}  // namespace
}  // namespace riskledger
