#include "clients/cli/config.h"

#include <fstream>
#include <map>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace riskledger::cli {
namespace {

constexpr const char* kKeys[] = {"server", "tenant", "output", "token",
                                 "timeout", "color", "ca_file"};

absl::Status Apply(const std::string& key, const std::string& value,
                   const std::string& source, Config& config) {
  auto bad = [&](absl::string_view expected) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ": ", key, " '", value.substr(0, 64), "': expected ", expected));
  };
  if (key == "server") {
    if (value.empty() || value.find(':') == std::string::npos) {
      return bad("host:port");
    }
    config.server = value;
  } else if (key == "tenant") {
    std::string id(absl::StripPrefix(value, "tenants/"));
    if (id.empty() || id.find('/') != std::string::npos) {
      return bad("a tenant id such as acme (or tenants/acme)");
    }
    config.tenant = absl::StrCat("tenants/", id);
  } else if (key == "output") {
    if (value == "table") {
      config.output = OutputFormat::kTable;
    } else if (value == "json") {
      config.output = OutputFormat::kJson;
    } else if (value == "csv") {
      config.output = OutputFormat::kCsv;
    } else {
      return bad("table, json or csv");
    }
  } else if (key == "token") {
    config.token = value;
  } else if (key == "timeout") {
    absl::Duration timeout;
    if (!absl::ParseDuration(value, &timeout) || timeout <= absl::ZeroDuration()) {
      return bad("a positive duration such as 30s");
    }
    config.timeout = timeout;
  } else if (key == "color") {
    if (value == "auto") {
      config.color = ColorMode::kAuto;
    } else if (value == "always") {
      config.color = ColorMode::kAlways;
    } else if (value == "never") {
      config.color = ColorMode::kNever;
    } else {
      return bad("auto, always or never");
    }
  } else if (key == "ca_file") {
    config.ca_file = value;
  }
  return absl::OkStatus();
}

// The config file's path, and whether it must exist (it was named).
std::pair<std::string, bool> ConfigPath(const ParsedArgs& args,
                                        const GetEnv& getenv) {
  if (args.Has("config")) return {args.Get("config"), true};
  if (const char* path = getenv("RISKCTL_CONFIG"); path && *path) {
    return {path, true};
  }
  if (const char* xdg = getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    return {absl::StrCat(xdg, "/riskctl/config"), false};
  }
  if (const char* home = getenv("HOME"); home && *home) {
    return {absl::StrCat(home, "/.config/riskctl/config"), false};
  }
  return {"", false};
}

absl::Status ApplyFile(const std::string& path, bool required, Config& config) {
  if (path.empty()) return absl::OkStatus();
  std::ifstream file(path);
  if (!file) {
    return required ? absl::InvalidArgumentError(
                          absl::StrCat("config file ", path, " cannot be read"))
                    : absl::OkStatus();
  }
  std::string line;
  for (int number = 1; std::getline(file, line); ++number) {
    absl::string_view content = absl::StripAsciiWhitespace(line);
    if (content.empty() || content[0] == '#') continue;
    const std::string source = absl::StrCat(path, ":", number);
    size_t eq = content.find('=');
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": expected key = value"));
    }
    std::string key(absl::StripAsciiWhitespace(content.substr(0, eq)));
    std::string value(absl::StripAsciiWhitespace(content.substr(eq + 1)));
    bool known = false;
    for (const char* k : kKeys) known = known || key == k;
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": unknown key '", key.substr(0, 64), "'"));
    }
    if (absl::Status s = Apply(key, value, source, config); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<OptionSpec> ConfigOptions() {
  return {
      {"server", true, "server host:port (default 127.0.0.1:50051)"},
      {"tenant", true, "tenant id, e.g. acme"},
      {"output", true, "table (default), json or csv"},
      {"json", false, "the same as --output=json"},
      {"csv", false, "the same as --output=csv"},
      {"token", true, "bearer token sent with every call"},
      {"timeout", true, "deadline of each call, all retries included (default 30s)"},
      {"color", true, "auto (default: on a terminal, unless NO_COLOR), always or never"},
      {"ca_file", true, "PEM file of the roots to trust: connect with TLS"},
      {"config", true, "config file of key = value lines"},
      {"help", false, "show help"},
  };
}

absl::StatusOr<Config> LoadConfig(const ParsedArgs& args, const GetEnv& getenv) {
  Config config;
  auto [path, required] = ConfigPath(args, getenv);
  if (absl::Status s = ApplyFile(path, required, config); !s.ok()) return s;
  for (const char* key : kKeys) {
    const std::string variable =
        absl::StrCat("RISKCTL_", absl::AsciiStrToUpper(key));
    if (const char* value = getenv(variable.c_str()); value && *value) {
      if (absl::Status s = Apply(key, value, variable, config); !s.ok()) return s;
    }
  }
  for (const char* key : kKeys) {
    if (args.Has(key)) {
      if (absl::Status s =
              Apply(key, args.Get(key), absl::StrCat("--", key), config);
          !s.ok()) {
        return s;
      }
    }
  }
  if (args.Has("json")) config.output = OutputFormat::kJson;
  if (args.Has("csv")) config.output = OutputFormat::kCsv;
  if (config.color == ColorMode::kAuto) {
    if (const char* no_color = getenv("NO_COLOR"); no_color && *no_color) {
      config.color = ColorMode::kNever;
    }
  }
  return config;
}

}  // namespace riskledger::cli
