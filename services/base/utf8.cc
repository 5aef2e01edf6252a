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
