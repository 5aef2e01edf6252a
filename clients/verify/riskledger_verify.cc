// riskledger-verify: checks an evidence bundle offline (docs/EVIDENCE_BUNDLE.md).
//
//   riskledger-verify [--key=VERIFIER_KEY]... BUNDLE_FILE
//
// Exit status: 0 the bundle verified; 1 it did not (the first failure is
// printed); 2 usage error or unreadable file.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "clients/verify/evidence_bundle.h"
#include "clients/verify/evidence_verifier.h"

ABSL_FLAG(std::vector<std::string>, key, {},
          "verifier keys to trust (comma-separated or repeated); default: "
          "the keys inside the bundle");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "checks an evidence bundle offline: riskledger-verify [--key=KEY] "
      "BUNDLE_FILE");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() != 2) {
    std::cerr << "usage: riskledger-verify [--key=VERIFIER_KEY] BUNDLE_FILE\n";
    return 2;
  }
  std::ifstream file(args[1], std::ios::binary);
  if (!file) {
    std::cerr << "cannot read " << args[1] << "\n";
    return 2;
  }
  std::stringstream bytes;
  bytes << file.rdbuf();
  absl::StatusOr<std::vector<riskledger::v1::EvidenceRecord>> records =
      riskledger::verify::ParseBundle(bytes.str());
  if (!records.ok()) {
    std::cout << "FAILED: " << records.status().message() << "\n";
    return 1;
  }
  riskledger::verify::VerifyOptions options;
  options.trusted_keys = absl::GetFlag(FLAGS_key);
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
  if (summary->keys_from_bundle) {
    std::cout << "note: checked against the keys inside the bundle; pass "
                 "--key with a key you obtained independently to trust "
                 "the signature\n";
  }
  return 0;
}
