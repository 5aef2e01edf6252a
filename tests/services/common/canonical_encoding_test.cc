// The canonical encoding and the request digest built on it: pinned to the
// test vector of storage/EVENT_FORMAT.md (computed from the written rules,
// independently of this code), and independent of how the request's bytes
// arrived (field order, packing, unknown fields).
#include "services/common/canonical_encoding.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "riskledger/v1/assessment_service.pb.h"
#include "services/common/audit_context.h"

namespace riskledger {
namespace {

constexpr char kMethod[] = "/riskledger.v1.AssessmentService/AnalyseRisk";

// The request of the format file's test vector.
v1::AnalyseRiskRequest VectorRequest() {
  v1::AnalyseRiskRequest request;
  request.set_name("tenants/acme/risks/R-2026-0001");
  request.set_impact(4);
  request.set_likelihood(3);
  request.set_impact_rationale("payroll data");
  request.set_likelihood_rationale("seen twice");
  request.add_information_sources(
      v1::INFORMATION_SOURCE_INCIDENT_STATISTICS);
  request.add_information_sources(v1::INFORMATION_SOURCE_EXPERT_ASSESSMENT);
  request.set_etag("2");
  request.set_request_id("req-1");
  return request;
}

TEST(CanonicalEncodingTest, MatchesTheFormatFileTestVector) {
  EXPECT_EQ(absl::BytesToHexString(CanonicalEncoding(VectorRequest())),
            "0a1e74656e616e74732f61636d652f7269736b732f522d323032362d30303031"
            "10041803220c706179726f6c6c20646174612a0a7365656e2074776963653202"
            "01034201324a057265712d31");
}

TEST(CanonicalEncodingTest, RequestDigestIsPinned) {
  EXPECT_EQ(RequestDigest(kMethod, VectorRequest()),
            "5ad78f7b9a6dcecb9000eb8fcf78ac401d34e3677624bca32c4c41e93688bfbf");
}

TEST(CanonicalEncodingTest, FieldOrderPackingAndUnknownFieldsDoNotMatter) {
  // The same request as a client might send it: fields in reverse order,
  // information_sources unpacked, and an unknown field 99.
  std::string wire;
  auto put = [&](int number, const std::string& value) {
    wire.push_back(static_cast<char>(number << 3 | 2));
    wire.push_back(static_cast<char>(value.size()));
    wire += value;
  };
  put(9, "req-1");
  put(8, "2");
  wire += std::string("\x30\x03\x30\x01", 4);  // sources unpacked: 3, 1
  put(5, "seen twice");
  put(4, "payroll data");
  wire += std::string("\x18\x03\x10\x04", 4);
  put(1, "tenants/acme/risks/R-2026-0001");
  wire += std::string("\x98\x06\x07", 3);  // field 99, varint 7
  v1::AnalyseRiskRequest reordered;
  ASSERT_TRUE(reordered.ParseFromString(wire));
  // Repeated values keep their order: this request lists 3 before 1, so it
  // is a different request.
  EXPECT_NE(RequestDigest(kMethod, reordered),
            RequestDigest(kMethod, VectorRequest()));
  reordered.mutable_information_sources()->SwapElements(0, 1);
  EXPECT_EQ(CanonicalEncoding(reordered), CanonicalEncoding(VectorRequest()));
  EXPECT_EQ(RequestDigest(kMethod, reordered),
            RequestDigest(kMethod, VectorRequest()));
}

TEST(CanonicalEncodingTest, DigestCoversMethodAndEveryValue) {
  const std::string digest = RequestDigest(kMethod, VectorRequest());
  EXPECT_NE(RequestDigest("/riskledger.v1.AssessmentService/Other",
                          VectorRequest()),
            digest);
  v1::AnalyseRiskRequest changed = VectorRequest();
  changed.set_likelihood(4);
  EXPECT_NE(RequestDigest(kMethod, changed), digest);
  changed = VectorRequest();
  changed.set_uncertainty(" ");
  EXPECT_NE(RequestDigest(kMethod, changed), digest);
}

TEST(CanonicalEncodingTest, PresentEmptyMessageIsEncodedAbsentOneIsNot) {
  v1::CreateAssetRequest without;
  v1::CreateAssetRequest with_empty;
  with_empty.mutable_asset();
  EXPECT_EQ(CanonicalEncoding(without), "");
  EXPECT_EQ(CanonicalEncoding(with_empty), std::string("\x1a\x00", 2));
}

TEST(CanonicalEncodingTest, NegativeInt32IsSignExtendedToTenBytes) {
  v1::AnalyseRiskRequest request;
  request.set_impact(-1);
  EXPECT_EQ(absl::BytesToHexString(CanonicalEncoding(request)),
            "10ffffffffffffffffff01");
}

TEST(CanonicalEncodingTest, MapEntriesAreSortedByKey) {
  google::rpc::ErrorInfo ab;
  (*ab.mutable_metadata())["a"] = "1";
  (*ab.mutable_metadata())["b"] = "";
  google::rpc::ErrorInfo ba;
  (*ba.mutable_metadata())["b"] = "";
  (*ba.mutable_metadata())["a"] = "1";
  EXPECT_EQ(CanonicalEncoding(ab), CanonicalEncoding(ba));
  // Entry "b" keeps its empty value: key and value are always written.
  EXPECT_EQ(absl::BytesToHexString(CanonicalEncoding(ab)),
            "1a060a0161120131"
            "1a050a01621200");
}

// Today's request messages are encoded by protobuf's own deterministic
// serializer to the same bytes, so a client may use its library's encoder
// and check it against the vector; the server does not depend on that.
TEST(CanonicalEncodingTest, AgreesWithProtobufForTheVector) {
  std::string deterministic;
  {
    google::protobuf::io::StringOutputStream stream(&deterministic);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    ASSERT_TRUE(VectorRequest().SerializeToCodedStream(&coded));
  }
  EXPECT_EQ(CanonicalEncoding(VectorRequest()), deterministic);
}

}  // namespace
}  // namespace riskledger
