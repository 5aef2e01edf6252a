#include "clients/cli/register_import.h"

#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "clients/cli/csv.h"
#include "clients/cli/field_text.h"
#include "openssl/sha.h"
#include "services/assessment/request_parsing.h"
#include "services/base/status_details.h"

namespace riskledger::cli {
namespace {

using riskledger::v1::AnalyseRiskRequest;

// Column → field of the CreateRiskRequest ("risk.…") or of the
// AnalyseRiskRequest ("analyse.…").
const std::map<std::string, std::string>& FieldOfColumn() {
  static const auto* fields = new std::map<std::string, std::string>{
      {"asset", "risk.asset"},
      {"component", "risk.component"},
      {"vulnerability", "risk.vulnerability"},
      {"threat_actor", "risk.threat.actor"},
      {"attack_method", "risk.threat.attack_method"},
      {"threat_reference", "risk.threat.catalogue_reference"},
      {"risk_factor", "risk.risk_factor"},
      {"risk_event", "risk.risk_event"},
      {"loss", "risk.loss"},
      {"affected_properties", "risk.affected_properties"},
      {"impact_description", "risk.impact_description"},
      {"largest_loss_service", "risk.largest_loss.service"},
      {"largest_loss_financial", "risk.largest_loss.financial"},
      {"largest_loss_reputation", "risk.largest_loss.reputation"},
      {"owner", "risk.owner"},
      {"existing_controls", "risk.existing_controls"},
      {"source", "risk.source"},
      {"impact", "analyse.impact"},
      {"likelihood", "analyse.likelihood"},
      {"impact_rationale", "analyse.impact_rationale"},
      {"likelihood_rationale", "analyse.likelihood_rationale"},
      {"information_sources", "analyse.information_sources"},
      {"uncertainty", "analyse.uncertainty"},
  };
  return *fields;
}

// "import-" and 40 hex digits of SHA-256 over the tenant and the row's
// cells by column: the same row imports as the same request.
std::string RowDigest(const std::string& tenant,
                      const std::map<std::string, std::string>& cells) {
  std::string canonical = tenant;
  for (const auto& [column, value] : cells) {
    absl::StrAppend(&canonical, "\x1e", column, "\x1f", value);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(canonical.data()),
         canonical.size(), digest);
  return absl::StrCat(
      "import-", absl::BytesToHexString(absl::string_view(
                     reinterpret_cast<const char*>(digest), 20)));
}

void SetCell(RegisterRow& row, AnalyseRiskRequest& analyse,
             const std::string& column, const std::string& value) {
  const std::string& path = FieldOfColumn().at(column);
  std::vector<std::string> values{value};
  if (column == "existing_controls") {
    values = absl::StrSplit(value, ';', absl::SkipWhitespace());
    for (std::string& control : values) {
      control = std::string(absl::StripAsciiWhitespace(control));
    }
  }
  if (column == "asset" && !absl::StartsWith(value, "tenants/")) {
    values = {absl::StrCat(row.create.parent(), "/assets/", value)};
  }
  for (const std::string& v : values) {
    absl::Status status =
        absl::StartsWith(path, "analyse.")
            ? SetFieldText(analyse, absl::StripPrefix(path, "analyse."), v)
            : SetFieldText(row.create, path, v);
    if (!status.ok()) {
      row.problems.push_back(absl::StrCat(column, ": ", status.message()));
    }
  }
}

}  // namespace

const std::vector<std::string>& RegisterColumns() {
  static const auto* columns = new std::vector<std::string>{
      "asset", "component", "vulnerability", "threat_actor", "attack_method",
      "threat_reference", "risk_factor", "risk_event", "loss",
      "affected_properties", "impact_description", "largest_loss_service",
      "largest_loss_financial", "largest_loss_reputation", "owner",
      "existing_controls", "source", "impact", "likelihood",
      "impact_rationale", "likelihood_rationale", "information_sources",
      "uncertainty"};
  return *columns;
}

absl::StatusOr<std::vector<RegisterRow>> ReadRegister(absl::string_view csv,
                                                      const std::string& tenant) {
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(csv);
  if (!records.ok()) return records.status();
  if (records->empty()) {
    return absl::InvalidArgumentError("the file is empty: the first line names the columns");
  }
  std::vector<std::string> columns;
  for (const std::string& cell : records->front().cells) {
    std::string column = absl::AsciiStrToLower(absl::StripAsciiWhitespace(cell));
    if (FieldOfColumn().count(column) == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line 1: unknown column '", column.substr(0, 64),
          "' (riskctl import --help lists the columns)"));
    }
    for (const std::string& seen : columns) {
      if (seen == column) {
        return absl::InvalidArgumentError(
            absl::StrCat("line 1: column '", column, "' appears twice"));
      }
    }
    columns.push_back(std::move(column));
  }
  std::vector<RegisterRow> rows;
  std::map<std::string, int> line_of_digest;
  for (size_t r = 1; r < records->size(); ++r) {
    const CsvRecord& record = (*records)[r];
    RegisterRow row;
    row.line = record.line;
    row.create.set_parent(tenant);
    if (record.cells.size() != columns.size()) {
      row.problems.push_back(absl::StrCat("has ", record.cells.size(),
                                          " cells, the header ", columns.size()));
      rows.push_back(std::move(row));
      continue;
    }
    std::map<std::string, std::string> cells;
    AnalyseRiskRequest analyse;
    bool scored = false;
    for (size_t c = 0; c < columns.size(); ++c) {
      const std::string value(absl::StripAsciiWhitespace(record.cells[c]));
      if (value.empty()) continue;
      cells[columns[c]] = value;
      scored = scored || absl::StartsWith(FieldOfColumn().at(columns[c]), "analyse.");
      SetCell(row, analyse, columns[c], value);
    }
    const std::string digest = RowDigest(tenant, cells);
    row.create.set_request_id(absl::StrCat(digest, "-create"));
    if (auto [it, inserted] = line_of_digest.emplace(digest, row.line); !inserted) {
      row.problems.push_back(absl::StrCat("repeats line ", it->second));
    }
    // The server's own rules for a create (the same code as the server's).
    absl::Status valid = assessment::ParseCreateRisk(row.create).status();
    for (const auto& violation : FieldViolationsOf(valid)) {
      row.problems.push_back(absl::StrCat(violation.field, ": ", violation.description));
    }
    if (!valid.ok() && FieldViolationsOf(valid).empty()) {
      row.problems.push_back(std::string(valid.message()));
    }
    if (scored) {
      analyse.set_request_id(absl::StrCat(digest, "-analyse"));
      row.analyse = std::move(analyse);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

absl::Status CheckAgainstServer(std::vector<RegisterRow>& rows,
                                const RegisterLookups& lookups) {
  std::optional<riskledger::v1::Methodology> methodology;
  std::map<std::string, absl::StatusOr<riskledger::v1::Asset>> assets;
  for (RegisterRow& row : rows) {
    const riskledger::v1::Risk& risk = row.create.risk();
    if (!risk.asset().empty()) {
      auto it = assets.find(risk.asset());
      if (it == assets.end()) {
        it = assets.emplace(risk.asset(), lookups.asset(risk.asset())).first;
        if (!it->second.ok() && !absl::IsNotFound(it->second.status()) &&
            !absl::IsInvalidArgument(it->second.status())) {
          return it->second.status();
        }
      }
      if (!it->second.ok()) {
        row.problems.push_back(absl::StrCat("asset: ", it->second.status().message()));
      } else if (!risk.component().empty()) {
        bool found = false;
        for (const auto& component : it->second->components()) {
          found = found || component.name() == risk.component();
        }
        if (!found) {
          row.problems.push_back(absl::StrCat("component: asset ", risk.asset(),
                                              " has no component '",
                                              risk.component().substr(0, 64), "'"));
        }
      }
    }
    if (!row.analyse) continue;
    if (!methodology) {
      absl::StatusOr<riskledger::v1::Methodology> fetched = lookups.methodology();
      if (!fetched.ok()) return fetched.status();
      methodology = *fetched;
    }
    // M4: both scores on the methodology's scales, each with its rationale.
    auto check_score = [&](const char* name, int score,
                           const riskledger::v1::Scale& scale) {
      for (const auto& level : scale.levels()) {
        if (level.score() == score) return;
      }
      row.problems.push_back(absl::StrCat(name, ": ", score, " is not on the ",
                                          scale.name(), " scale"));
    };
    check_score("impact", row.analyse->impact(), methodology->impact_scale());
    check_score("likelihood", row.analyse->likelihood(), methodology->likelihood_scale());
    if (row.analyse->impact_rationale().empty()) {
      row.problems.push_back("impact_rationale: is required with scores (M4)");
    }
    if (row.analyse->likelihood_rationale().empty()) {
      row.problems.push_back("likelihood_rationale: is required with scores (M4)");
    }
  }
  return absl::OkStatus();
}

}  // namespace riskledger::cli
