// Signed notes in the C2SP signed-note format (https://c2sp.org/signed-note),
// the format of Go's golang.org/x/mod/sumdb/note, with Ed25519 keys: how
// checkpoints are signed so that standard tools verify them.
#ifndef RISKLEDGER_STORAGE_AUDIT_SIGNED_NOTE_H_
#define RISKLEDGER_STORAGE_AUDIT_SIGNED_NOTE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace riskledger::audit {

// Size of an Ed25519 private key seed and of a public key.
inline constexpr size_t kEd25519KeySize = 32;

// A public key that verifies notes: its name, the 4-byte key hash that
// signature lines carry, and the raw Ed25519 key.
struct NoteVerifier {
  std::string name;
  uint32_t key_hash = 0;
  std::string public_key;

  // The verifier key string, `<name>+<hex key hash>+<base64(0x01 ‖ key)>`,
  // as note.NewVerifier accepts it.
  std::string Encode() const;
};

// Parses a verifier key string. INVALID_ARGUMENT naming the problem (bad
// name, unknown algorithm, key hash that does not match the key).
absl::StatusOr<NoteVerifier> ParseVerifierKey(absl::string_view encoded);

// An Ed25519 signing key with its name. Immutable; thread-safe.
class NoteSigner {
 public:
  // A signer for `name` from a 32-byte private key seed. INVALID_ARGUMENT
  // for a name the format forbids (empty, whitespace, '+') or a seed of
  // another size.
  static absl::StatusOr<NoteSigner> FromSeed(std::string name,
                                             absl::string_view seed);

  const NoteVerifier& verifier() const { return verifier_; }

  // `text` followed by a blank line and this key's signature line: a signed
  // note. INVALID_ARGUMENT unless `text` is non-empty, ends with a newline
  // and holds no other control characters and no blank line.
  absl::StatusOr<std::string> Sign(absl::string_view text) const;

 private:
  NoteSigner(std::string seed, NoteVerifier verifier)
      : seed_(std::move(seed)), verifier_(std::move(verifier)) {}

  std::string seed_;
  NoteVerifier verifier_;
};

// The text of a signed note once at least one signature by one of
// `verifiers` checks out; signatures by unknown keys are ignored, as the
// format requires. DATA_LOSS naming the problem otherwise: a malformed note,
// a bad signature by a known key, or no signature by a known key.
absl::StatusOr<std::string> OpenNote(absl::string_view note,
                                     const std::vector<NoteVerifier>& verifiers);

}  // namespace riskledger::audit

#endif  // RISKLEDGER_STORAGE_AUDIT_SIGNED_NOTE_H_
