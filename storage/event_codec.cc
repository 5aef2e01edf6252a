// Encodes and decodes log entries; computes their SHA-256 chain hashes.
#include "storage/event_codec.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace riskledger::storage {
namespace {

// Format version tag; a reader rejects anything else.
constexpr absl::string_view kMagic = "RLE2";

void PutU32(std::string* out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

void PutU64(std::string* out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

void PutString(std::string* out, absl::string_view value) {
  PutU32(out, static_cast<uint32_t>(value.size()));
  out->append(value.data(), value.size());
}

// Reads fields front to back; any short read marks the input malformed.
class Reader {
 public:
  explicit Reader(absl::string_view input) : input_(input) {}

  uint64_t U64() {
    if (input_.size() < 8) return Fail();
    uint64_t value = DecodeKeyU64(input_.substr(0, 8));
    input_.remove_prefix(8);
    return value;
  }
  uint32_t U32() {
    if (input_.size() < 4) return Fail();
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      value = (value << 8) | static_cast<unsigned char>(input_[i]);
    }
    input_.remove_prefix(4);
    return value;
  }
  std::string String() {
    uint32_t size = U32();
    return Bytes(size);
  }
  std::string Bytes(size_t size) {
    if (!ok_ || input_.size() < size) {
      Fail();
      return std::string();
    }
    std::string value(input_.substr(0, size));
    input_.remove_prefix(size);
    return value;
  }
  bool ok() const { return ok_; }
  bool done() const { return input_.empty(); }

 private:
  uint32_t Fail() {
    ok_ = false;
    input_ = absl::string_view();
    return 0;
  }
  absl::string_view input_;
  bool ok_ = true;
};

}  // namespace

const std::string& GenesisHash() {
  static const std::string* const kGenesis = new std::string(kHashSize, '\0');
  return *kGenesis;
}

std::string ToHex(absl::string_view bytes) {
  return absl::BytesToHexString(bytes);
}

std::string EncodeEventBody(const EventEnvelope& event) {
  std::string out;
  out.reserve(128 + event.payload.size() + event.justification.size());
  out.append(kMagic.data(), kMagic.size());
  PutU64(&out, static_cast<uint64_t>(event.position));
  PutString(&out, event.stream_id);
  PutU64(&out, static_cast<uint64_t>(event.stream_version));
  PutString(&out, event.type);
  PutU64(&out, static_cast<uint64_t>(absl::ToUnixMicros(event.time)));
  PutString(&out, event.principal);
  PutString(&out, event.peer);
  PutString(&out, event.method);
  PutString(&out, event.request_id);
  PutString(&out, event.request_digest);
  PutString(&out, event.response_digest);
  PutString(&out, event.result);
  PutString(&out, event.justification);
  PutString(&out, event.payload);
  out.append(event.prev_hash);
  return out;
}

std::string ResponseDigest(absl::string_view method,
                           absl::string_view canonical_response) {
  return ToHex(Sha256(absl::StrCat(method, "\n", canonical_response)));
}

std::string ComputeEventHash(const EventEnvelope& event) {
  return Sha256(EncodeEventBody(event));
}

std::string EncodeEvent(const EventEnvelope& event) {
  return absl::StrCat(EncodeEventBody(event), event.hash);
}

absl::StatusOr<EventEnvelope> DecodeEvent(absl::string_view value) {
  Reader reader(value);
  const std::string tag = reader.Bytes(kMagic.size());
  if (tag == "RLE1") {
    // Written before entries recorded their response digest; no production
    // log holds such entries (EVENT_FORMAT.md), so there is no migration.
    return absl::DataLossError(
        "log entry has format RLE1 (a development version before response "
        "digests); this build reads RLE2 only");
  }
  if (tag != kMagic) {
    return absl::DataLossError("log entry has an unknown format tag");
  }
  EventEnvelope event;
  event.position = static_cast<int64_t>(reader.U64());
  event.stream_id = reader.String();
  event.stream_version = static_cast<int64_t>(reader.U64());
  event.type = reader.String();
  event.time = absl::FromUnixMicros(static_cast<int64_t>(reader.U64()));
  event.principal = reader.String();
  event.peer = reader.String();
  event.method = reader.String();
  event.request_id = reader.String();
  event.request_digest = reader.String();
  event.response_digest = reader.String();
  event.result = reader.String();
  event.justification = reader.String();
  event.payload = reader.String();
  event.prev_hash = reader.Bytes(kHashSize);
  event.hash = reader.Bytes(kHashSize);
  if (!reader.ok() || !reader.done()) {
    return absl::DataLossError("log entry is truncated or has trailing bytes");
  }
  return event;
}

std::string EncodeIdempotencyRecord(const IdempotencyRecord& record) {
  std::string out;
  PutString(&out, record.request_digest);
  PutString(&out, record.response);
  PutU64(&out, static_cast<uint64_t>(record.first_position));
  PutU64(&out, static_cast<uint64_t>(record.last_position));
  return out;
}

absl::StatusOr<IdempotencyRecord> DecodeIdempotencyRecord(
    absl::string_view value) {
  Reader reader(value);
  IdempotencyRecord record;
  record.request_digest = reader.String();
  record.response = reader.String();
  record.first_position = static_cast<int64_t>(reader.U64());
  record.last_position = static_cast<int64_t>(reader.U64());
  if (!reader.ok() || !reader.done()) {
    return absl::DataLossError("idempotency record is malformed");
  }
  return record;
}

std::string EncodeKeyU64(uint64_t value) {
  std::string out;
  PutU64(&out, value);
  return out;
}

uint64_t DecodeKeyU64(absl::string_view bytes) {
  uint64_t value = 0;
  for (size_t i = 0; i < 8 && i < bytes.size(); ++i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return value;
}

}  // namespace riskledger::storage
