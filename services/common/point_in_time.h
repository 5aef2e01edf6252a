// Point-in-time reads (M14): the read models as they were after a given log
// position, derived on demand from the log by the process's registry (the
// same evolve and projectors as the live path and the rebuild), so that a
// read "as of" a point returns exactly what a read returned then.
#ifndef RISKLEDGER_SERVICES_COMMON_POINT_IN_TIME_H_
#define RISKLEDGER_SERVICES_COMMON_POINT_IN_TIME_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "riskledger/v1/common.pb.h"
#include "services/base/status_details.h"
#include "services/common/event_registry.h"
#include "storage/event_store.h"
#include "storage/memory_projections.h"

namespace riskledger {

// Records violations of `field` (a request's as_of): neither point set, a
// log_position below 1, an invalid time.
void CheckAsOf(FieldViolationCollector& violations, absl::string_view field,
               const v1::AsOf& as_of);

// The log position a valid `as_of` names: its log_position (OUT_OF_RANGE
// beyond the log), or the last position recorded at or before its time
// (binary search over the log; 0 when the log starts later).
absl::StatusOr<int64_t> ResolveAsOf(storage::EventStore& store,
                                    const v1::AsOf& as_of,
                                    absl::string_view field);

// The projections of one stream after `position`: its events up to there
// applied in order (enough for a read model fed by its own stream only).
absl::StatusOr<std::unique_ptr<storage::MemoryProjections>> ReplayStream(
    storage::EventStore& store, const EventRegistry& registry,
    const std::string& stream, int64_t position);

// The projections of every stream under `stream_prefix` (a tenant's
// "tenants/{t}/") after `position`: the log read from its start, each of
// the tenant's entries applied in order. Keeps the last one it built, so
// that paging through a point-in-time list replays the log once. Holds at
// most one replay in memory; thread-safe.
class TenantReplays {
 public:
  TenantReplays(storage::EventStore& store, const EventRegistry& registry)
      : store_(store), registry_(registry) {}

  absl::StatusOr<std::shared_ptr<storage::MemoryProjections>> At(
      const std::string& stream_prefix, int64_t position)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  storage::EventStore& store_;
  const EventRegistry& registry_;
  // One replay at a time: each reads the log from its start.
  absl::Mutex mu_;
  std::string cached_prefix_ ABSL_GUARDED_BY(mu_);
  int64_t cached_position_ ABSL_GUARDED_BY(mu_) = -1;
  std::shared_ptr<storage::MemoryProjections> cached_ ABSL_GUARDED_BY(mu_);
};

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_POINT_IN_TIME_H_
