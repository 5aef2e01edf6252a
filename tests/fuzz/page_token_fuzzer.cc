// Fuzzes page-token decoding. Properties: no token the fuzzer makes decodes
// unless it is exactly one the codec issued; issued tokens round-trip any
// resume key; nothing crashes on any input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "services/common/page_token.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace riskledger;  // NOLINT(google-build-using-namespace)
  static const PageTokenCodec* const codec =
      new PageTokenCodec(std::string(kPageTokenKeyBytes, 'k'));
  const std::string input(reinterpret_cast<const char*>(data), size);
  constexpr char kQuery[] = "risks|tenants/t||priority";
  absl::StatusOr<std::string> decoded = codec->Decode(input, kQuery);
  if (decoded.ok() && !input.empty() &&
      *codec->Encode(kQuery, *decoded) != input) {
    std::abort();  // only the codec's own spelling of a token is accepted
  }
  // Found by this fuzzer: a resume key over ~750 bytes made a token longer
  // than Decode accepts; Encode now refuses keys over kMaxResumeKeyBytes.
  absl::StatusOr<std::string> token = codec->Encode(kQuery, input);
  if (input.size() > kMaxResumeKeyBytes) {
    if (token.ok()) std::abort();
    return 0;
  }
  if (!token.ok()) std::abort();
  absl::StatusOr<std::string> round_trip = codec->Decode(*token, kQuery);
  if (!round_trip.ok() || *round_trip != input) std::abort();
  if (codec->Decode(*token, "risks|tenants/u||priority").ok()) std::abort();
  return 0;
}
