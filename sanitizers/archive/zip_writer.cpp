#include "archive/zip_writer.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <vector>

#include "compressibility/compressibility.h"

namespace mugai::sanitizers::archive {
namespace {

la_ssize_t append(struct ::archive*, void* client, const void* buffer, size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

}  // namespace

ZipWriter::ZipWriter() {
  handle_ = archive_write_new();
  if (handle_ == nullptr || archive_write_set_format_zip(handle_) != ARCHIVE_OK ||
      archive_write_set_option(handle_, "zip", "compression", "deflate") != ARCHIVE_OK ||
      // zlib level 1, as the ooxml module: repacking is on every mail's path (bench/README.md)
      archive_write_set_option(handle_, "zip", "compression-level", "1") != ARCHIVE_OK ||
      archive_write_set_option(handle_, "zip", "hdrcharset", "UTF-8") != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(handle_, 1) != ARCHIVE_OK ||
      archive_write_open2(handle_, &output_, nullptr, append, nullptr, nullptr) != ARCHIVE_OK) {
    failed_ = true;
    error_ = handle_ != nullptr && archive_error_string(handle_) ? archive_error_string(handle_)
                                                                 : "libarchive writer could not start";
  }
}

ZipWriter::~ZipWriter() {
  if (handle_ != nullptr) archive_write_free(handle_);
}

bool ZipWriter::add(const std::string& utf8_path, std::string_view bytes, long long mtime) {
  if (failed_) return false;
  struct ::archive_entry* entry = archive_entry_new();
  archive_entry_set_pathname_utf8(entry, utf8_path.c_str());
  archive_entry_set_filetype(entry, AE_IFREG);
  archive_entry_set_perm(entry, 0644);
  archive_entry_set_size(entry, static_cast<la_int64_t>(bytes.size()));
  archive_entry_set_mtime(entry, mtime, 0);
  bool ok = (deflate_saves_little(bytes) ? archive_write_zip_set_compression_store(handle_)
                                   : archive_write_zip_set_compression_deflate(handle_)) == ARCHIVE_OK &&
            archive_write_header(handle_, entry) == ARCHIVE_OK;
  archive_entry_free(entry);
  while (ok && !bytes.empty()) {
    const la_ssize_t written = archive_write_data(handle_, bytes.data(), bytes.size());
    if (written <= 0) ok = false;
    else bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  if (!ok) {
    failed_ = true;
    const char* text = archive_error_string(handle_);
    error_ = text != nullptr ? text : "libarchive could not write a member";
  }
  return ok;
}

std::optional<std::string> ZipWriter::finish() {
  if (failed_) return std::nullopt;
  if (archive_write_close(handle_) != ARCHIVE_OK) {
    const char* text = archive_error_string(handle_);
    error_ = text != nullptr ? text : "libarchive could not finish the ZIP";
    return std::nullopt;
  }
  return std::move(output_);
}

}  // namespace mugai::sanitizers::archive
