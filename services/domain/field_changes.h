// Partial updates recorded as events: the names of the fields a command set
// and their new values, applied by Evolve the same way on the live path and
// in a rebuild.
#ifndef RISKLEDGER_SERVICES_DOMAIN_FIELD_CHANGES_H_
#define RISKLEDGER_SERVICES_DOMAIN_FIELD_CHANGES_H_

#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/message.h"
#include "google/protobuf/repeated_field.h"

namespace riskledger::domain {

// Replaces, in `target`, each top-level field named in `fields` by its value
// in `values` (clearing it when `values` leaves it unset). Names that are not
// fields of the message are ignored: Decide only records real ones.
void ApplyFieldChanges(
    const google::protobuf::RepeatedPtrField<std::string>& fields,
    const google::protobuf::Message& values, google::protobuf::Message& target);

// A partial update of a `Values` message: the top-level field names set and
// their new values (every other field of `values` unset).
template <typename Values>
struct FieldChange {
  std::vector<std::string> fields;
  Values values;
};

// The change that sets `fields` to their values in `full`.
template <typename Values>
FieldChange<Values> ChangeOf(const std::vector<std::string>& fields,
                             const Values& full) {
  FieldChange<Values> change;
  change.fields = fields;
  google::protobuf::RepeatedPtrField<std::string> names(change.fields.begin(),
                                                        change.fields.end());
  ApplyFieldChanges(names, full, change.values);
  return change;
}

// `current` after `change`.
template <typename Values>
Values Changed(Values current, const FieldChange<Values>& change) {
  google::protobuf::RepeatedPtrField<std::string> names(change.fields.begin(),
                                                        change.fields.end());
  ApplyFieldChanges(names, change.values, current);
  return current;
}

}  // namespace riskledger::domain

#endif  // RISKLEDGER_SERVICES_DOMAIN_FIELD_CHANGES_H_
