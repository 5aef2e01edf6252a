#include "clients/verify/evidence_bundle.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace riskledger::verify {

std::string FrameRecord(const v1::EvidenceRecord& record) {
  std::string body = record.SerializeAsString();
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.WriteVarint64(body.size());
  }
  out += body;
  return out;
}

absl::StatusOr<std::vector<v1::EvidenceRecord>> ParseBundle(
    absl::string_view bytes) {
  std::vector<v1::EvidenceRecord> records;
  size_t offset = 0;
  while (offset < bytes.size()) {
    const size_t number = records.size() + 1;
    google::protobuf::io::CodedInputStream coded(
        reinterpret_cast<const uint8_t*>(bytes.data() + offset),
        static_cast<int>(std::min(bytes.size() - offset, size_t{10})));
    uint64_t length = 0;
    if (!coded.ReadVarint64(&length)) {
      return absl::DataLossError(absl::StrCat(
          "record ", number, " at byte ", offset, ": malformed length"));
    }
    const size_t header = static_cast<size_t>(coded.CurrentPosition());
    if (length > kMaxRecordBytes ||
        length > bytes.size() - offset - header) {
      return absl::DataLossError(absl::StrCat(
          "record ", number, " at byte ", offset, ": length ", length,
          " runs past the end of the bundle or the record limit"));
    }
    v1::EvidenceRecord record;
    if (!record.ParseFromArray(bytes.data() + offset + header,
                               static_cast<int>(length))) {
      return absl::DataLossError(absl::StrCat(
          "record ", number, " at byte ", offset, ": does not parse"));
    }
    records.push_back(std::move(record));
    offset += header + length;
  }
  return records;
}

}  // namespace riskledger::verify
