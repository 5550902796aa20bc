// The label -> ICU converter map. Labels in mail are what MUAs write, not what registries say:
//
// * Every Shift_JIS spelling is read as CP932 (ICU ibm-943_P15A-2003): Windows and Outlook write
//   CP932 and label it Shift_JIS, so NEC row 13 (① ㈱ ㍻), NEC-selected and IBM extensions (髙 﨑)
//   must decode whatever the label says. Strict JIS Shift_JIS would turn them into U+FFFD.
//   0x8160 decodes to U+FF5E FULLWIDTH TILDE (～), not U+301C WAVE DASH (〜): this is CP932's
//   (Windows, WHATWG, ICU P15A) mapping, and it is what the Japanese recipients' Windows clients
//   render; the same choice holds for ISO-2022-JP 0x2141 and EUC-JP 0xA1C1, so one character has
//   one code point whatever charset it arrived in. (Likewise 0x815F/0x8161/0x817C/0x81CA ->
//   U+FF3C ＼, U+2225 ∥, U+FF0D －, U+FFE2 ￢.)
// * Every ISO-2022-JP spelling (-1, -2, -3, CP5022x) is read by ICU's ISO-2022-JP-2 converter, a
//   superset for decoding (JIS X 0212, ESC & @). ICU decodes JIS X 0208 through its CP932 table,
//   so Outlook's NEC row 13 (ESC $ B 0x2D21 -> ①) and rows 89-92 decode; measured, see tests.
// * EUC-JP spellings, eucJP-ms included, use euc-jp-2007 (NEC row 13, JIS X 0212, 0xA1C1 ->
//   U+FF5E). Limitation: eucJP-ms's IBM extensions at 0x8FF3F3-0x8FF4FE are not in ICU and
//   decode to U+FFFD (rare in mail).
// * iso-8859-1 / latin1 -> windows-1252, gb2312 / gbk -> gb18030, euc-kr -> windows-949: the
//   WHATWG rule; senders label the superset's bytes (Outlook's “smart quotes”) with the subset.
// * Anything else is looked up in ICU's alias table (windows-125x, iso-8859-*, big5, utf-16 ...).
#include "labels.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "icu_decoder.h"

namespace mugai::charset::detail {
namespace {

// A label longer than this is not a charset name; refusing it keeps ICU lookups cheap.
constexpr std::size_t kMaxLabelLength = 64;

struct Alias {
  std::string_view label;  // normalised: lower case, '-' not '_'
  std::string_view converter;
};

constexpr std::string_view kWindows1252Converter = "ibm-5348_P100-1997";
constexpr std::string_view kGb18030Converter = "gb18030";
constexpr std::string_view kUhcConverter = "windows-949-2000";

constexpr std::array kAliases{
    // CP932 under all its names.
    Alias{"shift-jis", kCp932Converter},
    Alias{"sjis", kCp932Converter},
    Alias{"x-sjis", kCp932Converter},
    Alias{"shift-jis-cp932", kCp932Converter},
    Alias{"windows-31j", kCp932Converter},
    Alias{"cswindows31j", kCp932Converter},
    Alias{"cp932", kCp932Converter},
    Alias{"ms932", kCp932Converter},
    Alias{"windows-932", kCp932Converter},
    Alias{"x-ms-cp932", kCp932Converter},
    Alias{"ms-kanji", kCp932Converter},
    Alias{"csshiftjis", kCp932Converter},
    Alias{"ibm-943", kCp932Converter},
    Alias{"ibm-943c", kCp932Converter},
    // ISO-2022-JP and its relatives.
    Alias{"iso-2022-jp", kIso2022JpConverter},
    Alias{"csiso2022jp", kIso2022JpConverter},
    Alias{"iso-2022-jp-1", kIso2022JpConverter},
    Alias{"iso-2022-jp-2", kIso2022JpConverter},
    Alias{"csiso2022jp2", kIso2022JpConverter},
    Alias{"iso-2022-jp-3", kIso2022JpConverter},
    Alias{"iso-2022-jp-2004", kIso2022JpConverter},
    Alias{"iso-2022-jp-ms", kIso2022JpConverter},
    Alias{"cp50220", kIso2022JpConverter},
    Alias{"cp50221", kIso2022JpConverter},
    Alias{"cp50222", kIso2022JpConverter},
    Alias{"x-windows-iso2022jp", kIso2022JpConverter},
    Alias{"jis", kIso2022JpConverter},
    Alias{"x-jis", kIso2022JpConverter},
    // EUC-JP.
    Alias{"euc-jp", kEucJpConverter},
    Alias{"x-euc-jp", kEucJpConverter},
    Alias{"eucjp", kEucJpConverter},
    Alias{"x-eucjp", kEucJpConverter},
    Alias{"eucjp-ms", kEucJpConverter},
    Alias{"euc-jp-ms", kEucJpConverter},
    Alias{"x-eucjp-ms", kEucJpConverter},
    Alias{"eucjp-open", kEucJpConverter},
    Alias{"eucjp-win", kEucJpConverter},
    Alias{"cp51932", kEucJpConverter},
    Alias{"cseucpkdfmtjapanese", kEucJpConverter},
    // UTF-8 and US-ASCII.
    Alias{"utf-8", kUtf8Converter},
    Alias{"utf8", kUtf8Converter},
    Alias{"unicode-1-1-utf-8", kUtf8Converter},
    Alias{"x-unicode20utf8", kUtf8Converter},
    Alias{"us-ascii", kAsciiConverter},
    Alias{"ascii", kAsciiConverter},
    Alias{"us", kAsciiConverter},
    Alias{"csascii", kAsciiConverter},
    Alias{"ansi-x3.4-1968", kAsciiConverter},
    Alias{"ansi-x3.4-1986", kAsciiConverter},
    Alias{"iso646-us", kAsciiConverter},
    Alias{"iso-ir-6", kAsciiConverter},
    Alias{"cp367", kAsciiConverter},
    Alias{"ibm367", kAsciiConverter},
    // WHATWG supersets.
    Alias{"iso-8859-1", kWindows1252Converter},
    Alias{"iso8859-1", kWindows1252Converter},
    Alias{"latin1", kWindows1252Converter},
    Alias{"l1", kWindows1252Converter},
    Alias{"csisolatin1", kWindows1252Converter},
    Alias{"iso-ir-100", kWindows1252Converter},
    Alias{"cp819", kWindows1252Converter},
    Alias{"ibm819", kWindows1252Converter},
    Alias{"windows-1252", kWindows1252Converter},
    Alias{"cp1252", kWindows1252Converter},
    Alias{"gb2312", kGb18030Converter},
    Alias{"csgb2312", kGb18030Converter},
    Alias{"gbk", kGb18030Converter},
    Alias{"x-gbk", kGb18030Converter},
    Alias{"cp936", kGb18030Converter},
    Alias{"euc-cn", kGb18030Converter},
    Alias{"gb18030", kGb18030Converter},
    Alias{"euc-kr", kUhcConverter},
    Alias{"cseuckr", kUhcConverter},
    Alias{"ks-c-5601-1987", kUhcConverter},
    Alias{"ks-c-5601-1989", kUhcConverter},
    Alias{"windows-949", kUhcConverter},
    Alias{"cp949", kUhcConverter},
};

Family family_of(std::string_view converter) {
  if (converter == kAsciiConverter) return Family::ascii;
  if (converter == kUtf8Converter) return Family::utf8;
  if (converter == kIso2022JpConverter) return Family::iso2022jp;
  return Family::other;
}

// ICU also knows Japanese charsets under names our table does not list ("iso2022jp",
// "ibm-eucJP", "cp943"): send them to our choices so no label escapes the CP932 semantics.
std::string redirect_japanese(std::string canonical) {
  if (canonical.starts_with("ISO_2022,locale=ja")) return std::string(kIso2022JpConverter);
  if (canonical.starts_with("ibm-943") || canonical.starts_with("ibm-942") ||
      canonical.starts_with("ibm-932"))
    return std::string(kCp932Converter);
  if (canonical.starts_with("ibm-33722") || canonical.starts_with("ibm-954") || canonical == "euc-jp-2007")
    return std::string(kEucJpConverter);
  return canonical;
}

// ICU treats ',' as the start of converter options ("ibm-943,swaplfnl") and '@' likewise;
// a label from mail gets only the characters real charset names use.
bool plausible_label(std::string_view label) {
  return !label.empty() && label.size() <= kMaxLabelLength &&
         std::all_of(label.begin(), label.end(), [](char c) {
           const auto u = static_cast<unsigned char>(c);
           return std::isalnum(u) || c == '-' || c == '.' || c == ':' || c == '+';
         });
}

}  // namespace

std::string normalize_label(std::string_view label) {
  const auto blank = [](char c) {
    return c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '\r' || c == '\n';
  };
  while (!label.empty() && blank(label.front())) label.remove_prefix(1);
  while (!label.empty() && blank(label.back())) label.remove_suffix(1);
  std::string normalized;
  normalized.reserve(label.size());
  for (char c : label) {
    const auto u = static_cast<unsigned char>(c);
    normalized.push_back(c == '_' ? '-' : static_cast<char>(u < 0x80 ? std::tolower(u) : u));
  }
  return normalized;
}

std::optional<Resolved> resolve_label(std::string_view label) {
  if (label.size() > kMaxLabelLength * 2) return std::nullopt;
  const std::string normalized = normalize_label(label);
  for (const Alias& alias : kAliases)
    if (alias.label == normalized) return Resolved{std::string(alias.converter), family_of(alias.converter)};
  if (!plausible_label(normalized)) return std::nullopt;
  auto canonical = icu_canonical_name(normalized);
  if (!canonical) return std::nullopt;
  std::string converter = redirect_japanese(std::move(*canonical));
  // ICU's own canonical names for UTF-8 and ASCII are the ones we use.
  return Resolved{converter, family_of(converter)};
}

}  // namespace mugai::charset::detail
