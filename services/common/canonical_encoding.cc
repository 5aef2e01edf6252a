// CanonicalEncoding: a reflection walk that writes protobuf's wire format
// with the choices of canonical_encoding.h.
#include "services/common/canonical_encoding.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "google/protobuf/descriptor.h"

namespace riskledger {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

enum WireType : uint32_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kFixed32 = 5,
};

void PutVarint(uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void PutFixed32(uint32_t value, std::string& out) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(value >> (8 * i)));
}

void PutFixed64(uint64_t value, std::string& out) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(value >> (8 * i)));
}

void PutKey(int number, WireType type, std::string& out) {
  PutVarint((static_cast<uint64_t>(number) << 3) | type, out);
}

void PutLengthDelimited(const std::string& bytes, std::string& out) {
  PutVarint(bytes.size(), out);
  out.append(bytes);
}

uint64_t ZigZag64(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^
         static_cast<uint64_t>(value >> 63);
}

uint32_t ZigZag32(int32_t value) {
  return (static_cast<uint32_t>(value) << 1) ^
         static_cast<uint32_t>(value >> 31);
}

uint64_t DoubleBits(double value) {
  if (std::isnan(value)) return 0x7ff8000000000000ULL;
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

uint32_t FloatBits(float value) {
  if (std::isnan(value)) return 0x7fc00000U;
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

WireType WireTypeOf(const FieldDescriptor& field) {
  switch (field.type()) {
    case FieldDescriptor::TYPE_DOUBLE:
    case FieldDescriptor::TYPE_FIXED64:
    case FieldDescriptor::TYPE_SFIXED64:
      return kFixed64;
    case FieldDescriptor::TYPE_FLOAT:
    case FieldDescriptor::TYPE_FIXED32:
    case FieldDescriptor::TYPE_SFIXED32:
      return kFixed32;
    case FieldDescriptor::TYPE_STRING:
    case FieldDescriptor::TYPE_BYTES:
    case FieldDescriptor::TYPE_MESSAGE:
    case FieldDescriptor::TYPE_GROUP:
      return kLengthDelimited;
    default:
      return kVarint;
  }
}

void EncodeMessage(const Message& message, std::string& out);

// Writes one value of `field` (element `index` when repeated, -1 otherwise)
// without its key; a message or string value with its length.
void EncodeValue(const Message& message, const FieldDescriptor& field,
                 int index, std::string& out) {
  const Reflection& r = *message.GetReflection();
  const bool repeated = index >= 0;
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v = repeated ? r.GetRepeatedInt32(message, &field, index)
                           : r.GetInt32(message, &field);
      if (field.type() == FieldDescriptor::TYPE_SINT32) {
        PutVarint(ZigZag32(v), out);
      } else if (field.type() == FieldDescriptor::TYPE_SFIXED32) {
        PutFixed32(static_cast<uint32_t>(v), out);
      } else {
        // Negative int32 values are sign-extended to ten bytes.
        PutVarint(static_cast<uint64_t>(static_cast<int64_t>(v)), out);
      }
      return;
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v = repeated ? r.GetRepeatedInt64(message, &field, index)
                           : r.GetInt64(message, &field);
      if (field.type() == FieldDescriptor::TYPE_SINT64) {
        PutVarint(ZigZag64(v), out);
      } else if (field.type() == FieldDescriptor::TYPE_SFIXED64) {
        PutFixed64(static_cast<uint64_t>(v), out);
      } else {
        PutVarint(static_cast<uint64_t>(v), out);
      }
      return;
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v = repeated ? r.GetRepeatedUInt32(message, &field, index)
                            : r.GetUInt32(message, &field);
      if (field.type() == FieldDescriptor::TYPE_FIXED32) {
        PutFixed32(v, out);
      } else {
        PutVarint(v, out);
      }
      return;
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v = repeated ? r.GetRepeatedUInt64(message, &field, index)
                            : r.GetUInt64(message, &field);
      if (field.type() == FieldDescriptor::TYPE_FIXED64) {
        PutFixed64(v, out);
      } else {
        PutVarint(v, out);
      }
      return;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
      PutFixed64(DoubleBits(repeated
                                ? r.GetRepeatedDouble(message, &field, index)
                                : r.GetDouble(message, &field)),
                 out);
      return;
    case FieldDescriptor::CPPTYPE_FLOAT:
      PutFixed32(FloatBits(repeated ? r.GetRepeatedFloat(message, &field, index)
                                    : r.GetFloat(message, &field)),
                 out);
      return;
    case FieldDescriptor::CPPTYPE_BOOL:
      PutVarint((repeated ? r.GetRepeatedBool(message, &field, index)
                          : r.GetBool(message, &field))
                    ? 1
                    : 0,
                out);
      return;
    case FieldDescriptor::CPPTYPE_ENUM:
      PutVarint(static_cast<uint64_t>(static_cast<int64_t>(
                    repeated ? r.GetRepeatedEnumValue(message, &field, index)
                             : r.GetEnumValue(message, &field))),
                out);
      return;
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& v =
          repeated
              ? r.GetRepeatedStringReference(message, &field, index, &scratch)
              : r.GetStringReference(message, &field, &scratch);
      PutLengthDelimited(v, out);
      return;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      std::string nested;
      EncodeMessage(repeated ? r.GetRepeatedMessage(message, &field, index)
                             : r.GetMessage(message, &field),
                    nested);
      PutLengthDelimited(nested, out);
      return;
    }
  }
}

// A map entry always carries its key (1) and value (2), even zero ones.
void EncodeMapEntry(const Message& entry, std::string& out) {
  const google::protobuf::Descriptor& type = *entry.GetDescriptor();
  for (int number : {1, 2}) {
    const FieldDescriptor& field = *type.FindFieldByNumber(number);
    PutKey(number, WireTypeOf(field), out);
    EncodeValue(entry, field, -1, out);
  }
}

// True when map entry `a` has a smaller key than `b`.
bool MapKeyLess(const Message* a, const Message* b) {
  const FieldDescriptor& key = *a->GetDescriptor()->FindFieldByNumber(1);
  const Reflection& ra = *a->GetReflection();
  const Reflection& rb = *b->GetReflection();
  switch (key.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return ra.GetInt32(*a, &key) < rb.GetInt32(*b, &key);
    case FieldDescriptor::CPPTYPE_INT64:
      return ra.GetInt64(*a, &key) < rb.GetInt64(*b, &key);
    case FieldDescriptor::CPPTYPE_UINT32:
      return ra.GetUInt32(*a, &key) < rb.GetUInt32(*b, &key);
    case FieldDescriptor::CPPTYPE_UINT64:
      return ra.GetUInt64(*a, &key) < rb.GetUInt64(*b, &key);
    case FieldDescriptor::CPPTYPE_BOOL:
      return ra.GetBool(*a, &key) < rb.GetBool(*b, &key);
    default:  // string keys: bytewise
      return ra.GetString(*a, &key) < rb.GetString(*b, &key);
  }
}

void EncodeRepeated(const Message& message, const FieldDescriptor& field,
                    std::string& out) {
  const Reflection& r = *message.GetReflection();
  const int size = r.FieldSize(message, &field);
  if (field.is_map()) {
    std::vector<const Message*> entries;
    entries.reserve(size);
    for (int i = 0; i < size; ++i) {
      entries.push_back(&r.GetRepeatedMessage(message, &field, i));
    }
    std::sort(entries.begin(), entries.end(), MapKeyLess);
    for (const Message* entry : entries) {
      std::string bytes;
      EncodeMapEntry(*entry, bytes);
      PutKey(field.number(), kLengthDelimited, out);
      PutLengthDelimited(bytes, out);
    }
    return;
  }
  if (WireTypeOf(field) != kLengthDelimited) {  // numeric: packed
    std::string packed;
    for (int i = 0; i < size; ++i) EncodeValue(message, field, i, packed);
    PutKey(field.number(), kLengthDelimited, out);
    PutLengthDelimited(packed, out);
    return;
  }
  for (int i = 0; i < size; ++i) {
    PutKey(field.number(), kLengthDelimited, out);
    EncodeValue(message, field, i, out);
  }
}

void EncodeMessage(const Message& message, std::string& out) {
  std::vector<const FieldDescriptor*> fields;
  // ListFields: the present fields in field-number order, never unknown ones.
  message.GetReflection()->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->is_repeated()) {
      EncodeRepeated(message, *field, out);
      continue;
    }
    PutKey(field->number(), WireTypeOf(*field), out);
    EncodeValue(message, *field, -1, out);
  }
}

// Whether protobuf's serializer writes every message of `type` (without
// unknown fields) exactly as EncodeMessage does: it writes known fields in
// field-number order, skips absent ones, packs packed fields and encodes
// integers and strings alike. It differs on floating point (NaN, -0), map
// order, unpacked repeated numbers, groups and extensions, so a type with
// any of these anywhere inside it takes the reflection walk.
bool SerializerIsCanonical(
    const Descriptor& type,
    absl::flat_hash_map<const Descriptor*, bool>& known) {
  auto [it, inserted] = known.emplace(&type, true);  // recursion: assume so
  if (!inserted) return it->second;
  bool canonical = type.extension_range_count() == 0;
  for (int i = 0; canonical && i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    switch (field.type()) {
      case FieldDescriptor::TYPE_DOUBLE:
      case FieldDescriptor::TYPE_FLOAT:
      case FieldDescriptor::TYPE_GROUP:
        canonical = false;
        break;
      case FieldDescriptor::TYPE_MESSAGE:
        canonical = !field.is_map() &&
                    SerializerIsCanonical(*field.message_type(), known);
        break;
      case FieldDescriptor::TYPE_STRING:
      case FieldDescriptor::TYPE_BYTES:
        break;
      default:  // numbers: packed when repeated
        canonical = !field.is_repeated() || field.is_packed();
    }
  }
  known[&type] = canonical;
  return canonical;
}

bool HasUnknownFields(const Message& message) {
  const Reflection& r = *message.GetReflection();
  if (!r.GetUnknownFields(message).empty()) return true;
  const Descriptor& type = *message.GetDescriptor();
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    if (field.cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field.is_repeated()) {
      for (int j = 0; j < r.FieldSize(message, &field); ++j) {
        if (HasUnknownFields(r.GetRepeatedMessage(message, &field, j))) {
          return true;
        }
      }
    } else if (r.HasField(message, &field) &&
               HasUnknownFields(r.GetMessage(message, &field))) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string CanonicalEncodingByReflection(const Message& message) {
  std::string out;
  EncodeMessage(message, out);
  return out;
}

std::string CanonicalEncoding(const Message& message) {
  // Per thread, so that the hot path takes no lock; a few bytes per type.
  thread_local absl::flat_hash_map<const Descriptor*, bool> known;
  if (SerializerIsCanonical(*message.GetDescriptor(), known) &&
      !HasUnknownFields(message)) {
    return message.SerializeAsString();
  }
  return CanonicalEncodingByReflection(message);
}

}  // namespace riskledger
