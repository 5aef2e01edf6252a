// Byte encoding of log entries and their SHA-256 chain
// (storage/EVENT_FORMAT.md).
#ifndef RISKLEDGER_STORAGE_EVENT_CODEC_H_
#define RISKLEDGER_STORAGE_EVENT_CODEC_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/audit/sha256.h"
#include "storage/event_store.h"

namespace riskledger::storage {

using audit::kHashSize;
using audit::Sha256;

// The prev_hash of the first entry: 32 zero bytes.
const std::string& GenesisHash();

// Lower-case hex of `bytes`.
std::string ToHex(absl::string_view bytes);

// The hashed part of an entry: every field but `hash`, prev_hash last.
std::string EncodeEventBody(const EventEnvelope& event);

// SHA-256 of EncodeEventBody(event): the entry's hash.
std::string ComputeEventHash(const EventEnvelope& event);

// The stored value: EncodeEventBody(event) followed by event.hash.
std::string EncodeEvent(const EventEnvelope& event);

// Parses a stored value. DATA_LOSS when it is malformed (it never checks the
// hash: see VerifyChain for that).
absl::StatusOr<EventEnvelope> DecodeEvent(absl::string_view value);

// Lower-case hex SHA-256 of `method`, a newline and the canonical encoding
// of the response the method returned (EVENT_FORMAT.md "Response digest").
std::string ResponseDigest(absl::string_view method,
                           absl::string_view canonical_response);

// The idempotency record of one request (column family "idempotency").
struct IdempotencyRecord {
  std::string request_digest;
  std::string response;
  int64_t first_position = 0;
  int64_t last_position = 0;
};
std::string EncodeIdempotencyRecord(const IdempotencyRecord& record);
absl::StatusOr<IdempotencyRecord> DecodeIdempotencyRecord(
    absl::string_view value);

// Big-endian fixed-width integer keys, whose byte order is numeric order.
std::string EncodeKeyU64(uint64_t value);
uint64_t DecodeKeyU64(absl::string_view bytes);

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_EVENT_CODEC_H_
