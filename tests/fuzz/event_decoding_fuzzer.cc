// Fuzzes the decoding of stored log entries and idempotency records.
// Properties: decoding never crashes; whatever decodes re-encodes to exactly
// the bytes it was decoded from.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "storage/event_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace riskledger::storage;  // NOLINT(google-build-using-namespace)
  const std::string input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<EventEnvelope> event = DecodeEvent(input);
  if (event.ok()) {
    // Every field is read back exactly: the entry re-encodes to its input.
    if (EncodeEvent(*event) != input) std::abort();
  } else if (event.status().code() != absl::StatusCode::kDataLoss) {
    std::abort();
  }
  absl::StatusOr<IdempotencyRecord> record = DecodeIdempotencyRecord(input);
  if (record.ok()) {
    absl::StatusOr<IdempotencyRecord> again =
        DecodeIdempotencyRecord(EncodeIdempotencyRecord(*record));
    if (!again.ok()) std::abort();
  }
  (void)DecodeKeyU64(input);
  return 0;
}
