// Where riskctl connects and how it prints: from flags, else the environment
// (RISKCTL_SERVER, RISKCTL_TENANT, RISKCTL_OUTPUT, RISKCTL_TOKEN,
// RISKCTL_TIMEOUT, RISKCTL_COLOR), else a config file (--config,
// $RISKCTL_CONFIG, or $XDG_CONFIG_HOME/riskctl/config, or
// ~/.config/riskctl/config) of `key = value` lines, else the defaults.
#ifndef RISKLEDGER_CLIENTS_CLI_CONFIG_H_
#define RISKLEDGER_CLIENTS_CLI_CONFIG_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/cli/command_line.h"

namespace riskledger::cli {

enum class OutputFormat { kTable, kJson, kCsv };
enum class ColorMode { kAuto, kAlways, kNever };

struct Config {
  std::string server = "127.0.0.1:50051";
  std::string tenant;  // "tenants/<id>", empty when none was given
  OutputFormat output = OutputFormat::kTable;
  std::string token;   // bearer token, sent only over TLS or to loopback
  absl::Duration timeout = absl::Seconds(30);
  ColorMode color = ColorMode::kAuto;
  std::string ca_file;  // PEM roots; set: TLS
};

// The options every command accepts.
std::vector<OptionSpec> ConfigOptions();

using GetEnv = std::function<const char*(const char*)>;

// Reads the configuration; a bad value names its source (flag, variable or
// file line).
absl::StatusOr<Config> LoadConfig(const ParsedArgs& args, const GetEnv& getenv);

}  // namespace riskledger::cli

#endif  // RISKLEDGER_CLIENTS_CLI_CONFIG_H_
