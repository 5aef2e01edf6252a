// riskctl's commands: each a unary method of a service and a table of
// options → request fields and response fields → columns. A later service's
// process steps are rows here (and any method is reachable with
// `riskctl call`).
#ifndef RISKLEDGER_CLIENTS_CLI_COMMANDS_H_
#define RISKLEDGER_CLIENTS_CLI_COMMANDS_H_

#include <string>
#include <vector>

#include "clients/cli/output.h"

namespace riskledger::cli {

struct FieldOption {
  std::string option;  // without dashes
  std::string path;    // request field
  std::string help;
  // How the value becomes the field: "{tenant}" and "{value}" replaced; an
  // empty template is the value itself. A value that already starts with
  // "tenants/" is used as it is.
  std::string value_template;
};

struct CommandSpec {
  std::string noun;
  std::string verb;  // empty for a one-word command
  std::string summary;
  std::string method;  // full name: package.Service.Method
  // The positional argument (empty: none) and the field it fills.
  std::string argument;
  FieldOption argument_field;
  std::string tenant_field;  // request field set to the tenant, if any
  std::vector<FieldOption> options;
  // Update commands: the options given become this FieldMask (paths without
  // mask_prefix).
  std::string mask_field;
  std::string mask_prefix;
  // Response: rows of this repeated field (pages followed), else a record.
  std::string rows_field;
  std::vector<Column> columns;
};

const std::vector<CommandSpec>& Commands();

}  // namespace riskledger::cli

#endif  // RISKLEDGER_CLIENTS_CLI_COMMANDS_H_
