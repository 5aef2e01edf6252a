// riskctl: the risk process from the shell. `riskctl help` lists the
// commands; README "riskctl" documents options, configuration and exit codes.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "clients/cli/command_line.h"
#include "clients/cli/commands.h"
#include "clients/cli/config.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/field_text.h"
#include "clients/cli/heat_map.h"
#include "clients/cli/output.h"
#include "clients/cli/register_import.h"
#include "clients/cli/rpc_client.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/util/delimited_message_util.h"
#include "google/protobuf/util/json_util.h"
#include "riskledger/v1/audit_service.grpc.pb.h"
#include "riskledger/v1/admin_service.pb.h"
#include "riskledger/v1/assessment_service.pb.h"
#include "riskledger/v1/audit_service.pb.h"

namespace riskledger::cli {
namespace {

using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

constexpr size_t kMaxInputFileBytes = 64 << 20;

int Fail(ExitCode code, const std::string& message) {
  std::cerr << "riskctl: " << message << "\n";
  return code;
}

constexpr char kNoTenant[] =
    "no tenant: give --tenant, RISKCTL_TENANT or `tenant = …` in the config file";

int FailCall(const grpc::Status& status) {
  std::cerr << "riskctl: " << DescribeStatus(status) << "\n";
  return ExitCodeOf(status);
}

// The services riskctl knows: naming one message of each proto file links
// its descriptors into the generated pool (a later service adds its line).
void LinkServices() {
  (void)riskledger::v1::GetRiskRequest::descriptor();
  (void)riskledger::v1::ListAuditEntriesRequest::descriptor();
  (void)riskledger::v1::CreateBackupRequest::descriptor();
}

const MethodDescriptor* FindMethod(const std::string& full_name) {
  LinkServices();
  return google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full_name);
}

std::unique_ptr<Message> NewMessage(const google::protobuf::Descriptor* type) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
}

std::string Expand(const FieldOption& option, const std::string& tenant,
                   const std::string& value) {
  if (option.value_template.empty() || absl::StartsWith(value, "tenants/")) {
    return value;
  }
  return absl::StrReplaceAll(option.value_template,
                             {{"{tenant}", tenant}, {"{value}", value}});
}

std::vector<OptionSpec> OptionsOf(const CommandSpec& command) {
  std::vector<OptionSpec> specs = ConfigOptions();
  for (const FieldOption& option : command.options) {
    specs.push_back({option.option, true, option.help});
  }
  specs.push_back({"data", true, "the request as JSON (fields the options then override)"});
  return specs;
}

std::string HelpOf(const CommandSpec& command) {
  std::string text = absl::StrCat(
      "usage: riskctl ", command.noun, " ", command.verb,
      command.argument.empty() ? "" : absl::StrCat(" ", command.argument),
      " [options]\n\n", command.summary, " (", command.method, ")\n\noptions:\n");
  for (const FieldOption& option : command.options) {
    absl::StrAppend(&text, "  --", option.option, "  ", option.help, "\n");
  }
  absl::StrAppend(&text,
                  "  --data JSON  the request as JSON; the options above override it\n"
                  "\ncommon options: --server --tenant --output=table|json|csv "
                  "--json --csv --token --timeout --ca_file --config --color (riskctl help)\n");
  return text;
}

std::string GeneralHelp() {
  std::string text =
      "usage: riskctl [options] <command> [arguments] [options]\n\n"
      "The risk process of a riskledger server from the shell.\n\ncommands:\n";
  for (const CommandSpec& command : Commands()) {
    absl::StrAppend(&text, "  ", command.noun, " ", command.verb,
                    command.argument.empty() ? "" : absl::StrCat(" ", command.argument),
                    "\n      ", command.summary, "\n");
  }
  absl::StrAppend(
      &text,
      "  matrix [--svg FILE] [--filter F]\n"
      "      the risk matrix as a heat map (M5); --svg also writes it as an image\n"
      "  import FILE.csv [--apply] [--skip-invalid]\n"
      "      import a risk register from CSV; checks only, unless --apply\n"
      "  audit export --out FILE [--resource R]... [--start-time T] [--end-time T]\n"
      "      an evidence bundle for auditors (riskledger-verify checks it)\n"
      "  call SERVICE.METHOD [JSON]\n"
      "      any unary method, e.g. riskledger.v1.AuditService.GetInclusionProof\n"
      "\noptions (also from RISKCTL_<NAME> variables or a config file):\n");
  for (const OptionSpec& option : ConfigOptions()) {
    absl::StrAppend(&text, "  --", option.name, "  ", option.help, "\n");
  }
  absl::StrAppend(
      &text,
      "\nexit codes: 0 ok; 1 failed; 2 usage; 3 refused (invalid argument, failed "
      "precondition); 4 not found; 5 conflict (already exists, stale etag); 6 "
      "denied; 7 unavailable or timed out (try again); 8 import rows rejected\n"
      "\n`riskctl <command> --help` shows a command's options.\n");
  return text;
}

bool ColorOn(const Config& config) {
  if (config.color == ColorMode::kAlways) return true;
  if (config.color == ColorMode::kNever) return false;
  return isatty(STDOUT_FILENO) == 1;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat(path, " cannot be read"));
  std::string text;
  char chunk[65536];
  while (file.read(chunk, sizeof chunk) || file.gcount() > 0) {
    text.append(chunk, static_cast<size_t>(file.gcount()));
    if (text.size() > kMaxInputFileBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, " is larger than ", kMaxInputFileBytes >> 20, " MiB"));
    }
  }
  return text;
}

// Calls a unary method, following pages when the answer has rows.
grpc::Status CallAll(const RpcClient& client, const MethodDescriptor& method,
                     Message& request, const std::string& rows_field,
                     Message& merged) {
  const auto* page_token = request.GetDescriptor()->FindFieldByName("page_token");
  for (;;) {
    std::unique_ptr<Message> page = NewMessage(method.output_type());
    grpc::Status status = client.Call(method, request, *page);
    if (!status.ok()) return status;
    merged.MergeFrom(*page);
    const auto* next = page->GetDescriptor()->FindFieldByName("next_page_token");
    if (rows_field.empty() || page_token == nullptr || next == nullptr) return status;
    const std::string token = page->GetReflection()->GetString(*page, next);
    if (token.empty()) {
      merged.GetReflection()->ClearField(&merged, next);
      return status;
    }
    request.GetReflection()->SetString(&request, page_token, token);
  }
}

void Print(const Message& response, const std::string& rows_field,
           const std::vector<Column>& columns, OutputFormat format) {
  if (rows_field.empty()) {
    std::cout << (format == OutputFormat::kJson ? RenderJson(response) + "\n"
                                                : RenderRecord(response, columns, format));
    return;
  }
  const auto* field = response.GetDescriptor()->FindFieldByName(rows_field);
  std::vector<const Message*> rows;
  const auto* reflection = response.GetReflection();
  rows.reserve(static_cast<size_t>(reflection->FieldSize(response, field)));
  for (int i = 0; i < reflection->FieldSize(response, field); ++i) {
    rows.push_back(&reflection->GetRepeatedMessage(response, field, i));
  }
  std::cout << RenderRows(rows, columns, format);
}

absl::StatusOr<std::unique_ptr<RpcClient>> Connect(const Config& config) {
  return RpcClient::Connect(config);
}

int RunCommand(const CommandSpec& command, const ParsedArgs& args, const Config& config) {
  const MethodDescriptor* method = FindMethod(command.method);
  if (method == nullptr) return Fail(kExitFailed, "no method " + command.method);
  const size_t expected_positional = 2 + (command.argument.empty() ? 0 : 1);
  if (args.positional.size() != expected_positional) {
    return Fail(kExitUsage, command.argument.empty()
                                ? absl::StrCat(command.noun, " ", command.verb,
                                               " takes no argument (see --help)")
                                : absl::StrCat(command.noun, " ", command.verb, " needs ",
                                               command.argument, " (see --help)"));
  }
  const bool needs_tenant = !command.tenant_field.empty() ||
                            absl::StrContains(command.argument_field.value_template, "{tenant}");
  if (needs_tenant && config.tenant.empty()) {
    return Fail(kExitUsage, kNoTenant);
  }
  std::unique_ptr<Message> request = NewMessage(method->input_type());
  if (args.Has("data")) {
    google::protobuf::util::JsonParseOptions json;
    auto parsed = google::protobuf::util::JsonStringToMessage(args.Get("data"), request.get(), json);
    if (!parsed.ok()) {
      return Fail(kExitUsage, absl::StrCat("--data: ", parsed.message().as_string()));
    }
  }
  if (!command.tenant_field.empty()) {
    (void)SetFieldText(*request, command.tenant_field, config.tenant);
  }
  if (!command.argument.empty()) {
    const std::string value =
        Expand(command.argument_field, config.tenant, args.positional[2]);
    if (absl::Status s = SetFieldText(*request, command.argument_field.path, value); !s.ok()) {
      return Fail(kExitUsage, std::string(s.message()));
    }
  }
  std::set<std::string> mask;
  for (const FieldOption& option : command.options) {
    for (const std::string& value : args.All(option.option)) {
      if (absl::Status s = SetFieldText(*request, option.path,
                                        Expand(option, config.tenant, value));
          !s.ok()) {
        return Fail(kExitUsage, absl::StrCat("--", option.option, ": ", s.message()));
      }
      if (!command.mask_prefix.empty() && absl::StartsWith(option.path, command.mask_prefix) &&
          option.path != command.mask_prefix + "etag") {
        // A nested field updates as a whole: value_assessment, not .integrity.
        std::string path(absl::StripPrefix(option.path, command.mask_prefix));
        mask.insert(path.substr(0, path.find('.')));
      }
    }
  }
  if (!command.mask_field.empty()) {
    if (mask.empty()) return Fail(kExitUsage, "nothing to update: give the fields to change");
    for (const std::string& path : mask) {
      (void)SetFieldText(*request, command.mask_field + ".paths", path);
    }
  }
  auto client = Connect(config);
  if (!client.ok()) return Fail(kExitUsage, std::string(client.status().message()));
  std::unique_ptr<Message> response = NewMessage(method->output_type());
  grpc::Status status = CallAll(**client, *method, *request, command.rows_field, *response);
  if (!status.ok()) return FailCall(status);
  Print(*response, command.rows_field, command.columns, config.output);
  return kExitOk;
}

int RunMatrix(const ParsedArgs& args, const Config& config) {
  if (config.tenant.empty()) {
    return Fail(kExitUsage, kNoTenant);
  }
  riskledger::v1::GetRiskMatrixRequest request;
  request.set_parent(config.tenant);
  request.set_filter(args.Get("filter"));
  if (args.Has("as-of-position")) {
    if (auto s = SetFieldText(request, "as_of.log_position", args.Get("as-of-position")); !s.ok()) {
      return Fail(kExitUsage, std::string(s.message()));
    }
  }
  auto client = Connect(config);
  if (!client.ok()) return Fail(kExitUsage, std::string(client.status().message()));
  riskledger::v1::RiskMatrix matrix;
  grpc::Status status = (*client)->Call(
      *FindMethod("riskledger.v1.AssessmentService.GetRiskMatrix"), request, matrix);
  if (!status.ok()) return FailCall(status);
  if (args.Has("svg")) {
    std::ofstream svg(args.Get("svg"), std::ios::binary | std::ios::trunc);
    svg << RenderHeatMapSvg(matrix);
    if (!svg.flush()) return Fail(kExitFailed, args.Get("svg") + " cannot be written");
  }
  switch (config.output) {
    case OutputFormat::kJson:
      std::cout << RenderJson(matrix) << "\n";
      break;
    case OutputFormat::kCsv: {
      std::vector<const Message*> cells;
      for (const auto& cell : matrix.cells()) cells.push_back(&cell);
      std::cout << RenderRows(cells,
                              {{"impact", "impact"}, {"likelihood", "likelihood"},
                               {"level", "level"}, {"band", "band"},
                               {"risk_count", "risk_count"}, {"adjusted_count", "adjusted_count"}},
                              OutputFormat::kCsv);
      break;
    }
    case OutputFormat::kTable:
      std::cout << RenderHeatMap(matrix, ColorOn(config));
  }
  return kExitOk;
}

void Progress(size_t done, size_t total) {
  if (isatty(STDERR_FILENO) != 1 || total == 0) return;
  constexpr size_t kWidth = 30;
  const size_t filled = done * kWidth / total;
  std::cerr << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] "
            << done << "/" << total << (done == total ? "\n" : "") << std::flush;
}

int RunImport(const ParsedArgs& args, const Config& config) {
  if (args.positional.size() != 2) return Fail(kExitUsage, "import needs FILE.csv (see --help)");
  if (config.tenant.empty()) {
    return Fail(kExitUsage, kNoTenant);
  }
  absl::StatusOr<std::string> text = ReadFile(args.positional[1]);
  if (!text.ok()) return Fail(kExitUsage, std::string(text.status().message()));
  absl::StatusOr<std::vector<RegisterRow>> rows = ReadRegister(*text, config.tenant);
  if (!rows.ok()) {
    return Fail(kExitUsage, absl::StrCat(args.positional[1], ": ", rows.status().message()));
  }
  auto client = Connect(config);
  if (!client.ok()) return Fail(kExitUsage, std::string(client.status().message()));
  const RpcClient& rpc = **client;
  grpc::Status lookup_failure;
  RegisterLookups lookups{
      [&](const std::string& name) -> absl::StatusOr<riskledger::v1::Asset> {
        riskledger::v1::GetAssetRequest request;
        request.set_name(name);
        riskledger::v1::Asset asset;
        grpc::Status s = rpc.Call(*FindMethod("riskledger.v1.AssessmentService.GetAsset"),
                                  request, asset);
        if (s.ok()) return asset;
        lookup_failure = s;
        return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
      },
      [&]() -> absl::StatusOr<riskledger::v1::Methodology> {
        riskledger::v1::GetMethodologyRequest request;
        request.set_name(config.tenant + "/methodologies/default");
        riskledger::v1::Methodology methodology;
        grpc::Status s = rpc.Call(
            *FindMethod("riskledger.v1.AssessmentService.GetMethodology"), request, methodology);
        if (s.ok()) return methodology;
        lookup_failure = s;
        return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
      }};
  if (absl::Status checked = CheckAgainstServer(*rows, lookups); !checked.ok()) {
    return FailCall(lookup_failure);
  }
  size_t rejected = 0;
  for (const RegisterRow& row : *rows) {
    if (row.problems.empty()) continue;
    ++rejected;
    for (const std::string& problem : row.problems) {
      std::cerr << args.positional[1] << ":" << row.line << ": " << problem << "\n";
    }
  }
  const bool apply = args.Has("apply");
  const bool skip_invalid = args.Has("skip-invalid");
  const size_t valid = rows->size() - rejected;
  if (!apply) {
    std::cerr << rows->size() << " rows: " << valid << " valid, " << rejected
              << " rejected; nothing imported (dry run: --apply imports)\n";
    return rejected == 0 ? kExitOk : kExitRowsRejected;
  }
  if (rejected > 0 && !skip_invalid) {
    std::cerr << rejected << " of " << rows->size()
              << " rows rejected; nothing imported (--skip-invalid imports the valid rows)\n";
    return kExitRowsRejected;
  }
  riskledger::v1::ListRisksResponse imported;
  size_t done = 0;
  for (RegisterRow& row : *rows) {
    if (!row.problems.empty()) continue;
    riskledger::v1::Risk risk;
    grpc::Status s = rpc.Call(*FindMethod("riskledger.v1.AssessmentService.CreateRisk"),
                              row.create, risk);
    if (s.ok() && row.analyse) {
      row.analyse->set_name(risk.name());
      s = rpc.Call(*FindMethod("riskledger.v1.AssessmentService.AnalyseRisk"), *row.analyse,
                   risk);
    }
    if (!s.ok()) {
      Progress(done, valid);
      std::cerr << "\n" << args.positional[1] << ":" << row.line << ": " << DescribeStatus(s)
                << "\nimport stopped after " << done << " of " << valid
                << " rows; run it again to go on (imported rows are not imported twice)\n";
      return ExitCodeOf(s);
    }
    *imported.add_risks() = risk;
    Progress(++done, valid);
  }
  Print(imported, "risks",
        {{"risk_id", "risk_id"}, {"level", "analysis.level"}, {"band", "analysis.band"},
         {"owner", "owner"}, {"risk_event", "risk_event"}},
        config.output);
  std::cerr << done << " rows imported" << (rejected ? absl::StrCat(", ", rejected, " rejected") : "")
            << "\n";
  return rejected == 0 ? kExitOk : kExitRowsRejected;
}

// Streams an evidence bundle (docs/EVIDENCE_BUNDLE.md: delimited
// EvidenceRecords) into a file, for riskledger-verify or an auditor.
int RunExport(const ParsedArgs& args, const Config& config) {
  if (config.tenant.empty()) {
    return Fail(kExitUsage, kNoTenant);
  }
  if (!args.Has("out")) return Fail(kExitUsage, "audit export needs --out FILE");
  riskledger::v1::ExportEvidenceRequest request;
  request.set_parent(config.tenant);
  for (const std::string& resource : args.All("resource")) {
    request.add_resources(absl::StartsWith(resource, "tenants/")
                              ? resource
                              : absl::StrCat(config.tenant, "/", resource));
  }
  for (const auto& [option, path] : {std::pair<const char*, const char*>{"start-time", "start_time"},
                                     {"end-time", "end_time"},
                                     {"consistent-with", "consistent_with_tree_size"}}) {
    if (!args.Has(option)) continue;
    if (absl::Status s = SetFieldText(request, path, args.Get(option)); !s.ok()) {
      return Fail(kExitUsage, absl::StrCat("--", option, ": ", s.message()));
    }
  }
  auto client = Connect(config);
  if (!client.ok()) return Fail(kExitUsage, std::string(client.status().message()));
  std::ofstream out(args.Get("out"), std::ios::binary | std::ios::trunc);
  if (!out) return Fail(kExitFailed, args.Get("out") + " cannot be written");
  grpc::ClientContext context;
  (*client)->Prepare(context);
  auto stub = riskledger::v1::AuditService::NewStub((*client)->channel());
  auto reader = stub->ExportEvidence(&context, request);
  riskledger::v1::EvidenceRecord record;
  int64_t records = 0;
  while (reader->Read(&record)) {
    if (!google::protobuf::util::SerializeDelimitedToOstream(record, &out)) {
      context.TryCancel();
      (void)reader->Finish();
      return Fail(kExitFailed, args.Get("out") + " cannot be written");
    }
    ++records;
  }
  grpc::Status status = reader->Finish();
  if (!status.ok()) return FailCall(status);
  if (!out.flush()) return Fail(kExitFailed, args.Get("out") + " cannot be written");
  std::cerr << records << " records written to " << args.Get("out")
            << " (riskledger-verify checks them)\n";
  return kExitOk;
}

int RunCall(const ParsedArgs& args, const Config& config) {
  if (args.positional.size() < 2 || args.positional.size() > 3) {
    return Fail(kExitUsage, "call needs SERVICE.METHOD and optionally the request as JSON");
  }
  const MethodDescriptor* method = FindMethod(args.positional[1]);
  if (method == nullptr || method->server_streaming() || method->client_streaming()) {
    return Fail(kExitUsage, absl::StrCat("no unary method ", args.positional[1].substr(0, 128)));
  }
  std::unique_ptr<Message> request = NewMessage(method->input_type());
  if (args.positional.size() == 3) {
    auto parsed = google::protobuf::util::JsonStringToMessage(args.positional[2], request.get());
    if (!parsed.ok()) return Fail(kExitUsage, absl::StrCat("request: ", parsed.message().as_string()));
  }
  auto client = Connect(config);
  if (!client.ok()) return Fail(kExitUsage, std::string(client.status().message()));
  std::unique_ptr<Message> response = NewMessage(method->output_type());
  grpc::Status status = (*client)->Call(*method, *request, *response);
  if (!status.ok()) return FailCall(status);
  std::cout << RenderJson(*response) << "\n";
  return kExitOk;
}

std::vector<OptionSpec> AllOptions() {
  std::vector<OptionSpec> specs = ConfigOptions();
  std::set<std::string> seen;
  for (const OptionSpec& s : specs) seen.insert(s.name);
  auto add = [&](const OptionSpec& spec) {
    if (seen.insert(spec.name).second) specs.push_back(spec);
  };
  for (const CommandSpec& command : Commands()) {
    for (const FieldOption& option : command.options) add({option.option, true, option.help});
  }
  add({"data", true, ""});
  add({"svg", true, "also write the heat map as an SVG file"});
  add({"filter", true, "which risks"});
  add({"apply", false, "import (without it: check only)"});
  add({"skip-invalid", false, "import the valid rows when some are rejected"});
  add({"out", true, "the bundle file"});
  add({"resource", true, "a resource of the scope"});
  add({"start-time", true, ""});
  add({"end-time", true, ""});
  add({"consistent-with", true, "the tree size of a checkpoint kept"});
  return specs;
}

int Run(const std::vector<std::string>& argv) {
  const std::vector<OptionSpec> all = AllOptions();
  absl::StatusOr<ParsedArgs> args = ParseArgs(argv, all);
  if (!args.ok()) return Fail(kExitUsage, absl::StrCat(args.status().message(), " (riskctl help)"));
  const std::vector<std::string>& words = args->positional;
  if (words.empty() || words[0] == "help") {
    if (words.empty() && !args->Has("help")) {
      std::cerr << GeneralHelp();
      return kExitUsage;
    }
    std::cout << GeneralHelp();
    return kExitOk;
  }
  absl::StatusOr<Config> config = LoadConfig(*args, [](const char* name) { return std::getenv(name); });
  if (!config.ok()) return Fail(kExitUsage, std::string(config.status().message()));
  const std::string& noun = words[0];
  if (noun == "audit" && words.size() > 1 && words[1] == "export") {
    if (args->Has("help")) {
      std::cout << "usage: riskctl audit export --out FILE [--resource assets/ID|risks/ID]... "
                   "[--start-time T] [--end-time T] [--consistent-with TREE_SIZE]\n\n"
                   "an evidence bundle of the tenant (docs/EVIDENCE_BUNDLE.md), for "
                   "riskledger-verify\n";
      return kExitOk;
    }
    return RunExport(*args, *config);
  }
  if (noun == "matrix" || noun == "import" || noun == "call") {
    if (args->Has("help")) {
      std::cout << GeneralHelp();
      if (noun == "import") {
        std::cout << "\nimport columns (first line of the file; all optional, empty cells "
                     "ignored):\n  "
                  << absl::StrJoin(RegisterColumns(), ", ")
                  << "\nexisting_controls: ';' between controls; affected_properties and "
                     "information_sources: ',' between values\n";
      }
      return kExitOk;
    }
    if (noun == "matrix") return RunMatrix(*args, *config);
    if (noun == "import") return RunImport(*args, *config);
    return RunCall(*args, *config);
  }
  const CommandSpec* command = nullptr;
  for (const CommandSpec& candidate : Commands()) {
    if (candidate.noun == noun && words.size() > 1 && candidate.verb == words[1]) {
      command = &candidate;
    }
  }
  if (command == nullptr) {
    const std::string typed =
        words.size() > 1 ? absl::StrCat(words[0], " ", words[1]) : words[0];
    return Fail(kExitUsage, absl::StrCat("unknown command '", typed.substr(0, 64),
                                         "' (riskctl help lists the commands)"));
  }
  if (args->Has("help")) {
    std::cout << HelpOf(*command);
    return kExitOk;
  }
  // Parsed again with this command's own options: another command's is an error.
  absl::StatusOr<ParsedArgs> own = ParseArgs(argv, OptionsOf(*command));
  if (!own.ok()) {
    return Fail(kExitUsage, absl::StrCat(own.status().message(), " (riskctl ", command->noun,
                                         " ", command->verb, " --help)"));
  }
  return RunCommand(*command, *own, *config);
}

}  // namespace
}  // namespace riskledger::cli

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return riskledger::cli::Run(args);
}
