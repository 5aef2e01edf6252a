// The RFC 6962 proof vectors of the transparency-dev Merkle library
// (testdata/merkle, copied with its licence): the verifier accepts every
// positive case and rejects every negative one (M14).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "storage/audit/proof_verifier.h"

namespace riskledger::audit {
namespace {

namespace fs = std::filesystem;

struct Vector {
  std::string path;
  std::string text;
  google::protobuf::Struct fields;
};

std::vector<Vector> LoadVectors(const std::string& kind) {
  std::vector<Vector> vectors;
  for (const auto& entry : fs::recursive_directory_iterator(
           fs::path(RISKLEDGER_MERKLE_VECTORS) / kind)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream file(entry.path());
    std::stringstream text;
    text << file.rdbuf();
    Vector vector{entry.path().string(), text.str(), {}};
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(text.str(),
                                                            &vector.fields)
                    .ok())
        << vector.path;
    vectors.push_back(std::move(vector));
  }
  return vectors;
}

// Read from the text: a JSON number in a Struct is a double, which cannot
// hold the vectors' sizes near 2^64 exactly.
uint64_t Number(const Vector& vector, const std::string& name) {
  const std::string key = absl::StrCat("\"", name, "\":");
  size_t at = vector.text.find(key);
  EXPECT_NE(at, std::string::npos) << vector.path << " " << name;
  at = vector.text.find_first_not_of(' ', at + key.size());
  const size_t end = vector.text.find_first_not_of("0123456789", at);
  uint64_t value = 0;
  EXPECT_TRUE(absl::SimpleAtoi(vector.text.substr(at, end - at), &value))
      << vector.path << " " << name;
  return value;
}

std::string Bytes(const Vector& vector, const std::string& name) {
  std::string bytes;
  EXPECT_TRUE(absl::Base64Unescape(
      vector.fields.fields().at(name).string_value(), &bytes))
      << vector.path << " " << name;
  return bytes;
}

std::vector<std::string> Proof(const Vector& vector) {
  std::vector<std::string> proof;
  auto it = vector.fields.fields().find("proof");
  if (it == vector.fields.fields().end()) return proof;  // JSON null
  for (const auto& value : it->second.list_value().values()) {
    std::string hash;
    EXPECT_TRUE(absl::Base64Unescape(value.string_value(), &hash));
    proof.push_back(hash);
  }
  return proof;
}

TEST(MerkleVectorsTest, InclusionProofsAreAcceptedExactlyWhenValid) {
  std::vector<Vector> vectors = LoadVectors("inclusion");
  ASSERT_GT(vectors.size(), 50U);
  int positive = 0;
  for (const Vector& vector : vectors) {
    const bool want_error = vector.fields.fields().at("wantErr").bool_value();
    absl::Status verified = VerifyInclusion(
        Number(vector, "leafIdx"), Number(vector, "treeSize"),
        Bytes(vector, "leafHash"), Proof(vector), Bytes(vector, "root"));
    EXPECT_EQ(verified.ok(), !want_error) << vector.path << ": " << verified;
    positive += want_error ? 0 : 1;
  }
  EXPECT_GT(positive, 0);
}

TEST(MerkleVectorsTest, ConsistencyProofsAreAcceptedExactlyWhenValid) {
  std::vector<Vector> vectors = LoadVectors("consistency");
  ASSERT_GT(vectors.size(), 50U);
  int positive = 0;
  for (const Vector& vector : vectors) {
    const bool want_error = vector.fields.fields().at("wantErr").bool_value();
    absl::Status verified = VerifyConsistency(
        Number(vector, "size1"), Number(vector, "size2"), Proof(vector),
        Bytes(vector, "root1"), Bytes(vector, "root2"));
    EXPECT_EQ(verified.ok(), !want_error) << vector.path << ": " << verified;
    positive += want_error ? 0 : 1;
  }
  EXPECT_GT(positive, 0);
}

}  // namespace
}  // namespace riskledger::audit
