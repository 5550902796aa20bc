// Fuzzes the archive module. Every input is offered as an archive (type class archive); members
// are handed to a stand-in for the pipeline's recursion hook that keeps text-looking members
// and removes the rest, like a profile would. Oracles beyond "no crash": the shared budgets are
// respected (expanded bytes, entries), every member handed over respects the member size limit
// and has a relative path without "..", a sanitised verdict is a ZIP that libarchive reads back
// with one uniquely named entry per delivered member, and anything else delivers no bytes.
#include <archive.h>
#include <archive_entry.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "archive/archive_sanitizer.h"
#include "archive/utf8_locale.h"

namespace {

// Small limits so the fuzzer reaches every breach quickly.
mugai::Limits fuzz_limits() {
  mugai::Limits limits;
  limits.max_expand_bytes = 4 << 20;
  limits.max_member_bytes = 1 << 20;
  limits.max_archive_entries = 200;
  return limits;
}

bool relative_and_clean(const std::string& path) {
  if (path.empty() || path.front() == '/' || path.find('\\') != std::string::npos) return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (path.compare(start, slash - start, "..") == 0 && slash - start == 2) return false;
    start = slash + 1;
  }
  return true;
}

std::set<std::string> zip_names(const std::string& zip) {
  std::set<std::string> names;
  const mugai::sanitizers::archive::ThreadUtf8Locale utf8;  // UTF-8 names read back as such
  struct archive* reader = archive_read_new();
  archive_read_support_format_zip(reader);
  if (archive_read_open_memory(reader, zip.data(), zip.size()) != ARCHIVE_OK) std::abort();
  struct archive_entry* entry = nullptr;
  int status = ARCHIVE_OK;
  while ((status = archive_read_next_header(reader, &entry)) == ARCHIVE_OK) {
    names.insert(archive_entry_pathname(entry));
    archive_read_data_skip(reader);
  }
  if (status != ARCHIVE_EOF) std::abort();
  archive_read_free(reader);
  return names;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const mugai::Limits limits = fuzz_limits();
  mugai::Context context{limits, std::chrono::steady_clock::now() + std::chrono::seconds(60)};
  std::size_t delivered = 0;
  context.recurse = [&](const mugai::Extracted& member) {
    if (member.bytes.size() > limits.max_member_bytes || !relative_and_clean(member.filename)) std::abort();
    mugai::MemberVerdict verdict;
    const bool text = member.bytes.find('\0') == std::string::npos;
    verdict.action = text ? mugai::Action::kept : mugai::Action::removed;
    if (text) {
      ++delivered;
      verdict.bytes = member.bytes;
      verdict.filename = member.filename;
    }
    return verdict;
  };
  context.record = [](const mugai::Extracted&, mugai::Action, std::string, std::vector<mugai::Finding>) {};

  mugai::Part part;
  part.bytes = std::string_view(reinterpret_cast<const char*>(data), size);
  part.filename = "fuzz.zip";
  part.detected.cls = mugai::TypeClass::archive;
  part.detected.mime = "application/zip";
  const mugai::Outcome out =
      mugai::sanitizers::archive::ArchiveSanitizer().run(part, "extract-and-recurse", {}, context);

  if (context.expanded_bytes > limits.max_expand_bytes + 64 * 1024) std::abort();
  if (context.archive_entries > limits.max_archive_entries + 1) std::abort();
  if (out.action == mugai::Action::sanitized) {
    // The repacked ZIP reads back cleanly with one uniquely named entry per delivered member.
    if (out.content_type == "application/zip" && zip_names(out.bytes).size() != delivered) std::abort();
  } else if (!out.bytes.empty()) {
    std::abort();
  }
  return 0;
}
