// VerifyChain: walks the log once, recomputing every hash.
#include "storage/chain_verifier.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/base/status_macros.h"
#include "storage/event_codec.h"

namespace riskledger::storage {
namespace {

constexpr size_t kVerifyChunk = 1000;

absl::Status Broken(int64_t position, absl::string_view what) {
  return absl::DataLossError(
      absl::StrCat("hash chain broken at log position ", position, ": ", what));
}

}  // namespace

absl::StatusOr<ChainHead> VerifyChain(EventStore& store) {
  ChainHead head{0, GenesisHash()};
  std::map<std::string, int64_t> stream_versions;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<EventEnvelope> events,
                     store.ReadAll(head.position + 1, kVerifyChunk));
    if (events.empty()) break;
    for (const EventEnvelope& event : events) {
      if (event.position != head.position + 1) {
        return Broken(head.position + 1,
                      absl::StrCat("next entry has position ", event.position));
      }
      if (event.prev_hash != head.hash) {
        return Broken(event.position,
                      "prev_hash differs from the previous hash");
      }
      if (event.hash != ComputeEventHash(event)) {
        return Broken(event.position,
                      "stored hash differs from the content's hash");
      }
      int64_t& version = stream_versions[event.stream_id];
      if (event.stream_version != version + 1) {
        return Broken(
            event.position,
            absl::StrCat("stream ", event.stream_id, " jumps from version ",
                         version, " to ", event.stream_version));
      }
      version = event.stream_version;
      head = {event.position, event.hash};
    }
  }
  return head;
}

}  // namespace riskledger::storage
