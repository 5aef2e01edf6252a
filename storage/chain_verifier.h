// The hash chain of the log (M14): every entry continues the one before it.
// One check, used entry by entry by VerifyChain here and by VerifyLog
// (log_verifier.h), which adds the Merkle tree and the checkpoints.
#ifndef RISKLEDGER_STORAGE_CHAIN_VERIFIER_H_
#define RISKLEDGER_STORAGE_CHAIN_VERIFIER_H_

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/event_store.h"

namespace riskledger::storage {

// DATA_LOSS "the log is damaged at position N: <what>".
absl::Status DamagedAt(int64_t position, absl::string_view what);

// Checks entries handed to it in log order, from the one after `head`: each
// has the next position, its prev_hash is the previous entry's hash, its
// hash is the SHA-256 of its body and (when `check_streams`, which needs the
// log from position 1) its stream's versions run 1, 2, 3 … without a gap or
// repeat. Not thread-safe.
class ChainCheck {
 public:
  explicit ChainCheck(ChainHead head, bool check_streams);

  // OK when `event` continues the chain (which then ends at it); DATA_LOSS
  // naming the first position that does not otherwise. `stored`, when
  // given, is the entry's stored bytes that `event` was decoded from: its
  // hash is then taken over them instead of over a re-encoding (the same
  // bytes, since decoding accepts exactly what encoding produces).
  absl::Status Next(const EventEnvelope& event, absl::string_view stored = {});

  // The same, with the SHA-256 of the entry's body (its stored bytes but
  // the trailing hash) computed by the caller, e.g. on another thread.
  absl::Status NextHashed(const EventEnvelope& event,
                          absl::string_view body_hash);

  const ChainHead& head() const { return head_; }

 private:
  ChainHead head_;
  const bool check_streams_;
  absl::flat_hash_map<std::string, int64_t> stream_versions_;
};

// Reads the log from position 1 through the EventStore interface and checks
// the chain (ChainCheck with streams). Returns the verified head; DATA_LOSS
// naming the first broken position otherwise. VerifyLog checks more (the
// tree, the checkpoints) where the store is an AuditLog.
absl::StatusOr<ChainHead> VerifyChain(EventStore& store);

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_CHAIN_VERIFIER_H_
