// riskctl's command line: `riskctl [options] <noun> [<verb>] [args] [options]`,
// options as --name=value, --name value or --flag, in any position.
#ifndef RISKLEDGER_CLIENTS_CLI_COMMAND_LINE_H_
#define RISKLEDGER_CLIENTS_CLI_COMMAND_LINE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace riskledger::cli {

struct OptionSpec {
  std::string name;  // without the dashes
  bool takes_value = true;
  std::string help;
};

struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> options;

  bool Has(const std::string& name) const { return options.count(name) > 0; }
  // The last value given for `name`, or `fallback`.
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  const std::vector<std::string>& All(const std::string& name) const;
};

// Parses `args` (argv without the program) against `specs`; an option not
// in `specs`, a missing value or a value given to a flag is an error naming
// it. Everything after "--" is positional.
absl::StatusOr<ParsedArgs> ParseArgs(absl::Span<const std::string> args,
                                     absl::Span<const OptionSpec> specs);

}  // namespace riskledger::cli

#endif  // RISKLEDGER_CLIENTS_CLI_COMMAND_LINE_H_
