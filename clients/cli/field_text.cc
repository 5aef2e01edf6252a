#include "clients/cli/field_text.h"

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"

namespace riskledger::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

std::string UpperSnake(absl::string_view camel) {
  std::string out;
  for (size_t i = 0; i < camel.size(); ++i) {
    if (i > 0 && absl::ascii_isupper(camel[i])) out.push_back('_');
    out.push_back(absl::ascii_toupper(camel[i]));
  }
  return out;
}

std::string Shorten(absl::string_view text) {
  return std::string(text.substr(0, 80));
}

absl::Status Expected(absl::string_view path, absl::string_view text,
                      absl::string_view expected) {
  return absl::InvalidArgumentError(absl::StrCat(
      path, ": '", Shorten(text), "' is not ", expected));
}

absl::StatusOr<const EnumValueDescriptor*> ParseEnum(const EnumDescriptor& type,
                                                     absl::string_view path,
                                                     absl::string_view text) {
  std::string wanted = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  absl::StrReplaceAll({{"-", "_"}}, &wanted);
  std::vector<std::string> names;
  for (int i = 0; i < type.value_count(); ++i) {
    const EnumValueDescriptor& value = *type.value(i);
    if (value.number() == 0) continue;  // unspecified is never a choice
    const std::string name = EnumShortName(value);
    if (wanted == name || wanted == absl::AsciiStrToLower(value.name())) {
      return &value;
    }
    names.push_back(name);
  }
  return Expected(path, text, absl::StrCat("one of ", absl::StrJoin(names, ", ")));
}

absl::Status SetScalar(Message& message, const FieldDescriptor& field,
                       absl::string_view path, absl::string_view text) {
  const Reflection& r = *message.GetReflection();
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      repeated ? r.AddString(&message, &field, std::string(text))
               : r.SetString(&message, &field, std::string(text));
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v;
      if (!absl::SimpleAtoi(text, &v)) return Expected(path, text, "an integer");
      repeated ? r.AddInt32(&message, &field, v) : r.SetInt32(&message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v;
      if (!absl::SimpleAtoi(text, &v)) return Expected(path, text, "an integer");
      repeated ? r.AddInt64(&message, &field, v) : r.SetInt64(&message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v;
      if (!absl::SimpleAtoi(text, &v)) return Expected(path, text, "a natural number");
      repeated ? r.AddUInt32(&message, &field, v) : r.SetUInt32(&message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v;
      if (!absl::SimpleAtoi(text, &v)) return Expected(path, text, "a natural number");
      repeated ? r.AddUInt64(&message, &field, v) : r.SetUInt64(&message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double v;
      if (!absl::SimpleAtod(text, &v)) return Expected(path, text, "a number");
      if (field.cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
        repeated ? r.AddFloat(&message, &field, static_cast<float>(v))
                 : r.SetFloat(&message, &field, static_cast<float>(v));
      } else {
        repeated ? r.AddDouble(&message, &field, v) : r.SetDouble(&message, &field, v);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      if (!absl::SimpleAtob(text, &v)) return Expected(path, text, "true or false");
      repeated ? r.AddBool(&message, &field, v) : r.SetBool(&message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      // A repeated enum takes a list: "confidentiality,integrity".
      std::vector<absl::string_view> items =
          repeated ? absl::StrSplit(text, ',', absl::SkipWhitespace())
                   : std::vector<absl::string_view>{text};
      for (absl::string_view item : items) {
        absl::StatusOr<const EnumValueDescriptor*> value =
            ParseEnum(*field.enum_type(), path, item);
        if (!value.ok()) return value.status();
        repeated ? r.AddEnum(&message, &field, *value)
                 : r.SetEnum(&message, &field, *value);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return absl::InternalError("not a scalar");
}

absl::Status SetMessageText(Message& message, absl::string_view path,
                            absl::string_view text) {
  if (message.GetDescriptor()->full_name() == "google.protobuf.Timestamp") {
    google::protobuf::Timestamp time;
    if (!google::protobuf::util::TimeUtil::FromString(std::string(text), &time)) {
      return Expected(path, text, "an RFC 3339 time such as 2026-11-25T10:00:00Z");
    }
    message.CopyFrom(time);
    return absl::OkStatus();
  }
  // An element "a:b:c": the message's fields in declaration order, the last
  // one taking the rest.
  const Descriptor& type = *message.GetDescriptor();
  std::vector<std::string> parts = absl::StrSplit(text, ':');
  const int fields = type.field_count();
  if (static_cast<int>(parts.size()) > fields) {
    for (size_t i = fields; i < parts.size(); ++i) {
      absl::StrAppend(&parts[fields - 1], ":", parts[i]);
    }
    parts.resize(fields);
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor& field = *type.field(static_cast<int>(i));
    if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": give it as JSON with --data"));
    }
    if (absl::Status s = SetScalar(message, field,
                                   absl::StrCat(path, ".", field.name()), parts[i]);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

std::string ScalarText(const Message& message, const FieldDescriptor& field,
                       int index);

std::string MessageText(const Message& message) {
  if (message.GetDescriptor()->full_name() == "google.protobuf.Timestamp") {
    const auto& time = static_cast<const google::protobuf::Timestamp&>(message);
    if (time.seconds() == 0 && time.nanos() == 0) return "";
    google::protobuf::Timestamp seconds;
    seconds.set_seconds(time.seconds());
    return google::protobuf::util::TimeUtil::ToString(seconds);
  }
  const Descriptor& type = *message.GetDescriptor();
  if (type.full_name() == "riskledger.v1.ScoreChange") {  // a score's before and after
    return absl::StrCat(FieldText(message, "field"), " ", FieldText(message, "before"),
                        "→", FieldText(message, "after"));
  }
  std::vector<const FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);
  std::vector<std::string> parts;
  for (const FieldDescriptor* field : fields) {
    if (field->is_repeated() ||
        field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      continue;
    }
    parts.push_back(ScalarText(message, *field, -1));
  }
  return absl::StrJoin(parts, ":");
}

std::string ScalarText(const Message& message, const FieldDescriptor& field,
                       int index) {
  const Reflection& r = *message.GetReflection();
  const bool rep = index >= 0;
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return rep ? r.GetRepeatedString(message, &field, index)
                 : r.GetString(message, &field);
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(rep ? r.GetRepeatedInt32(message, &field, index)
                              : r.GetInt32(message, &field));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(rep ? r.GetRepeatedInt64(message, &field, index)
                              : r.GetInt64(message, &field));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(rep ? r.GetRepeatedUInt32(message, &field, index)
                              : r.GetUInt32(message, &field));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(rep ? r.GetRepeatedUInt64(message, &field, index)
                              : r.GetUInt64(message, &field));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return absl::StrCat(rep ? r.GetRepeatedDouble(message, &field, index)
                              : r.GetDouble(message, &field));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(rep ? r.GetRepeatedFloat(message, &field, index)
                              : r.GetFloat(message, &field));
    case FieldDescriptor::CPPTYPE_BOOL:
      return (rep ? r.GetRepeatedBool(message, &field, index)
                  : r.GetBool(message, &field))
                 ? "true"
                 : "false";
    case FieldDescriptor::CPPTYPE_ENUM: {
      const EnumValueDescriptor* value =
          rep ? r.GetRepeatedEnum(message, &field, index)
              : r.GetEnum(message, &field);
      return value->number() == 0 ? "" : EnumShortName(*value);
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (rep) return MessageText(r.GetRepeatedMessage(message, &field, index));
      return r.HasField(message, &field)
                 ? MessageText(r.GetMessage(message, &field))
                 : "";
  }
  return "";
}

}  // namespace

std::string EnumShortName(const EnumValueDescriptor& value) {
  const std::string prefix = UpperSnake(value.type()->name()) + "_";
  return absl::AsciiStrToLower(absl::StripPrefix(value.name(), prefix));
}

absl::Status SetFieldText(Message& message, absl::string_view path,
                          absl::string_view text) {
  Message* current = &message;
  std::vector<absl::string_view> names = absl::StrSplit(path, '.');
  for (size_t i = 0; i < names.size(); ++i) {
    const FieldDescriptor* field =
        current->GetDescriptor()->FindFieldByName(std::string(names[i]));
    if (field == nullptr) {
      return absl::InternalError(absl::StrCat("no field ", path));
    }
    const bool last = i + 1 == names.size();
    const Reflection& r = *current->GetReflection();
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      if (!last) return absl::InternalError(absl::StrCat("no field ", path));
      return SetScalar(*current, *field, path, text);
    }
    if (field->is_repeated()) {
      if (!last) return absl::InternalError(absl::StrCat("no field ", path));
      return SetMessageText(*r.AddMessage(current, field), path, text);
    }
    current = r.MutableMessage(current, field);
    if (last) return SetMessageText(*current, path, text);
  }
  return absl::OkStatus();
}

std::string FieldText(const Message& message, absl::string_view path) {
  const Message* current = &message;
  std::vector<absl::string_view> names = absl::StrSplit(path, '.');
  for (size_t i = 0; i < names.size(); ++i) {
    const FieldDescriptor* field =
        current->GetDescriptor()->FindFieldByName(std::string(names[i]));
    if (field == nullptr) return "";
    const Reflection& r = *current->GetReflection();
    const bool last = i + 1 == names.size();
    if (field->is_repeated()) {
      if (!last) return "";
      std::vector<std::string> items;
      items.reserve(static_cast<size_t>(r.FieldSize(*current, field)));
      for (int k = 0; k < r.FieldSize(*current, field); ++k) {
        items.push_back(ScalarText(*current, *field, k));
      }
      return absl::StrJoin(items, ", ");
    }
    if (last) return ScalarText(*current, *field, -1);
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return "";
    current = &r.GetMessage(*current, field);
  }
  return "";
}

}  // namespace riskledger::cli
