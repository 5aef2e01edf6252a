// Request fields from command-line text and response fields as text, by
// field path ("risk.threat.actor"), through protobuf reflection: every
// command, and every later service's, is a table of paths, not code.
#ifndef RISKLEDGER_CLIENTS_CLI_FIELD_TEXT_H_
#define RISKLEDGER_CLIENTS_CLI_FIELD_TEXT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace riskledger::cli {

// Sets the field at `path` from `text`: strings as given; numbers and bools
// (true/false); enums by their short name ("confidentiality" for
// SECURITY_PROPERTY_CONFIDENTIALITY, any case, '-' for '_'); timestamps in
// RFC 3339. A repeated field gains a value per call (a repeated enum also
// takes a comma-separated list); an element of a repeated message is
// "a:b:c", its fields in declaration order. The error names the path and
// what it expected.
absl::Status SetFieldText(google::protobuf::Message& message,
                          absl::string_view path, absl::string_view text);

// The field at `path` as a table cell: enums by short name, timestamps in
// RFC 3339, repeated values joined by ", ", an unset message empty.
std::string FieldText(const google::protobuf::Message& message,
                      absl::string_view path);

// The short name of an enum value: SECURITY_PROPERTY_CONFIDENTIALITY of
// enum SecurityProperty is "confidentiality".
std::string EnumShortName(const google::protobuf::EnumValueDescriptor& value);

}  // namespace riskledger::cli

#endif  // RISKLEDGER_CLIENTS_CLI_FIELD_TEXT_H_
