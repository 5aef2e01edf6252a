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

// A bidirectional embedding, override or isolate control (U+202A-U+202E,
// U+2066-U+2069): they reorder how the text around them is displayed, so
// that what a reviewer reads is not what is stored ("Trojan Source").
bool IsBidiControlCodePoint(uint32_t code_point);

// Unicode's Default_Ignorable_Code_Point: characters a renderer shows as
// nothing (soft hyphen, zero-width space and joiners, direction marks, bidi
// controls, Hangul fillers, variation selectors, tags, BOM, ...).
bool IsDefaultIgnorableCodePoint(uint32_t code_point);

// Zero-width (non-)joiners and variation selectors (Mongolian free ones
// too): ignorable, but scripts and emoji sequences need them after a visible
// character. Text checks refuse them at the start or end of a text.
bool IsJoinerOrSelector(uint32_t code_point);

// Characters refused in single-line texts: every default-ignorable one
// except joiners and selectors, line and paragraph separators, and
// noncharacters.
bool IsInvisibleCodePoint(uint32_t code_point);

// Whitespace (Unicode White_Space), controls, default-ignorable characters
// (joiners and selectors included) and the Braille blank: a text made only
// of these shows nothing.
bool IsBlankCodePoint(uint32_t code_point);

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_BASE_UTF8_H_
