// Signed notes and checkpoints: what Go's note package accepts we produce
// (go/verify_note.go checks that with Go itself), and every alteration of a
// signed note is rejected.
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "storage/audit/checkpoint.h"
#include "storage/audit/sha256.h"
#include "storage/audit/signed_note.h"

namespace riskledger::audit {
namespace {

NoteSigner MakeSigner(const std::string& name, char fill) {
  absl::StatusOr<NoteSigner> signer =
      NoteSigner::FromSeed(name, std::string(kEd25519KeySize, fill));
  EXPECT_TRUE(signer.ok()) << signer.status();
  return *signer;
}

Checkpoint SampleCheckpoint() {
  return {"riskledger.test/log", 1234, Sha256("root"),
          {TimeExtension(absl::FromUnixSeconds(1795000000))}};
}

TEST(SignedNoteTest, SignedCheckpointOpensWithItsVerifierAndParsesBack) {
  NoteSigner signer = MakeSigner("riskledger.test/log", 'k');
  absl::StatusOr<std::string> note =
      signer.Sign(FormatCheckpoint(SampleCheckpoint()));
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_NE(note->find("\n\n\xE2\x80\x94 riskledger.test/log "),
            std::string::npos);
  absl::StatusOr<std::string> text = OpenNote(*note, {signer.verifier()});
  ASSERT_TRUE(text.ok()) << text.status();
  absl::StatusOr<Checkpoint> parsed = ParseCheckpoint(*text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->origin, "riskledger.test/log");
  EXPECT_EQ(parsed->size, 1234U);
  EXPECT_EQ(parsed->root_hash, Sha256("root"));
  EXPECT_EQ(CheckpointTime(*parsed).value(), absl::FromUnixSeconds(1795000000));
}

TEST(SignedNoteTest, VerifierKeyRoundTripsAndRejectsAMismatchedHash) {
  NoteSigner signer = MakeSigner("riskledger.test/log", 'k');
  const std::string encoded = signer.verifier().Encode();
  absl::StatusOr<NoteVerifier> parsed = ParseVerifierKey(encoded);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->name, signer.verifier().name);
  EXPECT_EQ(parsed->key_hash, signer.verifier().key_hash);
  EXPECT_EQ(parsed->public_key, signer.verifier().public_key);

  NoteSigner other = MakeSigner("riskledger.test/log", 'x');
  const std::string hash_of_other = other.verifier().Encode().substr(
      encoded.find('+') + 1, 8);
  std::string mismatched = encoded;
  mismatched.replace(encoded.find('+') + 1, 8, hash_of_other);
  EXPECT_FALSE(ParseVerifierKey(mismatched).ok());
  EXPECT_FALSE(ParseVerifierKey("name+0000").ok());
  EXPECT_FALSE(ParseVerifierKey("").ok());
}

TEST(SignedNoteTest, EveryAlterationOfASignedNoteIsRejected) {
  NoteSigner signer = MakeSigner("riskledger.test/log", 'k');
  const std::string note =
      signer.Sign(FormatCheckpoint(SampleCheckpoint())).value();
  const std::vector<NoteVerifier> known = {signer.verifier()};

  // Changed size, changed root, removed signature, a stranger's signature.
  EXPECT_FALSE(
      OpenNote(absl::StrReplaceAll(note, {{"\n1234\n", "\n1235\n"}}), known)
          .ok());
  std::string root = note;
  const size_t root_at = root.find('\n', root.find('\n') + 1) + 1;
  root[root_at] = root[root_at] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(OpenNote(root, known).ok());
  EXPECT_FALSE(OpenNote(FormatCheckpoint(SampleCheckpoint()), known).ok());
  NoteSigner stranger = MakeSigner("riskledger.test/log", 'x');
  const std::string forged =
      stranger.Sign(FormatCheckpoint(SampleCheckpoint())).value();
  absl::Status unknown = OpenNote(forged, known).status();
  EXPECT_EQ(unknown.code(), absl::StatusCode::kDataLoss) << unknown;
  // A signature line swapped for the stranger's (same name, other key).
  const std::string swapped =
      note.substr(0, note.rfind("\n\n") + 2) +
      forged.substr(forged.rfind("\n\n") + 2);
  EXPECT_FALSE(OpenNote(swapped, known).ok());
  // A corrupted signature by the known key is an error, not ignored.
  std::string corrupted = note;
  corrupted[corrupted.size() - 6] =
      corrupted[corrupted.size() - 6] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(OpenNote(corrupted, known).ok());
  // The stranger's signature added beside a valid one is ignored.
  EXPECT_TRUE(
      OpenNote(note + forged.substr(forged.rfind("\n\n") + 2), known).ok());
}

TEST(SignedNoteTest, SignRefusesTextTheFormatForbids) {
  NoteSigner signer = MakeSigner("riskledger.test/log", 'k');
  EXPECT_FALSE(signer.Sign("").ok());
  EXPECT_FALSE(signer.Sign("no newline").ok());
  EXPECT_FALSE(signer.Sign("blank\n\nline\n").ok());
  EXPECT_FALSE(signer.Sign("tab\there\n").ok());
  EXPECT_FALSE(signer.Sign("bad utf8 \xff\n").ok());
  EXPECT_FALSE(NoteSigner::FromSeed("has space", std::string(32, 'k')).ok());
  EXPECT_FALSE(NoteSigner::FromSeed("has+plus", std::string(32, 'k')).ok());
  EXPECT_FALSE(NoteSigner::FromSeed("name", "short").ok());
}

TEST(SignedNoteTest, ParseCheckpointRejectsNonCanonicalText) {
  const std::string root = absl::Base64Escape(Sha256("root"));
  EXPECT_TRUE(ParseCheckpoint(absl::StrCat("o\n12\n", root, "\n")).ok());
  EXPECT_FALSE(ParseCheckpoint(absl::StrCat("o\n012\n", root, "\n")).ok());
  EXPECT_FALSE(ParseCheckpoint(absl::StrCat("o\n+12\n", root, "\n")).ok());
  EXPECT_FALSE(ParseCheckpoint(absl::StrCat("o\n12\n", root)).ok());
  EXPECT_FALSE(ParseCheckpoint(absl::StrCat("\n12\n", root, "\n")).ok());
  EXPECT_FALSE(ParseCheckpoint("o\n12\nAAAA\n").ok());
  EXPECT_FALSE(ParseCheckpoint(absl::StrCat("o\n12\n", root, "\n\n")).ok());
  EXPECT_FALSE(
      ParseCheckpoint(absl::StrCat("o\n99999999999999999999\n", root, "\n"))
          .ok());
}

}  // namespace
}  // namespace riskledger::audit
