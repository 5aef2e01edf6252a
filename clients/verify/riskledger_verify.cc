// riskledger-verify: checks an evidence bundle offline (docs/EVIDENCE_BUNDLE.md).
//
//   riskledger-verify [--key=VERIFIER_KEY]... [--checkpoint=FILE] BUNDLE_FILE
//
// Exit status: 0 the bundle verified; 1 it did not (the first failure is
// printed); 2 usage error or unreadable file.
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "clients/verify/evidence_bundle.h"
#include "clients/verify/evidence_verifier.h"
#include "storage/audit/checkpoint.h"

ABSL_FLAG(std::vector<std::string>, key, {},
          "verifier keys to trust (comma-separated or repeated); default: "
          "the keys inside the bundle");
ABSL_FLAG(std::string, checkpoint, "",
          "a file holding a checkpoint (signed note) kept from earlier: the "
          "bundle's log must extend it (detects rollback and rewritten "
          "history; export with consistent_with_tree_size set to its size)");

namespace {

// The whole file, or nullopt when it cannot be read.
std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::stringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "checks an evidence bundle offline: riskledger-verify [--key=KEY] "
      "[--checkpoint=FILE] BUNDLE_FILE");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() != 2) {
    std::cerr << "usage: riskledger-verify [--key=VERIFIER_KEY] "
                 "[--checkpoint=FILE] BUNDLE_FILE\n";
    return 2;
  }
  std::optional<std::string> bytes = ReadFile(args[1]);
  if (!bytes.has_value()) {
    std::cerr << "cannot read " << args[1] << "\n";
    return 2;
  }
  riskledger::verify::VerifyOptions options;
  options.trusted_keys = absl::GetFlag(FLAGS_key);
  if (const std::string kept = absl::GetFlag(FLAGS_checkpoint); !kept.empty()) {
    std::optional<std::string> note = ReadFile(kept);
    if (!note.has_value()) {
      std::cerr << "cannot read " << kept << "\n";
      return 2;
    }
    // A file that is no signed checkpoint is the caller's mistake (exit 2),
    // not a failure of the bundle.
    const size_t signatures = note->rfind("\n\n");
    if (signatures == std::string::npos ||
        !riskledger::audit::ParseCheckpoint(note->substr(0, signatures + 1))
             .ok()) {
      std::cerr << kept
                << " is not a signed checkpoint (expected the signed note, "
                   "e.g. Checkpoint.signed_note of GetCheckpoint)\n";
      return 2;
    }
    options.kept_checkpoint = *std::move(note);
  }
  absl::StatusOr<std::vector<riskledger::v1::EvidenceRecord>> records =
      riskledger::verify::ParseBundle(*bytes);
  if (!records.ok()) {
    std::cout << "FAILED: " << records.status().message() << "\n";
    return 1;
  }
  absl::StatusOr<riskledger::verify::BundleSummary> summary =
      riskledger::verify::VerifyBundle(*records, options);
  if (!summary.ok()) {
    std::cout << "FAILED: " << summary.status().message() << "\n";
    return 1;
  }
  std::cout << "OK: " << summary->entries << " entries of "
            << summary->resources << " resources and "
            << summary->register_records
            << " register records, in the checkpoint of log "
            << summary->origin << " at tree size " << summary->tree_size
            << "\n";
  if (summary->extends_tree_size > 0) {
    std::cout << "the log extends the kept checkpoint of tree size "
              << summary->extends_tree_size << "\n";
  }
  if (summary->keys_from_bundle) {
    std::cout << "note: checked against the keys inside the bundle; pass "
                 "--key with a key you obtained independently to trust "
                 "the signature\n";
  }
  return 0;
}
