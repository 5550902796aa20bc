// Repacks sanitised members as a ZIP in memory through libarchive's writer: deflate at level 1
// (stored when a sample shows the member does not compress), UTF-8 names with the
// language-encoding flag (bit 11) set, so every unzip shows Japanese names right, no symlinks
// or permissions beyond 0644 files, fixed modification time.
#pragma once

#include <archive.h>

#include <optional>
#include <string>
#include <string_view>

#include "archive/utf8_locale.h"

namespace mugai::sanitizers::archive {

class ZipWriter {
 public:
  ZipWriter();
  ~ZipWriter();
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  bool add(const std::string& utf8_path, std::string_view bytes, long long mtime);
  // The archive bytes, or nullopt (error()) when libarchive failed.
  std::optional<std::string> finish();
  std::string error() const { return error_; }

 private:
  ThreadUtf8Locale locale_;
  struct ::archive* handle_ = nullptr;
  std::string output_;
  std::string error_;
  bool failed_ = false;
};

}  // namespace mugai::sanitizers::archive
