// Strict UTF-8 decoding (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF), shared by text checks and error formatting.
#ifndef RISKLEDGER_SERVICES_BASE_UTF8_H_
#define RISKLEDGER_SERVICES_BASE_UTF8_H_

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace riskledger {

// Decodes the code point starting at `text[pos]` (pos < text.size()): its
// byte length (1-4), and the code point in `*code_point`; 0 when the bytes
// there are not valid UTF-8.
size_t DecodeUtf8(absl::string_view text, size_t pos, uint32_t* code_point);

// A C0 or C1 control character or DEL (Unicode general category Cc).
inline bool IsControlCodePoint(uint32_t code_point) {
  return code_point < 0x20 || (code_point >= 0x7f && code_point <= 0x9f);
}

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_BASE_UTF8_H_
