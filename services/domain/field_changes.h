// Partial updates recorded as events: the names of the fields a command set
// and their new values, applied by Evolve the same way on the live path and
// in a rebuild.
#ifndef RISKLEDGER_SERVICES_DOMAIN_FIELD_CHANGES_H_
#define RISKLEDGER_SERVICES_DOMAIN_FIELD_CHANGES_H_

#include <string>

#include "google/protobuf/message.h"
#include "google/protobuf/repeated_field.h"

namespace riskledger::domain {

// Replaces, in `target`, each top-level field named in `fields` by its value
// in `values` (clearing it when `values` leaves it unset). Names that are not
// fields of the message are ignored: Decide only records real ones.
void ApplyFieldChanges(
    const google::protobuf::RepeatedPtrField<std::string>& fields,
    const google::protobuf::Message& values, google::protobuf::Message& target);

}  // namespace riskledger::domain

#endif  // RISKLEDGER_SERVICES_DOMAIN_FIELD_CHANGES_H_
