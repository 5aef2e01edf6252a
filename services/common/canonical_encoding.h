// The canonical encoding of a protobuf message: protobuf's binary wire format
// with every choice the format leaves open fixed, so that any implementation
// (C++, Go, Java, an auditor's script) derives the same bytes from the same
// message. Request digests are computed over it (storage/EVENT_FORMAT.md,
// "Request digest", specifies it and gives a test vector).
#ifndef RISKLEDGER_SERVICES_COMMON_CANONICAL_ENCODING_H_
#define RISKLEDGER_SERVICES_COMMON_CANONICAL_ENCODING_H_

#include <string>

#include "google/protobuf/message.h"

namespace riskledger {

// The rules, in short (the format file is normative):
// - present fields only, in ascending field-number order; a proto3 field
//   without explicit presence is present iff it is not its zero value, a
//   field with presence (message, `optional`, oneof member) iff it is set;
// - unknown fields are never encoded;
// - repeated numeric fields are packed; repeated strings, bytes and messages
//   are one record per element, in order;
// - map entries are sorted by key, each written with both key and value;
// - a NaN is written as 0x7ff8000000000000 (double) or 0x7fc00000 (float);
// - nested messages are encoded canonically, length-delimited.
// It does not rely on protobuf's "deterministic" serialization, which protobuf
// documents as neither canonical across languages nor stable across builds.
//
// When protobuf's own serializer provably writes the same bytes (a type with
// no floating-point, map, unpacked repeated number, group or extension field
// anywhere inside it, and a message without unknown fields), it is used: the
// reflection walk costs about ten times as much, on every command's answer.
std::string CanonicalEncoding(const google::protobuf::Message& message);

// The same bytes, always by walking the message with reflection: the
// reference the fast path is tested against.
std::string CanonicalEncodingByReflection(
    const google::protobuf::Message& message);

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_CANONICAL_ENCODING_H_
