#include "clients/cli/config.h"

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace riskledger::cli {
namespace {

using ::testing::HasSubstr;

GetEnv Env(std::map<std::string, std::string> variables) {
  auto kept = std::make_shared<std::map<std::string, std::string>>(std::move(variables));
  return [kept](const char* name) -> const char* {
    auto it = kept->find(name);
    return it == kept->end() ? nullptr : it->second.c_str();
  };
}

std::string WriteFile(const std::string& text) {
  const char* dir = std::getenv("RISKLEDGER_TEST_TMPDIR");
  std::string path = std::string(dir ? dir : "/tmp") + "/riskctl-config-test.conf";
  std::ofstream(path) << text;
  return path;
}

ParsedArgs Args(const std::vector<std::string>& argv) {
  return *ParseArgs(argv, ConfigOptions());
}

TEST(ConfigTest, FlagsOverTheEnvironmentOverTheFileOverDefaults) {
  const std::string file = WriteFile(
      "# comment\nserver = 10.0.0.1:1\ntenant = filed\noutput = csv\ntimeout = 5s\n");
  Config config = *LoadConfig(Args({"--config", file}), Env({}));
  EXPECT_EQ(config.server, "10.0.0.1:1");
  EXPECT_EQ(config.tenant, "tenants/filed");
  EXPECT_EQ(config.output, OutputFormat::kCsv);
  EXPECT_EQ(config.timeout, absl::Seconds(5));
  config = *LoadConfig(Args({"--config", file}),
                       Env({{"RISKCTL_TENANT", "tenants/env"}, {"RISKCTL_OUTPUT", "json"}}));
  EXPECT_EQ(config.tenant, "tenants/env");
  EXPECT_EQ(config.output, OutputFormat::kJson);
  config = *LoadConfig(Args({"--config", file, "--tenant", "flag", "--output=table"}),
                       Env({{"RISKCTL_TENANT", "env"}}));
  EXPECT_EQ(config.tenant, "tenants/flag");
  EXPECT_EQ(config.output, OutputFormat::kTable);
  config = *LoadConfig(Args({}), Env({{"RISKCTL_CONFIG", file}}));
  EXPECT_EQ(config.tenant, "tenants/filed");
  config = *LoadConfig(Args({}), Env({}));
  EXPECT_EQ(config.server, "127.0.0.1:50051");
  EXPECT_EQ(config.tenant, "");
}

TEST(ConfigTest, BadValuesNameTheirSource) {
  const std::string file = WriteFile("server = 10.0.0.1:1\ncolour = red\n");
  EXPECT_THAT(std::string(LoadConfig(Args({"--config", file}), Env({})).status().message()),
              HasSubstr(":2: unknown key 'colour'"));
  EXPECT_THAT(std::string(LoadConfig(Args({}), Env({{"RISKCTL_OUTPUT", "xml"}}))
                              .status()
                              .message()),
              HasSubstr("RISKCTL_OUTPUT: output 'xml': expected table, json or csv"));
  EXPECT_THAT(std::string(LoadConfig(Args({"--timeout", "-1s"}), Env({})).status().message()),
              HasSubstr("--timeout"));
  EXPECT_FALSE(LoadConfig(Args({"--config", "/nonexistent/riskctl"}), Env({})).ok());
}

TEST(ConfigTest, NoColorTurnsAutomaticColourOff) {
  EXPECT_EQ(LoadConfig(Args({}), Env({{"NO_COLOR", "1"}}))->color, ColorMode::kNever);
  EXPECT_EQ(LoadConfig(Args({"--color=always"}), Env({{"NO_COLOR", "1"}}))->color,
            ColorMode::kAlways);
}

TEST(CommandLineTest, OptionsInAnyPositionAndTheirErrors) {
  std::vector<OptionSpec> specs = {{"tenant", true, ""}, {"json", false, ""}};
  std::vector<std::string> argv = {"risk", "--tenant", "a", "list", "--json", "--", "--x"};
  ParsedArgs args = *ParseArgs(argv, specs);
  EXPECT_EQ(args.positional, (std::vector<std::string>{"risk", "list", "--x"}));
  EXPECT_EQ(args.Get("tenant"), "a");
  EXPECT_TRUE(args.Has("json"));
  std::vector<std::string> unknown = {"--colour=1"};
  EXPECT_THAT(std::string(ParseArgs(unknown, specs).status().message()),
              HasSubstr("unknown option --colour"));
  std::vector<std::string> missing = {"--tenant"};
  EXPECT_THAT(std::string(ParseArgs(missing, specs).status().message()),
              HasSubstr("--tenant needs a value"));
  std::vector<std::string> flag_value = {"--json=yes"};
  EXPECT_THAT(std::string(ParseArgs(flag_value, specs).status().message()),
              HasSubstr("--json takes no value"));
}

}  // namespace
}  // namespace riskledger::cli
