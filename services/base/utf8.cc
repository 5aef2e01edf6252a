// DecodeUtf8: the well-formed byte sequences of RFC 3629, table 3-7 of the
// Unicode standard.
#include "services/base/utf8.h"

namespace riskledger {
namespace {

bool InRange(absl::string_view text, size_t pos, unsigned char low,
             unsigned char high) {
  if (pos >= text.size()) return false;
  auto byte = static_cast<unsigned char>(text[pos]);
  return byte >= low && byte <= high;
}

}  // namespace

bool IsBidiControlCodePoint(uint32_t code_point) {
  return (code_point >= 0x202a && code_point <= 0x202e) ||
         (code_point >= 0x2066 && code_point <= 0x2069);
}

bool IsJoinerOrSelector(uint32_t code_point) {
  return code_point == 0x200c || code_point == 0x200d ||
         (code_point >= 0x180b && code_point <= 0x180d) ||
         code_point == 0x180f ||
         (code_point >= 0xfe00 && code_point <= 0xfe0f) ||
         (code_point >= 0xe0100 && code_point <= 0xe01ef);
}

bool IsDefaultIgnorableCodePoint(uint32_t code_point) {
  // Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties),
  // plus the interlinear annotation controls (U+FFF9-U+FFFB).
  struct Range {
    uint32_t first;
    uint32_t last;
  };
  static constexpr Range kRanges[] = {
      {0x00ad, 0x00ad},   {0x034f, 0x034f},   {0x061c, 0x061c},
      {0x115f, 0x1160},   {0x17b4, 0x17b5},   {0x180b, 0x180f},
      {0x200b, 0x200f},   {0x202a, 0x202e},   {0x2060, 0x206f},
      {0x3164, 0x3164},   {0xfe00, 0xfe0f},   {0xfeff, 0xfeff},
      {0xffa0, 0xffa0},   {0xfff0, 0xfffb},   {0x1bca0, 0x1bca3},
      {0x1d173, 0x1d17a}, {0xe0000, 0xe0fff},
  };
  for (const Range& range : kRanges) {
    if (code_point >= range.first && code_point <= range.last) return true;
  }
  return false;
}

bool IsInvisibleCodePoint(uint32_t code_point) {
  if (code_point == 0x2028 || code_point == 0x2029) return true;  // Zl, Zp
  // Noncharacters: U+FDD0-U+FDEF and the last two of every plane.
  if ((code_point >= 0xfdd0 && code_point <= 0xfdef) ||
      (code_point & 0xfffe) == 0xfffe) {
    return true;
  }
  return IsDefaultIgnorableCodePoint(code_point) &&
         !IsJoinerOrSelector(code_point);
}

bool IsBlankCodePoint(uint32_t code_point) {
  if (IsControlCodePoint(code_point) || IsInvisibleCodePoint(code_point)) {
    return true;
  }
  if (IsDefaultIgnorableCodePoint(code_point)) return true;
  switch (code_point) {
    case 0x20:
    case 0xa0:    // no-break space
    case 0x1680:  // Ogham space mark
    case 0x202f:  // narrow no-break space
    case 0x205f:  // medium mathematical space
    case 0x2800:  // Braille pattern blank
    case 0x3000:  // ideographic space
      return true;
    default:
      return code_point >= 0x2000 && code_point <= 0x200a;  // en quad..
  }
}

size_t DecodeUtf8(absl::string_view text, size_t pos, uint32_t* code_point) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  }
  size_t length = 0;
  unsigned char second_low = 0x80;
  unsigned char second_high = 0xbf;
  uint32_t value = 0;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
    value = lead & 0x1f;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    value = lead & 0x0f;
    if (lead == 0xe0) second_low = 0xa0;   // no overlong forms
    if (lead == 0xed) second_high = 0x9f;  // no surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    value = lead & 0x07;
    if (lead == 0xf0) second_low = 0x90;   // no overlong forms
    if (lead == 0xf4) second_high = 0x8f;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (!InRange(text, pos + 1, second_low, second_high)) return 0;
  for (size_t k = 1; k < length; ++k) {
    if (!InRange(text, pos + k, 0x80, 0xbf)) return 0;
    value = (value << 6) | (static_cast<unsigned char>(text[pos + k]) & 0x3f);
  }
  *code_point = value;
  return length;
}

}  // namespace riskledger
