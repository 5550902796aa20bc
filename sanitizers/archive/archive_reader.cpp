#include "archive/archive_reader.h"

namespace mugai::sanitizers::archive {
namespace {

// The formats the issue names, each an explicit choice. iso9660 also reads Joliet and Rock
// Ridge names; libarchive 3.6 has no UDF reader (pure UDF images are refused as unknown).
void enable_formats(struct ::archive* handle) {
  archive_read_support_format_zip(handle);
  archive_read_support_format_7zip(handle);
  archive_read_support_format_rar(handle);
  archive_read_support_format_rar5(handle);
  archive_read_support_format_lha(handle);
  archive_read_support_format_tar(handle);
  archive_read_support_format_cab(handle);
  archive_read_support_format_iso9660(handle);
  archive_read_support_format_raw(handle);  // plain .gz/.bz2/.xz/.zst/.lz: one member
  archive_read_support_filter_gzip(handle);
  archive_read_support_filter_bzip2(handle);
  archive_read_support_filter_xz(handle);
  archive_read_support_filter_lzma(handle);
  archive_read_support_filter_lzip(handle);
  archive_read_support_filter_zstd(handle);
}

EntryKind kind_of(struct ::archive_entry* entry) {
  if (archive_entry_hardlink(entry) != nullptr) return EntryKind::hardlink;
  switch (archive_entry_filetype(entry)) {
    case AE_IFREG: return EntryKind::file;
    case AE_IFDIR: return EntryKind::directory;
    case AE_IFLNK: return EntryKind::symlink;
    case AE_IFCHR:
    case AE_IFBLK: return EntryKind::device;
    default: return EntryKind::other;  // FIFO, socket, unknown
  }
}

}  // namespace

ArchiveReader::ArchiveReader(std::string_view bytes, const std::vector<std::string>& passwords) : bytes_(bytes) {
  handle_ = archive_read_new();
  if (handle_ == nullptr) return;
  enable_formats(handle_);
  for (const std::string& password : passwords) archive_read_add_passphrase(handle_, password.c_str());
  opened_ = archive_read_open_memory(handle_, bytes.data(), bytes.size()) == ARCHIVE_OK;
}

ArchiveReader::~ArchiveReader() {
  if (handle_ != nullptr) archive_read_free(handle_);
}

Step ArchiveReader::next(EntryHeader& header) {
  struct ::archive_entry* entry = nullptr;
  const int status = archive_read_next_header(handle_, &entry);
  if (status == ARCHIVE_EOF) return Step::end;
  if (status != ARCHIVE_OK && status != ARCHIVE_WARN) return Step::error;
  header = EntryHeader{};
  const char* path = archive_entry_pathname(entry);
  header.raw_path = path != nullptr ? path : "";
  header.kind = kind_of(entry);
  const char* target = header.kind == EntryKind::hardlink ? archive_entry_hardlink(entry) : archive_entry_symlink(entry);
  header.link_target = target != nullptr ? target : "";
  header.encrypted = archive_entry_is_encrypted(entry) != 0;
  header.declared_size = archive_entry_size_is_set(entry) ? archive_entry_size(entry) : -1;
  return Step::entry;
}

la_ssize_t ArchiveReader::read_block(const void*& data) {
  const la_ssize_t got = archive_read_data(handle_, buffer_.data(), buffer_.size());
  data = buffer_.data();
  return got;
}

std::uint64_t ArchiveReader::consumed() const {
  const la_int64_t bytes = archive_filter_bytes(handle_, -1);
  return bytes > 0 ? static_cast<std::uint64_t>(bytes) : 0;
}

std::string ArchiveReader::error() const {
  const char* text = handle_ != nullptr ? archive_error_string(handle_) : "libarchive could not start";
  return text != nullptr ? text : "unknown libarchive error";
}

std::string ArchiveReader::format_name() const {
  const char* name = archive_format_name(handle_);
  return name != nullptr ? name : "unknown";
}

bool ArchiveReader::is_raw() const { return archive_format(handle_) == ARCHIVE_FORMAT_RAW; }

bool ArchiveReader::is_compressed() const {
  for (int i = 0; i < archive_filter_count(handle_); ++i)
    if (archive_filter_code(handle_, i) != ARCHIVE_FILTER_NONE) return true;
  return false;
}

bool ArchiveReader::can_decrypt() const {
  return (archive_format(handle_) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP;
}

bool ArchiveReader::has_encrypted_entries() const { return archive_read_has_encrypted_entries(handle_) > 0; }

}  // namespace mugai::sanitizers::archive
