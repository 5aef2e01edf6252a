// Tests of etag parsing and the stale-etag check (AIP-154).
#include "services/common/etag.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/base/status_details.h"

namespace riskledger {
namespace {

TEST(EtagTest, FormatsAndParsesStreamVersions) {
  EXPECT_EQ(FormatEtag(7), "7");
  absl::StatusOr<int64_t> version = ParseEtag(FormatEtag(123), "etag");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 123);
}

// " 5" and "+5" were once reported as stale (ABORTED): a client would
// re-read and retry forever with the same malformed etag.
TEST(EtagTest, NonCanonicalEtagsAreMalformedNotStale) {
  for (const std::string& bad : std::vector<std::string>{
           " 5", "+5", "05", "5 ", "0", "-1", "x", "99999999999999999999",
        // Split so that the hex escape ends before the "f".
        std::string("1\x1e") + "f\x1fx"}) {
    absl::Status status = CheckEtag(bad, "risk.etag", "5");
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    ASSERT_EQ(FieldViolationsOf(status).size(), 1u) << bad;
    EXPECT_EQ(FieldViolationsOf(status)[0].field, "risk.etag");
  }
}

TEST(EtagTest, EmptyOrCurrentPassesAndOtherVersionsAreStale) {
  EXPECT_TRUE(CheckEtag("", "etag", "5").ok());
  EXPECT_TRUE(CheckEtag("5", "etag", "5").ok());
  EXPECT_EQ(CheckEtag("4", "etag", "5").code(), absl::StatusCode::kAborted);
}

}  // namespace
}  // namespace riskledger
