#include "mugai/release/release_store.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "mugai/core/quarantine.h"
#include "mugai/core/utc_time.h"

namespace mugai::release {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& what, const std::string& path, int error = errno) {
  throw std::runtime_error("release store: " + what + " '" + path + "': " + std::strerror(error));
}

void ensure_directory(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) fail("cannot create", path);
}

void sync_directory(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail("cannot open", path);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) fail("cannot sync", path);
}

void write_atomically(const std::string& directory, const std::string& final_path, const std::string& bytes) {
  const std::string temporary = final_path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) fail("cannot create", temporary);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t wrote = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) {
      const int error = errno;
      ::close(fd);
      fail("cannot write", temporary, error);
    }
    done += static_cast<std::size_t>(wrote);
  }
  if (::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    fail("cannot sync", temporary, error);
  }
  ::close(fd);
  if (::rename(temporary.c_str(), final_path.c_str()) != 0) fail("cannot rename to", final_path);
  sync_directory(directory);
}

std::optional<std::string> read_whole(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    fail("cannot open", path);
  }
  std::string bytes;
  char buffer[65536];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      const int error = errno;
      ::close(fd);
      fail("cannot read", path, error);
    }
    if (got == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(fd);
  return bytes;
}

std::string text(const json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

void require_valid(const std::string& id) {
  // The only gate between a URL or a command line and a path: hex only, so "../", "%2e" or NUL
  // never name a file.
  if (!core::Quarantine::is_valid_id(id)) throw std::invalid_argument("release store: invalid ID");
}

}  // namespace

json ReleaseRecord::to_json() const {
  return {{"format", "mugai-release/1"},
          {"id", id},
          {"state", state},
          {"content", content},
          {"approval", approval},
          {"requester", requester},
          {"address", address},
          {"requested_at", requested_at},
          {"updated_at", updated_at},
          {"decided_by", decided_by},
          {"comment", comment},
          {"reason", reason},
          {"token", token},
          {"staged_sha256", staged_sha256},
          {"password_failures", password_failures}};
}

std::optional<ReleaseRecord> ReleaseRecord::from_json(const json& object) {
  if (!object.is_object() || text(object, "format") != "mugai-release/1") return std::nullopt;
  ReleaseRecord record;
  record.id = text(object, "id");
  record.state = text(object, "state");
  record.content = text(object, "content");
  record.approval = text(object, "approval");
  record.requester = text(object, "requester");
  record.address = text(object, "address");
  record.requested_at = text(object, "requested_at");
  record.updated_at = text(object, "updated_at");
  record.decided_by = text(object, "decided_by");
  record.comment = text(object, "comment");
  record.reason = text(object, "reason");
  record.token = text(object, "token");
  record.staged_sha256 = text(object, "staged_sha256");
  if (const auto found = object.find("password_failures"); found != object.end() && found->is_array())
    for (const json& item : *found)
      if (item.is_string()) record.password_failures.push_back(item.get<std::string>());
  if (!core::Quarantine::is_valid_id(record.id) || record.state.empty()) return std::nullopt;
  return record;
}

ReleaseStore::ReleaseStore(std::string quarantine_dir) : directory_(std::move(quarantine_dir) + "/releases") {}

std::string ReleaseStore::path(const std::string& id, const char* suffix) const {
  require_valid(id);
  return directory_ + "/" + id + suffix;
}

ReleaseStore::Lock::Lock(const ReleaseStore& store, const std::string& id) {
  const std::string lock_path = store.path(id, ".lock");
  const std::string parent = std::filesystem::path(store.directory_).parent_path().string();
  if (!parent.empty()) ensure_directory(parent);
  ensure_directory(store.directory_);
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd_ < 0) fail("cannot open lock", lock_path);
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    const int error = errno;
    ::close(fd_);
    fail("cannot lock", lock_path, error);
  }
}

ReleaseStore::Lock::~Lock() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<ReleaseRecord> ReleaseStore::find(const std::string& id) const {
  const std::optional<std::string> bytes = read_whole(path(id, ".json"));
  if (!bytes) return std::nullopt;
  const json parsed = json::parse(*bytes, nullptr, false);
  std::optional<ReleaseRecord> record = ReleaseRecord::from_json(parsed);
  if (!record || record->id != id) throw std::runtime_error("release store: record " + id + " is unreadable");
  return record;
}

void ReleaseStore::save(const ReleaseRecord& record) const {
  ensure_directory(directory_);
  write_atomically(directory_, path(record.id, ".json"),
                   record.to_json().dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

void ReleaseStore::stage(const std::string& id, const std::string& bytes) const {
  ensure_directory(directory_);
  write_atomically(directory_, path(id, ".out"), bytes);
}

std::optional<std::string> ReleaseStore::staged(const std::string& id) const { return read_whole(path(id, ".out")); }

void ReleaseStore::remove_staged(const std::string& id) const {
  const std::string file = path(id, ".out");
  if (::unlink(file.c_str()) != 0 && errno != ENOENT) fail("cannot delete", file);
}

void ReleaseStore::remove_all(const std::string& id) const {
  for (const char* suffix : {".json", ".out", ".lock"}) {
    const std::string file = path(id, suffix);
    if (::unlink(file.c_str()) != 0 && errno != ENOENT) fail("cannot delete", file);
  }
}

std::vector<ReleaseRecord> ReleaseStore::list() const {
  std::vector<ReleaseRecord> records;
  std::error_code error;
  if (!std::filesystem::is_directory(directory_, error)) return records;
  for (const auto& file : std::filesystem::directory_iterator(directory_, error)) {
    const std::string name = file.path().filename().string();
    if (name.size() != core::Quarantine::kIdLength + 5 || !name.ends_with(".json")) continue;
    const std::string id = name.substr(0, core::Quarantine::kIdLength);
    if (!core::Quarantine::is_valid_id(id)) continue;
    try {
      if (std::optional<ReleaseRecord> record = find(id)) records.push_back(std::move(*record));
    } catch (const std::exception&) {
      // An unreadable record is skipped in lists; acting on it reports the error.
    }
  }
  std::sort(records.begin(), records.end(),
            [](const ReleaseRecord& a, const ReleaseRecord& b) { return a.requested_at < b.requested_at; });
  return records;
}

std::string utc_now() { return core::utc_now_seconds(); }

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1)
    throw std::runtime_error("release: no randomness for a token");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

}  // namespace mugai::release
