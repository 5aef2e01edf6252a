// Signed notes: Ed25519 through OpenSSL's EVP interface, the encoding of
// golang.org/x/mod/sumdb/note (key hash = first 4 bytes of
// SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key), signature blob = key hash ‖
// signature, signature line = "— " name " " base64(blob)).
#include "storage/audit/signed_note.h"

#include <openssl/evp.h>

#include <memory>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "services/base/utf8.h"
#include "storage/audit/sha256.h"

namespace riskledger::audit {
namespace {

// The algorithm byte of Ed25519 keys in the note format.
constexpr char kEd25519Algorithm = 0x01;
constexpr size_t kSignatureSize = 64;
// U+2014 EM DASH and a space open every signature line.
constexpr absl::string_view kSignaturePrefix = "\xE2\x80\x94 ";
// More signatures than this make a note malformed (Go's limit too).
constexpr int kMaxSignatures = 100;

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

absl::Status Malformed(absl::string_view why) {
  return absl::DataLossError(absl::StrCat("malformed signed note: ", why));
}

bool IsValidName(absl::string_view name) {
  if (name.empty() || absl::StrContains(name, '+')) return false;
  for (size_t pos = 0; pos < name.size();) {
    uint32_t code_point = 0;
    const size_t length = DecodeUtf8(name, pos, &code_point);
    if (length == 0 || IsBlankCodePoint(code_point) ||
        IsControlCodePoint(code_point)) {
      return false;
    }
    pos += length;
  }
  return true;
}

// Valid UTF-8 without control characters other than newline.
bool IsValidNoteBytes(absl::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    uint32_t code_point = 0;
    const size_t length = DecodeUtf8(text, pos, &code_point);
    if (length == 0 || (code_point < 0x20 && code_point != '\n')) return false;
    pos += length;
  }
  return true;
}

// The first four bytes of `bytes` (at least four) as a big-endian number.
uint32_t ReadBigEndian32(absl::string_view bytes) {
  if (bytes.size() < 4) return 0;
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return value;
}

uint32_t KeyHash(absl::string_view name, absl::string_view public_key) {
  return ReadBigEndian32(Sha256Concat(
      {name, "\n", absl::string_view(&kEd25519Algorithm, 1), public_key}));
}

std::string BigEndian32(uint32_t value) {
  return {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
          static_cast<char>(value >> 8), static_cast<char>(value)};
}

const unsigned char* Bytes(absl::string_view data) {
  return reinterpret_cast<const unsigned char*>(data.data());
}

bool VerifyEd25519(absl::string_view public_key, absl::string_view message,
                   absl::string_view signature) {
  if (public_key.size() != kEd25519KeySize ||
      signature.size() != kSignatureSize) {
    return false;
  }
  PkeyPtr key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                          Bytes(public_key), public_key.size()),
              &EVP_PKEY_free);
  MdCtxPtr context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (key == nullptr || context == nullptr ||
      EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr,
                           key.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(context.get(), Bytes(signature), signature.size(),
                          Bytes(message), message.size()) == 1;
}

}  // namespace

std::string NoteVerifier::Encode() const {
  return absl::StrCat(
      name, "+", absl::StrFormat("%08x", key_hash), "+",
      absl::Base64Escape(
          absl::StrCat(absl::string_view(&kEd25519Algorithm, 1), public_key)));
}

absl::StatusOr<NoteVerifier> ParseVerifierKey(absl::string_view encoded) {
  // The base64 key may itself hold '+': split at the first two only.
  std::vector<absl::string_view> parts =
      absl::StrSplit(encoded, absl::MaxSplits('+', 2));
  if (parts.size() != 3) {
    return absl::InvalidArgumentError(
        "a verifier key is <name>+<key hash>+<key>");
  }
  NoteVerifier verifier;
  verifier.name = std::string(parts[0]);
  if (!IsValidName(verifier.name)) {
    return absl::InvalidArgumentError("the verifier key's name is invalid");
  }
  if (parts[1].size() != 8 || !absl::SimpleHexAtoi(parts[1], &verifier.key_hash)) {
    return absl::InvalidArgumentError(
        "the verifier key's hash is not 8 hex digits");
  }
  std::string key;
  if (!absl::Base64Unescape(parts[2], &key) || key.size() != 1 + kEd25519KeySize ||
      key[0] != kEd25519Algorithm) {
    return absl::InvalidArgumentError(
        "the verifier key is not a base64 Ed25519 key (algorithm 1)");
  }
  verifier.public_key = key.substr(1);
  if (KeyHash(verifier.name, verifier.public_key) != verifier.key_hash) {
    return absl::InvalidArgumentError(
        "the verifier key's hash does not match its name and key");
  }
  return verifier;
}

absl::StatusOr<NoteSigner> NoteSigner::FromSeed(std::string name,
                                                absl::string_view seed) {
  if (!IsValidName(name)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a note key name must be non-empty UTF-8 without spaces or '+': '",
        name, "'"));
  }
  if (seed.size() != kEd25519KeySize) {
    return absl::InvalidArgumentError(
        absl::StrCat("an Ed25519 seed has ", kEd25519KeySize, " bytes, not ",
                     seed.size()));
  }
  PkeyPtr key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                           Bytes(seed), seed.size()),
              &EVP_PKEY_free);
  std::string public_key(kEd25519KeySize, '\0');
  size_t public_size = public_key.size();
  if (key == nullptr ||
      EVP_PKEY_get_raw_public_key(
          key.get(), reinterpret_cast<unsigned char*>(public_key.data()),
          &public_size) != 1 ||
      public_size != kEd25519KeySize) {
    return absl::InternalError("OpenSSL could not derive an Ed25519 key");
  }
  NoteVerifier verifier;
  verifier.key_hash = KeyHash(name, public_key);
  verifier.name = std::move(name);
  verifier.public_key = std::move(public_key);
  return NoteSigner(std::string(seed), std::move(verifier));
}

absl::StatusOr<std::string> NoteSigner::Sign(absl::string_view text) const {
  if (text.empty() || text.back() != '\n' || !IsValidNoteBytes(text) ||
      absl::StrContains(text, "\n\n") || text.front() == '\n') {
    return absl::InvalidArgumentError(
        "a note's text is UTF-8 lines without control characters or blank "
        "lines, ending in a newline");
  }
  PkeyPtr key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                           Bytes(seed_), seed_.size()),
              &EVP_PKEY_free);
  MdCtxPtr context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::string signature(kSignatureSize, '\0');
  size_t signature_size = signature.size();
  if (key == nullptr || context == nullptr ||
      EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr,
                         key.get()) != 1 ||
      EVP_DigestSign(context.get(),
                     reinterpret_cast<unsigned char*>(signature.data()),
                     &signature_size, Bytes(text), text.size()) != 1 ||
      signature_size != kSignatureSize) {
    return absl::InternalError("OpenSSL could not sign the note");
  }
  return absl::StrCat(
      text, "\n", kSignaturePrefix, verifier_.name, " ",
      absl::Base64Escape(
          absl::StrCat(BigEndian32(verifier_.key_hash), signature)),
      "\n");
}

absl::StatusOr<std::string> OpenNote(
    absl::string_view note, const std::vector<NoteVerifier>& verifiers) {
  if (!IsValidNoteBytes(note)) {
    return Malformed("not UTF-8, or a control character other than newline");
  }
  const size_t split = note.rfind("\n\n");
  if (split == absl::string_view::npos) {
    return Malformed("no blank line before the signatures");
  }
  const absl::string_view text = note.substr(0, split + 1);
  absl::string_view signatures = note.substr(split + 2);
  if (signatures.empty() || signatures.back() != '\n') {
    return Malformed("the signatures do not end with a newline");
  }
  signatures.remove_suffix(1);
  int count = 0;
  bool verified = false;
  for (absl::string_view line : absl::StrSplit(signatures, '\n')) {
    if (++count > kMaxSignatures) return Malformed("too many signatures");
    if (!absl::ConsumePrefix(&line, kSignaturePrefix)) {
      return Malformed("a signature line does not start with an em dash");
    }
    const size_t space = line.find(' ');
    const absl::string_view name = line.substr(0, space);
    const absl::string_view encoded =
        space == absl::string_view::npos ? "" : line.substr(space + 1);
    std::string blob;
    if (!IsValidName(name) || encoded.empty() ||
        !absl::Base64Unescape(encoded, &blob) || blob.size() < 5) {
      return Malformed("a signature line is not '— <name> <base64>'");
    }
    const uint32_t hash = ReadBigEndian32(blob);
    for (const NoteVerifier& verifier : verifiers) {
      if (verifier.name != name || verifier.key_hash != hash) continue;
      if (!VerifyEd25519(verifier.public_key, text,
                         absl::string_view(blob).substr(4))) {
        return absl::DataLossError(
            absl::StrCat("the note's signature by ", name, "+",
                         absl::StrFormat("%08x", hash), " is invalid"));
      }
      verified = true;
    }
  }
  if (!verified) {
    return absl::DataLossError(
        "the note carries no signature by a known key");
  }
  return std::string(text);
}

}  // namespace riskledger::audit
