// Tests of page sizes and keyed, query-bound page tokens (AIP-158).
#include "services/common/page_token.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace riskledger {
namespace {

const std::string kKey(kPageTokenKeyBytes, 'k');
const std::string kOtherKey(kPageTokenKeyBytes, 'o');
constexpr char kQuery[] = "risks|tenants/t||priority";

TEST(PageTokenTest, RoundTripsTheResumeKeyForTheSameQuery) {
  PageTokenCodec codec(kKey);
  std::string key("risk|tenants/t/risks/R-2026-0001\0\xff", 34);
  absl::StatusOr<std::string> decoded =
      codec.Decode(*codec.Encode(kQuery, key), kQuery);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, key);
}

TEST(PageTokenTest, EmptyTokenMeansFirstPage) {
  absl::StatusOr<std::string> decoded = PageTokenCodec(kKey).Decode("", "q");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, "");
}

TEST(PageTokenTest, RejectsTokensOfAnotherQueryOrGarbage) {
  PageTokenCodec codec(kKey);
  std::string token = *codec.Encode("risks|tenants/a||priority", "k");
  EXPECT_EQ(codec.Decode(token, "risks|tenants/b||priority").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(codec.Decode("not base64!", "q").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(codec.Decode("YQ", "q").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(codec.Decode(std::string(kMaxPageTokenLength + 1, 'A'), "q")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

// A client knows the token layout (it is documented) but not the key: a
// token for a resume key of its choosing is refused, as is an altered one and
// one made under another server's key.
TEST(PageTokenTest, RefusesForgedAlteredAndForeignTokens) {
  PageTokenCodec codec(kKey);
  std::string raw;
  ASSERT_TRUE(
      absl::WebSafeBase64Unescape(*codec.Encode(kQuery, "resume-a"), &raw));
  std::string forged = raw;
  forged.replace(1, 8, "resume-z");
  EXPECT_FALSE(codec.Decode(absl::WebSafeBase64Escape(forged), kQuery).ok());
  std::string flipped = raw;
  flipped.back() = static_cast<char>(flipped.back() ^ 1);
  EXPECT_FALSE(codec.Decode(absl::WebSafeBase64Escape(flipped), kQuery).ok());
  EXPECT_FALSE(
      codec
          .Decode(*PageTokenCodec(kOtherKey).Encode(kQuery, "resume-a"), kQuery)
          .ok());
  // The history token that once overflowed a signed integer.
  EXPECT_FALSE(codec
                   .Decode(absl::WebSafeBase64Escape(std::string("\x01") +
                                                     "9223372036854775807" +
                                                     std::string(16, '\0')),
                           "scoreHistory|tenants/t/risks/R-2026-0001")
                   .ok());
}

TEST(PageTokenTest, ResumeKeysUpToTheBoundRoundTripAndLongerOnesAreRefused) {
  PageTokenCodec codec(kKey);
  const std::string longest(kMaxResumeKeyBytes, '\xff');
  absl::StatusOr<std::string> token = codec.Encode(kQuery, longest);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_LE(token->size(), kMaxPageTokenLength);
  EXPECT_EQ(*codec.Decode(*token, kQuery), longest);
  EXPECT_EQ(codec.Encode(kQuery, longest + "x").status().code(),
            absl::StatusCode::kInternal);
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
