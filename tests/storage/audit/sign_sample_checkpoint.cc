// Writes a verifier key and a checkpoint signed with it, for
// go/verify_note.go to check with Go's golang.org/x/mod/sumdb/note.
// Usage: sign_sample_checkpoint <verifier key file> <note file>
#include <fstream>
#include <iostream>
#include <string>

#include "absl/time/time.h"
#include "storage/audit/checkpoint.h"
#include "storage/audit/sha256.h"
#include "storage/audit/signed_note.h"

int main(int argc, char** argv) {
  using namespace riskledger::audit;  // NOLINT(google-build-using-namespace)
  if (argc != 3) {
    std::cerr << "usage: sign_sample_checkpoint <key file> <note file>\n";
    return 2;
  }
  absl::StatusOr<NoteSigner> signer = NoteSigner::FromSeed(
      "riskledger.test/log", Sha256("sample checkpoint key"));
  if (!signer.ok()) {
    std::cerr << signer.status() << "\n";
    return 1;
  }
  Checkpoint checkpoint{"riskledger.test/log", 4242, Sha256("sample root"),
                        {TimeExtension(absl::FromUnixSeconds(1795000000))}};
  absl::StatusOr<std::string> note = signer->Sign(FormatCheckpoint(checkpoint));
  if (!note.ok()) {
    std::cerr << note.status() << "\n";
    return 1;
  }
  std::ofstream(argv[1]) << signer->verifier().Encode();
  std::ofstream(argv[2]) << *note;
  return 0;
}
