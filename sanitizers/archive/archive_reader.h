// A libarchive reader over bytes in memory with exactly the formats and filters mugai accepts
// (never support_format_all: every extra format is an extra parser exposed to hostile input), a
// UTF-8 locale for the calling thread only (libarchive converts member names through the
// locale; the C locale turns every non-ASCII name into an error), and PPAP passphrases.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "archive/utf8_locale.h"

namespace mugai::sanitizers::archive {

enum class EntryKind { file, directory, symlink, hardlink, device, other };

struct EntryHeader {
  std::string raw_path;  // bytes as stored (UTF-8, or CP932 from Windows ZIPs without bit 11)
  EntryKind kind = EntryKind::file;
  std::string link_target;
  bool encrypted = false;  // data or metadata encrypted
  std::int64_t declared_size = -1;  // as the archive claims; never trusted for allocation
};

enum class Step { entry, end, error };

class ArchiveReader {
 public:
  ArchiveReader(std::string_view bytes, const std::vector<std::string>& passwords);
  ~ArchiveReader();
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  bool opened() const { return opened_; }
  Step next(EntryHeader& header);
  // Next block of the current entry's data: >0 bytes, 0 at the end, <0 on error (error()).
  la_ssize_t read_block(const void*& data);
  // Bytes of the input consumed so far (for the expansion ratio).
  std::uint64_t consumed() const;

  std::string error() const;
  std::string format_name() const;
  bool is_raw() const;          // libarchive's "raw" format: a single compressed file
  bool is_compressed() const;   // at least one decompression filter is active
  bool has_encrypted_entries() const;  // libarchive's own view, also after a header error
  // libarchive 3.6 decrypts ZIP only (ZipCrypto, WinZip AES). Its RAR reader hands out the
  // encrypted bytes of a RAR 4 entry as if they were data, so for every other format an
  // encrypted entry is never read, password or not.
  bool can_decrypt() const;

 private:
  ThreadUtf8Locale locale_;  // first member: set before libarchive starts, reset after it is freed
  struct ::archive* handle_ = nullptr;
  bool opened_ = false;
  std::string_view bytes_;
  std::vector<char> buffer_ = std::vector<char>(64 * 1024);
};

}  // namespace mugai::sanitizers::archive
