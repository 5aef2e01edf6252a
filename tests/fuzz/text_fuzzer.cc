// Fuzzes text checks and error formatting. Properties: EchoInput's output is
// valid UTF-8 without control or invisible characters and within its
// documented bound;
// TruncateUtf8 never exceeds its limit and never splits a character; a text
// accepted as a short text has no control character.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "services/base/status_details.h"
#include "services/base/utf8.h"
#include "services/common/field_checks.h"

namespace riskledger {
namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

// Whether `text` is valid UTF-8; counts its control and invisible
// characters (`strict`: every default-ignorable one, joiners included).
bool ValidUtf8(const std::string& text, int* controls, bool strict = false) {
  *controls = 0;
  for (size_t pos = 0; pos < text.size();) {
    uint32_t code_point = 0;
    const size_t length = DecodeUtf8(text, pos, &code_point);
    if (length == 0) return false;
    if (IsControlCodePoint(code_point) || IsInvisibleCodePoint(code_point) ||
        (strict && IsDefaultIgnorableCodePoint(code_point))) {
      ++*controls;
    }
    pos += length;
  }
  return true;
}

}  // namespace
}  // namespace riskledger

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace riskledger;  // NOLINT(google-build-using-namespace)
  const std::string input(reinterpret_cast<const char*>(data), size);
  int controls = 0;
  const std::string echoed = EchoInput(input);
  Require(ValidUtf8(echoed, &controls, /*strict=*/true) && controls == 0);
  Require(echoed.size() <= 4 * kMaxEchoedInputBytes + 8);
  const std::string cut = TruncateUtf8(input, 40);
  Require(cut.size() <= 40);
  if (ValidUtf8(input, &controls)) Require(ValidUtf8(cut, &controls));
  FieldViolationCollector violations;
  CheckLength(violations, "f", input, kMaxShortText);
  if (violations.empty()) {
    Require(ValidUtf8(input, &controls) && controls == 0);
  }
  return 0;
}
