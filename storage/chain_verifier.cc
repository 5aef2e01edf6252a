// ChainCheck and VerifyChain: one pass over the log, recomputing every hash.
#include "storage/chain_verifier.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/base/status_macros.h"
#include "storage/event_codec.h"

namespace riskledger::storage {
namespace {

constexpr size_t kVerifyChunk = 1000;

}  // namespace

absl::Status DamagedAt(int64_t position, absl::string_view what) {
  return absl::DataLossError(
      absl::StrCat("the log is damaged at position ", position, ": ", what));
}

ChainCheck::ChainCheck(ChainHead head, bool check_streams)
    : head_(std::move(head)), check_streams_(check_streams) {}

absl::Status ChainCheck::Next(const EventEnvelope& event,
                              absl::string_view stored) {
  return NextHashed(event,
                    stored.size() > kHashSize
                        ? Sha256(stored.substr(0, stored.size() - kHashSize))
                        : ComputeEventHash(event));
}

absl::Status ChainCheck::NextHashed(const EventEnvelope& event,
                                    absl::string_view body_hash) {
  if (event.position != head_.position + 1) {
    return DamagedAt(head_.position + 1,
                     absl::StrCat("missing (the next entry has position ",
                                  event.position, ")"));
  }
  if (event.prev_hash != head_.hash) {
    return DamagedAt(event.position,
                     "prev_hash differs from the previous hash");
  }
  if (event.hash != body_hash) {
    return DamagedAt(event.position,
                     "its hash differs from its content's hash");
  }
  if (check_streams_) {
    int64_t& version = stream_versions_[event.stream_id];
    if (event.stream_version != version + 1) {
      return DamagedAt(event.position,
                       absl::StrCat("stream ", event.stream_id,
                                    " jumps from version ", version, " to ",
                                    event.stream_version));
    }
    version = event.stream_version;
  }
  head_ = {event.position, event.hash};
  return absl::OkStatus();
}

absl::StatusOr<ChainHead> VerifyChain(EventStore& store) {
  ChainCheck chain(ChainHead{0, GenesisHash()}, /*check_streams=*/true);
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<EventEnvelope> events,
                     store.ReadAll(chain.head().position + 1, kVerifyChunk));
    if (events.empty()) break;
    for (const EventEnvelope& event : events) {
      RETURN_IF_ERROR(chain.Next(event));
    }
  }
  return chain.head();
}

}  // namespace riskledger::storage
