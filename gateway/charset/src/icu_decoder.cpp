// Runs ICU converters for mugai_charset. Converters are cached per thread (ICU converters are not
// thread-safe, opening one per header word would cost an allocation each) and reset before use.
// ICU's own substitution callback writes U+001A for some single-byte errors (ibm-943 0x80, 0xA0)
// and counts nothing; ours always writes U+FFFD and counts, so callers can judge the decode.
#include "icu_decoder.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>

#include <array>
#include <utility>
#include <vector>

#include "utf8.h"

namespace mugai::charset::detail {
namespace {

// Bounds the per-thread cache; a header naming hundreds of exotic charsets only costs opens.
constexpr std::size_t kMaxCachedConverters = 16;

class ConverterCache {
 public:
  ConverterCache() = default;
  ConverterCache(const ConverterCache&) = delete;
  ConverterCache& operator=(const ConverterCache&) = delete;
  ~ConverterCache() {
    for (auto& entry : entries_) ucnv_close(entry.second);
  }

  // Returns a reset converter owned by the cache, or nullptr when the cache is full.
  UConverter* find_or_insert(const std::string& name, bool& open_failed) {
    open_failed = false;
    for (auto& entry : entries_)
      if (entry.first == name) {
        ucnv_reset(entry.second);
        return entry.second;
      }
    if (entries_.size() >= kMaxCachedConverters) return nullptr;
    UErrorCode error = U_ZERO_ERROR;
    UConverter* converter = ucnv_open(name.c_str(), &error);
    if (U_FAILURE(error) || converter == nullptr) {
      open_failed = true;
      return nullptr;
    }
    entries_.emplace_back(name, converter);
    return converter;
  }

 private:
  std::vector<std::pair<std::string, UConverter*>> entries_;
};

// A converter for one decode: borrowed from the cache, or opened and closed here.
class Lease {
 public:
  explicit Lease(std::string_view icu_name) {
    thread_local ConverterCache cache;
    const std::string name(icu_name);
    bool open_failed = false;
    converter_ = cache.find_or_insert(name, open_failed);
    if (converter_ != nullptr || open_failed) return;
    UErrorCode error = U_ZERO_ERROR;
    converter_ = ucnv_open(name.c_str(), &error);
    if (U_FAILURE(error)) converter_ = nullptr;
    owned_ = converter_ != nullptr;
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() {
    if (owned_) ucnv_close(converter_);
  }
  UConverter* get() const { return converter_; }

 private:
  UConverter* converter_ = nullptr;
  bool owned_ = false;
};

void substitute_and_count(const void* context, UConverterToUnicodeArgs* args, const char*, int32_t,
                          UConverterCallbackReason reason, UErrorCode* error) {
  if (reason > UCNV_IRREGULAR) return;  // reset / close / clone: nothing to replace
  ++*static_cast<std::size_t*>(const_cast<void*>(context));
  *error = U_ZERO_ERROR;
  static constexpr UChar kReplacement = 0xFFFD;
  ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, error);
}

// Appends UTF-16 code units, carrying a high surrogate split across buffer refills.
class Utf16Appender {
 public:
  Utf16Appender(std::string& out, std::size_t& invalid) : out_(out), invalid_(invalid) {}
  void append(const UChar* begin, const UChar* end) {
    for (const UChar* unit = begin; unit != end; ++unit) {
      const char32_t u = *unit;
      if (pending_high_ != 0) {
        if (u >= 0xDC00 && u <= 0xDFFF) {
          append_utf8(out_, 0x10000 + ((pending_high_ - 0xD800) << 10) + (u - 0xDC00));
          pending_high_ = 0;
          continue;
        }
        replace();
        pending_high_ = 0;
      }
      if (u >= 0xD800 && u <= 0xDBFF)
        pending_high_ = u;
      else if (u >= 0xDC00 && u <= 0xDFFF)
        replace();
      else
        append_utf8(out_, u);
    }
  }
  void finish() {
    if (pending_high_ != 0) replace();
    pending_high_ = 0;
  }

 private:
  void replace() {
    out_ += kReplacementUtf8;
    ++invalid_;
  }
  std::string& out_;
  std::size_t& invalid_;
  char32_t pending_high_ = 0;
};

}  // namespace

std::optional<IcuResult> icu_decode(std::string_view icu_name, std::string_view bytes) {
  Lease lease(icu_name);
  UConverter* converter = lease.get();
  if (converter == nullptr) return std::nullopt;

  IcuResult result;
  UErrorCode error = U_ZERO_ERROR;
  result.converter = ucnv_getName(converter, &error);
  error = U_ZERO_ERROR;
  ucnv_setToUCallBack(converter, substitute_and_count, &result.invalid_sequences, nullptr, nullptr, &error);
  if (U_FAILURE(error)) return std::nullopt;

  result.utf8.reserve(bytes.size() + bytes.size() / 2);
  Utf16Appender appender(result.utf8, result.invalid_sequences);
  std::array<UChar, 4096> buffer{};
  const char* source = bytes.data();
  const char* const source_limit = bytes.data() + bytes.size();
  for (;;) {
    UChar* target = buffer.data();
    error = U_ZERO_ERROR;
    ucnv_toUnicode(converter, &target, buffer.data() + buffer.size(), &source, source_limit, nullptr,
                   /*flush=*/true, &error);
    appender.append(buffer.data(), target);
    if (error == U_BUFFER_OVERFLOW_ERROR) continue;
    if (U_FAILURE(error)) {
      // Not expected with our callback; fail closed: the rest is one invalid sequence.
      result.utf8 += kReplacementUtf8;
      ++result.invalid_sequences;
    }
    break;
  }
  appender.finish();
  // Leave the cached converter without a pointer into this stack frame.
  error = U_ZERO_ERROR;
  ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_SUBSTITUTE, nullptr, nullptr, nullptr, &error);
  return result;
}

std::optional<std::string> icu_canonical_name(std::string_view name) {
  // Not through the cache: callers then decode with the canonical name, one cache entry each.
  UErrorCode error = U_ZERO_ERROR;
  UConverter* converter = ucnv_open(std::string(name).c_str(), &error);
  if (U_FAILURE(error) || converter == nullptr) return std::nullopt;
  std::optional<std::string> canonical;
  if (const char* found = ucnv_getName(converter, &error); U_SUCCESS(error) && found != nullptr)
    canonical = found;
  ucnv_close(converter);
  return canonical;
}

}  // namespace mugai::charset::detail
