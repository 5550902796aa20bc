// Write-then-rename delivery into outbox_dir (Maildir-like: tmp/ then the directory itself).
#include "mugai/smtp/outbox.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "mugai/core/digest.h"

namespace mugai::smtp {
namespace {

bool write_fully(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool fsync_directory(const std::string& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

TransportResult failure(std::string text) {
  TransportResult result;
  result.kind = TransportResult::Kind::temporary;
  result.stage = "outbox";
  result.text = std::move(text);
  return result;
}

}  // namespace

Outbox::Outbox(std::string directory) : directory_(std::move(directory)) {}

bool Outbox::prepare(std::string& error) const {
  std::error_code code;
  std::filesystem::create_directories(std::filesystem::path(directory_) / "tmp", code);
  if (code) {
    error = "cannot create outbox " + directory_ + ": " + code.message();
    return false;
  }
  if (::access(directory_.c_str(), W_OK) != 0) {
    error = "outbox " + directory_ + " is not writable";
    return false;
  }
  return true;
}

TransportResult Outbox::send(const Envelope& envelope, std::string_view trace, std::string_view message) {
  std::string head = "Return-Path: <" + envelope.mail_from + ">\r\nX-Mugai-Envelope-To: ";
  for (std::size_t i = 0; i < envelope.recipients.size(); ++i) {
    if (i > 0) head += ",\r\n ";
    head += "<" + envelope.recipients[i] + ">";
  }
  head += "\r\n";

  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count() %
                     1'000'000'000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[64];
  std::snprintf(stamp, sizeof stamp, "%04d%02d%02dT%02d%02d%02d.%09lldZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<long long>(nanos));
  const std::string name = std::string(stamp) + "-" + core::sha256_hex(message).substr(0, 16) + "-" +
                           std::to_string(::getpid()) + "-" + std::to_string(++counter_) + ".eml";
  const std::string temporary = directory_ + "/tmp/" + name;
  const std::string final_path = directory_ + "/" + name;

  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return failure(std::string("cannot create ") + temporary + ": " + std::strerror(errno));
  const bool written =
      write_fully(fd, head) && write_fully(fd, trace) && write_fully(fd, message) && ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!written || !closed) {
    ::unlink(temporary.c_str());
    return failure("cannot write " + temporary);
  }
  if (::rename(temporary.c_str(), final_path.c_str()) != 0) {
    ::unlink(temporary.c_str());
    return failure(std::string("cannot rename into ") + directory_ + ": " + std::strerror(errno));
  }
  // The rename itself must survive a power cut before we answer 250.
  if (!fsync_directory(directory_)) {
    ::unlink(final_path.c_str());  // we answer 4xx: the sender retries, so no copy may stay
    return failure("cannot fsync " + directory_);
  }
  TransportResult result;
  result.kind = TransportResult::Kind::accepted;
  result.stage = "outbox";
  result.text = name;
  return result;
}

}  // namespace mugai::smtp
