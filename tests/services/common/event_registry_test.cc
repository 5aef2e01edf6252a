// The event registry: versioned type names, decoding, the upcaster seam for
// entries stored in an older form, and the one Apply every path uses.
#include "services/common/event_registry.h"

#include <memory>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "riskledger/events/v1/assessment_events.pb.h"
#include "services/domain/risk_id_sequence.h"
#include "storage/rocksdb_event_store.h"
#include "tests/testing/temp_dir.h"

namespace riskledger {
namespace {

namespace ev = events::v1;

class EventRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_.AddAggregate<domain::RiskIdSequenceAggregate>();
    auto store = storage::RocksDbEventStore::Open({dir_.Sub("db"), true});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  testing::TempDir dir_;
  EventRegistry registry_;
  std::unique_ptr<storage::RocksDbEventStore> store_;
};

TEST_F(EventRegistryTest, TypesAreFullyQualifiedAndVersioned) {
  EXPECT_EQ(EventTypeOf<ev::RiskIdAssigned>(),
            "riskledger.events.v1.RiskIdAssigned");
  EXPECT_EQ(registry_.size(), 1u);
  ev::RiskIdAssigned assigned;
  assigned.set_risk_id("R-2026-0007");
  auto decoded = registry_.Decode("riskledger.events.v1.RiskIdAssigned",
                                  assigned.SerializeAsString());
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->type, "riskledger.events.v1.RiskIdAssigned");
  EXPECT_EQ(static_cast<const ev::RiskIdAssigned&>(*decoded->message).risk_id(),
            "R-2026-0007");
}

TEST_F(EventRegistryTest, UnknownTypesAndBadPayloadsAreDataLoss) {
  EXPECT_EQ(registry_.Decode("RiskIdAssigned", "").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(registry_.Decode("riskledger.events.v1.RiskIdAssigned", "\xff")
                .status()
                .code(),
            absl::StatusCode::kDataLoss);
}

// The seam for a future version: an entry stored under an older type is
// rewritten by its upcaster when read, and then evolves state and read
// models exactly like a current one (so a rebuild reads old logs).
TEST_F(EventRegistryTest, UpcasterReadsAnOlderStoredForm) {
  registry_.AddUpcaster(
      "riskledger.events.v0.RiskIdTaken",
      [](absl::string_view payload)
          -> absl::StatusOr<std::pair<std::string, std::string>> {
        // v0 stored the bare id as the payload.
        ev::RiskIdAssigned assigned;
        assigned.set_risk_id(std::string(payload));
        return std::make_pair(EventTypeOf<ev::RiskIdAssigned>(),
                              assigned.SerializeAsString());
      });
  auto decoded =
      registry_.Decode("riskledger.events.v0.RiskIdTaken", "R-2025-0042");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->type, EventTypeOf<ev::RiskIdAssigned>());
  EXPECT_EQ(static_cast<const ev::RiskIdAssigned&>(*decoded->message).risk_id(),
            "R-2025-0042");

  storage::StagedProjection view(*store_);
  storage::EventEnvelope old_entry;
  old_entry.stream_id = "tenants/t/riskIdSequences/2025";
  old_entry.stream_version = 1;
  old_entry.type = "riskledger.events.v0.RiskIdTaken";
  old_entry.payload = "R-2025-0042";
  ASSERT_TRUE(registry_.Apply(old_entry, view).ok());
  domain::Current<domain::RiskIdSequenceAggregate::State> parsed;
  auto state = ReadSnapshot(view, old_entry.stream_id, parsed);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ((*state)->version, 1);
  EXPECT_EQ((*state)->state.taken(), 1);
}

TEST_F(EventRegistryTest, UpcasterCycleIsDataLossNotALoop) {
  auto to = [](const std::string& type) {
    return [type](absl::string_view payload)
               -> absl::StatusOr<std::pair<std::string, std::string>> {
      return std::make_pair(type, std::string(payload));
    };
  };
  registry_.AddUpcaster("a", to("b"));
  registry_.AddUpcaster("b", to("a"));
  EXPECT_EQ(registry_.Decode("a", "").status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace riskledger
