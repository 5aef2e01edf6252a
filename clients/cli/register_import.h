// Import of a risk register from CSV (organisations moving from
// spreadsheets): each row becomes a CreateRiskRequest, and an
// AnalyseRiskRequest when it has scores. Rows are checked before anything is
// sent — by the server's own request rules (the same code), and against the
// server's state (the asset and its component exist, scores on the
// methodology's scales) — and carry request ids derived from their content,
// so that running an import again writes nothing twice.
#ifndef RISKLEDGER_CLIENTS_CLI_REGISTER_IMPORT_H_
#define RISKLEDGER_CLIENTS_CLI_REGISTER_IMPORT_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "riskledger/v1/assessment_service.pb.h"

namespace riskledger::cli {

struct RegisterRow {
  int line = 0;  // in the file, from 1
  riskledger::v1::CreateRiskRequest create;
  // Set when the row has scores; its name is the created risk's.
  std::optional<riskledger::v1::AnalyseRiskRequest> analyse;
  std::vector<std::string> problems;  // empty: the row can be imported
};

// The column names the file may use (its first line), in the order the
// documentation lists them.
const std::vector<std::string>& RegisterColumns();

// Reads the file into rows with the problems found without the server. An
// unknown or repeated column, or a file that is not CSV, is an error.
absl::StatusOr<std::vector<RegisterRow>> ReadRegister(absl::string_view csv,
                                                      const std::string& tenant);

// What the checks need from the server (a fake in tests).
struct RegisterLookups {
  // The asset, or NOT_FOUND.
  std::function<absl::StatusOr<riskledger::v1::Asset>(const std::string& name)> asset;
  // The tenant's methodology.
  std::function<absl::StatusOr<riskledger::v1::Methodology>()> methodology;
};

// Adds the problems found against the server's state; a lookup that fails
// otherwise than NOT_FOUND is returned.
absl::Status CheckAgainstServer(std::vector<RegisterRow>& rows,
                                const RegisterLookups& lookups);

}  // namespace riskledger::cli

#endif  // RISKLEDGER_CLIENTS_CLI_REGISTER_IMPORT_H_
