// CanonicalEncoding takes protobuf's serializer when it writes the same
// bytes as the reflection walk. For every message type of the API (and of
// the stored events and states), randomly filled messages — negative
// numbers, zero values with explicit presence, oneofs, repeated and nested
// fields, unknown fields — must encode identically both ways.
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/unknown_field_set.h"
#include "gtest/gtest.h"
#include "riskledger/events/v1/assessment_events.pb.h"
#include "riskledger/state/v1/assessment_state.pb.h"
#include "riskledger/v1/admin_service.pb.h"
#include "riskledger/v1/assessment_service.pb.h"
#include "riskledger/v1/audit_service.pb.h"
#include "services/common/canonical_encoding.h"

namespace riskledger {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr const char* kFiles[] = {
    "riskledger/v1/assessment_service.proto",
    "riskledger/v1/audit_service.proto",
    "riskledger/v1/admin_service.proto",
    "riskledger/v1/common.proto",
    "riskledger/v1/methodology.proto",
    "riskledger/events/v1/assessment_events.proto",
    "riskledger/state/v1/assessment_state.proto",
    // Maps and doubles, which the API has none of yet: the fast path must
    // leave them to the walk.
    "google/protobuf/struct.proto",
};

void AllTypes(const Descriptor& type, std::vector<const Descriptor*>& out) {
  if (type.options().map_entry()) return;
  out.push_back(&type);
  for (int i = 0; i < type.nested_type_count(); ++i) {
    AllTypes(*type.nested_type(i), out);
  }
}

class Filler {
 public:
  explicit Filler(uint32_t seed) : rng_(seed) {}

  void Fill(Message& message, int depth) {
    const Reflection& r = *message.GetReflection();
    const Descriptor& type = *message.GetDescriptor();
    for (int i = 0; i < type.field_count(); ++i) {
      const FieldDescriptor& field = *type.field(i);
      if (Chance(3)) continue;  // absent
      if (field.is_repeated()) {
        const int count = static_cast<int>(rng_() % 4);
        for (int j = 0; j < count; ++j) Add(message, r, field, depth);
      } else {
        Set(message, r, field, depth);
      }
    }
    if (Chance(5)) {
      r.MutableUnknownFields(&message)->AddVarint(9000 + depth, 7);
    }
  }

 private:
  bool Chance(int one_in) { return rng_() % one_in == 0; }
  int64_t Number() {
    switch (rng_() % 4) {
      case 0: return 0;  // a zero value, present or not by its presence
      case 1: return -static_cast<int64_t>(rng_() % 1000) - 1;
      case 2: return static_cast<int64_t>(rng_());
      default: return static_cast<int64_t>(rng_() % 300);
    }
  }
  double Double() {
    switch (rng_() % 4) {
      case 0: return -0.0;
      case 1: {  // a NaN other than the canonical one
        const uint64_t bits = 0x7ff0000000000001;
        double nan;
        std::memcpy(&nan, &bits, sizeof nan);
        return nan;
      }
      default: return static_cast<double>(Number()) / 7;
    }
  }
  std::string Text() {
    return Chance(4) ? std::string() : absl::StrCat("v", rng_() % 100000);
  }

  void Set(Message& m, const Reflection& r, const FieldDescriptor& f,
           int depth) {
    switch (f.cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        r.SetInt32(&m, &f, static_cast<int32_t>(Number()));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        r.SetInt64(&m, &f, Number());
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        r.SetUInt32(&m, &f, static_cast<uint32_t>(Number()));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        r.SetUInt64(&m, &f, static_cast<uint64_t>(Number()));
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        r.SetDouble(&m, &f, Double());
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        r.SetFloat(&m, &f, static_cast<float>(Number()) / 7);
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        r.SetBool(&m, &f, Chance(2));
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        r.SetEnumValue(&m, &f, static_cast<int>(rng_() % 4) - 1);
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        r.SetString(&m, &f, Text());
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (depth < 4) Fill(*r.MutableMessage(&m, &f), depth + 1);
        break;
    }
  }

  void Add(Message& m, const Reflection& r, const FieldDescriptor& f,
           int depth) {
    switch (f.cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        r.AddInt32(&m, &f, static_cast<int32_t>(Number()));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        r.AddInt64(&m, &f, Number());
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        r.AddUInt32(&m, &f, static_cast<uint32_t>(Number()));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        r.AddUInt64(&m, &f, static_cast<uint64_t>(Number()));
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        r.AddDouble(&m, &f, Double());
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        r.AddFloat(&m, &f, static_cast<float>(Number()) / 7);
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        r.AddBool(&m, &f, Chance(2));
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        r.AddEnumValue(&m, &f, static_cast<int>(rng_() % 4) - 1);
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        r.AddString(&m, &f, Text());
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (depth < 4) Fill(*r.AddMessage(&m, &f), depth + 1);
        break;
    }
  }

  std::mt19937 rng_;
};

TEST(CanonicalFastPathTest, EveryTypeEncodesAsTheReflectionWalkDoes) {
  // Keep the generated files linked in.
  (void)v1::Risk::descriptor();
  (void)v1::ExportEvidenceRequest::descriptor();
  (void)v1::CreateBackupRequest::descriptor();
  (void)events::v1::RiskAnalysed::descriptor();
  (void)state::v1::RiskState::descriptor();
  (void)google::protobuf::Struct::descriptor();
  std::vector<const Descriptor*> types;
  for (const char* name : kFiles) {
    const google::protobuf::FileDescriptor* file =
        google::protobuf::DescriptorPool::generated_pool()->FindFileByName(
            name);
    ASSERT_NE(file, nullptr) << name;
    for (int i = 0; i < file->message_type_count(); ++i) {
      AllTypes(*file->message_type(i), types);
    }
  }
  ASSERT_GT(types.size(), 50u);
  int compared = 0;
  for (const Descriptor* type : types) {
    const Message* prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(
            type);
    ASSERT_NE(prototype, nullptr) << type->full_name();
    for (uint32_t seed = 0; seed < 60; ++seed) {
      std::unique_ptr<Message> message(prototype->New());
      Filler(seed * 7919 + static_cast<uint32_t>(compared)).Fill(*message, 0);
      ASSERT_EQ(CanonicalEncoding(*message),
                CanonicalEncodingByReflection(*message))
          << type->full_name() << " seed " << seed << ": "
          << message->ShortDebugString();
      ++compared;
    }
  }
}

}  // namespace
}  // namespace riskledger
