// Tests of services/domain/risk_id.h: M3 risk ids.
#include "services/domain/risk_id.h"

#include <cstdint>
#include <string>

#include "gtest/gtest.h"

namespace riskledger {
namespace domain {
namespace {

struct FormatCase {
  int year;
  int64_t sequence;
  const char* expected;
};

TEST(FormatRiskIdTest, PadsToFourDigitsAndWidensWhenNeeded) {
  const FormatCase kCases[] = {
      {2026, 42, "R-2026-0042"},
      {2026, 1, "R-2026-0001"},
      {2026, 0, "R-2026-0000"},
      {2026, 9999, "R-2026-9999"},
      {2026, 10000, "R-2026-10000"},
      {1999, 123456, "R-1999-123456"},
      {2026, int64_t{12345678901}, "R-2026-12345678901"},
  };
  for (const FormatCase& c : kCases) {
    const std::string id = FormatRiskId(c.year, c.sequence);
    EXPECT_EQ(id, c.expected);
    EXPECT_TRUE(IsValidRiskId(id)) << id;
  }
}

TEST(IsValidRiskIdTest, Accepts) {
  for (const char* id : {"R-2026-0042", "R-0000-0000", "R-2026-10000",
                         "R-2026-99999999", "R-2026-999999999999999999"}) {
    EXPECT_TRUE(IsValidRiskId(id)) << id;
  }
}

TEST(IsValidRiskIdTest, Rejects) {
  for (const char* id : {
           "",              // empty
           "R-",            // no year
           "R-2026",        // no sequence
           "R-2026-",       // empty sequence
           "R-2026-042",    // sequence too short
           "R-26-0042",     // two-digit year
           "R-20261-0042",  // five-digit year
           "r-2026-0042",   // lower-case prefix
           "X-2026-0042",   // wrong prefix
           "R_2026_0042",   // wrong separators
           "R-2026-00a2",   // non-digit
           "R-2026-0042 ",  // trailing space
           " R-2026-0042",  // leading space
           "R-2026-00042",  // non-canonical padding
           "R-2026--042",   // sign
           "R-2026-+042",   // sign
           // More than 18 sequence digits would not fit int64_t (and once
           // made RiskIdSortKey throw std::length_error).
           "R-2026-1000000000000000000",
           "R-2026-12345678901234567890",
       }) {
    EXPECT_FALSE(IsValidRiskId(id)) << "\"" << id << "\"";
  }
}

TEST(RiskIdSortKeyTest, OrdersIdsNumericallyByYearThenSequence) {
  EXPECT_EQ(RiskIdSortKey("R-2026-0042"), "R-2026-0000000000000000042");
  EXPECT_LT(RiskIdSortKey("R-2026-9999"), RiskIdSortKey("R-2026-10000"));
  EXPECT_LT(RiskIdSortKey("R-2025-123456"), RiskIdSortKey("R-2026-0001"));
  EXPECT_EQ(RiskIdSortKey("not-an-id"), "not-an-id");
}

TEST(RiskIdSortKeyTest, OverlongSequencesAreNotIdsAndDoNotThrow) {
  const std::string overlong = "R-2026-" + std::string(40, '9');
  EXPECT_EQ(RiskIdSortKey(overlong), overlong);
  EXPECT_LT(RiskIdSortKey("R-2026-99999999999999999"),
            RiskIdSortKey("R-2026-999999999999999999"));
}

}  // namespace
}  // namespace domain
}  // namespace riskledger
