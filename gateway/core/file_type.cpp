// libmagic decides what bytes really are. One magic_t per thread (libmagic handles are not
// thread-safe); loaded once per thread and kept.
#include "mugai/core/file_type.h"

#include "com_guess.h"
#include "japanese_formats.h"
#include "office_package.h"

#include <magic.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>

namespace mugai::core {
namespace {

struct MagicCloser {
  void operator()(magic_t handle) const { magic_close(handle); }
};
using MagicHandle = std::unique_ptr<std::remove_pointer_t<magic_t>, MagicCloser>;

MagicHandle open_magic(int flags) {
  // MAGIC_NO_CHECK_COMPRESS/ELF-internals off: we want the outer type, never decompression
  // (a compressed bomb must not be expanded by the type check).
  MagicHandle handle(magic_open(flags | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR));
  if (handle && magic_load(handle.get(), nullptr) != 0) handle.reset();
  return handle;
}

magic_t mime_handle() {
  thread_local MagicHandle handle = open_magic(MAGIC_MIME_TYPE);
  return handle.get();
}

magic_t description_handle() {
  thread_local MagicHandle handle = open_magic(MAGIC_NONE);
  return handle.get();
}

struct ClassEntry {
  std::string_view mime;
  TypeClass cls;
};

// Exact MIME types as libmagic 5.44 spells them. Anything able to run code on the recipient's
// machine is `executable` or `script`, whatever it is called.
constexpr std::array kExactClasses{
    ClassEntry{"text/html", TypeClass::html},
    ClassEntry{"application/xhtml+xml", TypeClass::html},
    ClassEntry{"text/calendar", TypeClass::calendar},
    ClassEntry{"application/pdf", TypeClass::pdf},
    ClassEntry{"message/rfc822", TypeClass::message},
    ClassEntry{"message/news", TypeClass::message},
    ClassEntry{"application/json", TypeClass::text},
    ClassEntry{"application/x-empty", TypeClass::text},
    ClassEntry{"inode/x-empty", TypeClass::text},
    ClassEntry{"text/xml", TypeClass::other},
    ClassEntry{"application/xml", TypeClass::other},
    ClassEntry{"text/rtf", TypeClass::other},
    ClassEntry{"application/rtf", TypeClass::other},
    // Scripts: run by a double click on Windows or by an interpreter.
    ClassEntry{"text/x-shellscript", TypeClass::script},
    ClassEntry{"application/x-shellscript", TypeClass::script},
    ClassEntry{"text/x-msdos-batch", TypeClass::script},
    ClassEntry{"text/x-python", TypeClass::script},
    ClassEntry{"text/x-script.python", TypeClass::script},
    ClassEntry{"text/x-perl", TypeClass::script},
    ClassEntry{"text/x-php", TypeClass::script},
    ClassEntry{"text/x-ruby", TypeClass::script},
    ClassEntry{"text/x-lua", TypeClass::script},
    ClassEntry{"text/x-tcl", TypeClass::script},
    ClassEntry{"text/x-awk", TypeClass::script},
    ClassEntry{"text/javascript", TypeClass::script},
    ClassEntry{"application/javascript", TypeClass::script},
    ClassEntry{"application/x-powershell", TypeClass::script},
    ClassEntry{"image/svg+xml", TypeClass::svg},  // SVG can carry script: its own class
    ClassEntry{"application/hta", TypeClass::script},
    ClassEntry{"application/vnd.ms-htmlhelp", TypeClass::script},  // CHM
    ClassEntry{"application/onenote", TypeClass::script},
    // Executables and things the shell launches.
    ClassEntry{"application/x-dosexec", TypeClass::executable},
    ClassEntry{"application/vnd.microsoft.portable-executable", TypeClass::executable},
    ClassEntry{"application/x-msdownload", TypeClass::executable},
    ClassEntry{"application/x-executable", TypeClass::executable},
    ClassEntry{"application/x-pie-executable", TypeClass::executable},
    ClassEntry{"application/x-sharedlib", TypeClass::executable},
    ClassEntry{"application/x-object", TypeClass::executable},
    ClassEntry{"application/x-coredump", TypeClass::executable},
    ClassEntry{"application/x-mach-binary", TypeClass::executable},
    ClassEntry{"application/x-java-applet", TypeClass::executable},
    ClassEntry{"application/java-archive", TypeClass::executable},
    ClassEntry{"application/x-ms-shortcut", TypeClass::executable},
    ClassEntry{"application/x-msi", TypeClass::executable},
    ClassEntry{"application/x-ms-installer", TypeClass::executable},
    ClassEntry{"application/x-wine-extension-ini", TypeClass::other},
    ClassEntry{"application/vnd.android.package-archive", TypeClass::executable},
    // Archives and compressed files.
    ClassEntry{"application/zip", TypeClass::archive},
    ClassEntry{"application/x-7z-compressed", TypeClass::archive},
    ClassEntry{"application/x-rar", TypeClass::archive},
    ClassEntry{"application/vnd.rar", TypeClass::archive},
    ClassEntry{"application/x-lzh-compressed", TypeClass::archive},
    ClassEntry{"application/x-lha", TypeClass::archive},
    ClassEntry{"application/x-tar", TypeClass::archive},
    ClassEntry{"application/gzip", TypeClass::archive},
    ClassEntry{"application/x-gzip", TypeClass::archive},
    ClassEntry{"application/x-bzip2", TypeClass::archive},
    ClassEntry{"application/x-xz", TypeClass::archive},
    ClassEntry{"application/zstd", TypeClass::archive},
    ClassEntry{"application/x-lzip", TypeClass::archive},
    ClassEntry{"application/x-lzma", TypeClass::archive},
    ClassEntry{"application/x-compress", TypeClass::archive},
    ClassEntry{"application/x-arj", TypeClass::archive},
    ClassEntry{"application/x-cpio", TypeClass::archive},
    ClassEntry{"application/vnd.ms-cab-compressed", TypeClass::archive},
    // Disk images: a known malware carrier (they bypass Mark-of-the-Web).
    ClassEntry{"application/x-iso9660-image", TypeClass::disk_image},
    ClassEntry{"application/x-raw-disk-image", TypeClass::disk_image},
    ClassEntry{"application/x-virtualbox-vhd", TypeClass::disk_image},
    ClassEntry{"application/x-virtualbox-vhdx", TypeClass::disk_image},
    ClassEntry{"application/x-vhd", TypeClass::disk_image},
    ClassEntry{"application/x-apple-diskimage", TypeClass::disk_image},
    ClassEntry{"application/x-udf-image", TypeClass::disk_image},
    // Legacy Office and other compound files.
    ClassEntry{"application/msword", TypeClass::ole2},
    ClassEntry{"application/vnd.ms-excel", TypeClass::ole2},
    ClassEntry{"application/vnd.ms-powerpoint", TypeClass::ole2},
    ClassEntry{"application/vnd.ms-office", TypeClass::ole2},
    ClassEntry{"application/x-ole-storage", TypeClass::ole2},
    ClassEntry{"application/CDFV2", TypeClass::ole2},
    ClassEntry{"application/vnd.ms-outlook", TypeClass::ole2},
    // Ichitaro 4-6 as libmagic names them (newer ones are found by japanese_format()).
    ClassEntry{"application/x-ichitaro4", TypeClass::ichitaro},
    ClassEntry{"application/x-ichitaro5", TypeClass::ichitaro},
    ClassEntry{"application/x-ichitaro6", TypeClass::ichitaro},
    ClassEntry{"application/octet-stream", TypeClass::unknown},
};

}  // namespace

TypeClass classify_mime(std::string_view mime) {
  for (const ClassEntry& entry : kExactClasses)
    if (entry.mime == mime) return entry.cls;
  if (mime.starts_with("application/vnd.openxmlformats-officedocument.") ||
      mime.starts_with("application/vnd.ms-word.") || mime.starts_with("application/vnd.ms-excel.") ||
      mime.starts_with("application/vnd.ms-powerpoint."))
    return TypeClass::ooxml;
  if (mime.starts_with("image/")) return TypeClass::image;
  if (mime.starts_with("text/x-script")) return TypeClass::script;
  if (mime.starts_with("text/")) return TypeClass::text;
  if (mime.empty()) return TypeClass::unknown;
  return TypeClass::other;
}

FileType identify(std::string_view bytes) {
  // Formats libmagic does not name, or calls plain text (a STEP file is ASCII).
  if (std::optional<FileType> japanese = japanese_format(bytes)) return *japanese;
  FileType type;
  magic_t handle = mime_handle();
  const char* mime = handle ? magic_buffer(handle, bytes.data(), bytes.size()) : nullptr;
  // No answer from libmagic is "unknown", which every profile treats as not allowed.
  type.mime = mime ? mime : "";
  type.cls = classify_mime(type.mime);
  if (type.mime == "application/zip" || type.mime == "application/octet-stream")
    if (std::optional<FileType> package = unnamed_ooxml_package(bytes)) return *package;
  if (type.cls != TypeClass::text && type.cls != TypeClass::html) {
    magic_t describer = description_handle();
    const char* description = describer ? magic_buffer(describer, bytes.data(), bytes.size()) : nullptr;
    if (description) type.description = description;
  }
  if (type.cls == TypeClass::executable && is_com_guess(type.description) && reads_as_japanese_text(bytes)) {
    // Safe to read as text: a 16-bit .COM program cannot run on 64-bit Windows, a name ending
    // in .com is still refused by its extension, and CP932/EUC-JP text is re-encoded to UTF-8.
    type.description = "Japanese text (libmagic guessed: " + type.description + ")";
    type.mime = "text/plain";
    type.cls = TypeClass::text;
  }
  return type;
}

}  // namespace mugai::core
