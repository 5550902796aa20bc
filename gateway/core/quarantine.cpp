// Quarantine store: originals and their metadata, content-addressed, on the Internet side.
// Threats handled: path traversal through IDs (IDs are validated before any path is built), torn
// files after a crash (temp file + fsync + rename + directory fsync), lost updates when several
// sessions or processes store the same original at once (one flock per shard directory),
// other local users reading hostile originals or personal data (0700 directories, 0600 files).
#include "mugai/core/quarantine.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

#include "mugai/core/digest.h"
#include "mugai/core/utc_time.h"

namespace mugai::core {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kFormat = "mugai-quarantine/1";

[[noreturn]] void fail(const std::string& what, const std::string& path, int error = errno) {
  throw std::runtime_error("quarantine: " + what + " '" + path + "': " + std::strerror(error));
}

bool is_lower_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// Creates `path` 0700 when missing (its parents with the default mode); an existing directory
// keeps the mode its administrator gave it.
void ensure_directory(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) == 0 || errno == EEXIST) {
    struct stat info{};
    if (::stat(path.c_str(), &info) != 0) fail("cannot stat", path);
    if (!S_ISDIR(info.st_mode)) fail("not a directory", path, ENOTDIR);
    return;
  }
  if (errno != ENOENT) fail("cannot create directory", path);
  std::error_code error;
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, error);
  if (error) fail("cannot create directory", parent.string(), error.value());
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) fail("cannot create directory", path);
}

void fsync_directory(const std::string& path) {
  Fd dir(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0 || ::fsync(dir.get()) != 0) fail("cannot sync directory", path);
}

void write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      fail("cannot write", path);
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

// Write-then-rename: readers and a crash see either no file or the whole file, never a part.
// `sync_directory` false leaves the rename to a later directory fsync (one covers every entry).
void write_atomically(const std::string& directory, const std::string& name, std::string_view bytes,
                      bool sync_directory = true) {
  const std::string final_path = directory + "/" + name;
  std::string temporary = directory + "/." + name + ".XXXXXX";  // dot: list() never sees it
  Fd fd(::mkostemp(temporary.data(), O_CLOEXEC));  // mode 0600
  if (fd.get() < 0) fail("cannot create", temporary);
  try {
    write_all(fd.get(), bytes, temporary);
    if (::fsync(fd.get()) != 0) fail("cannot sync", temporary);
    if (::close(fd.release()) != 0) fail("cannot close", temporary);
    if (::rename(temporary.c_str(), final_path.c_str()) != 0) fail("cannot rename to", final_path);
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
  if (sync_directory) fsync_directory(directory);
}

// nullopt when the file does not exist; other errors throw.
std::optional<std::string> read_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::nullopt;
    fail("cannot open", path);
  }
  std::string data;
  char buffer[65536];
  for (;;) {
    const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      fail("cannot read", path);
    }
    if (got == 0) break;
    data.append(buffer, static_cast<std::size_t>(got));
  }
  return data;
}

bool file_exists(const std::string& path) {
  struct stat info{};
  if (::lstat(path.c_str(), &info) == 0) return true;
  if (errno != ENOENT) fail("cannot stat", path);
  return false;
}

// Later stores of an original already in the store: one JSON line each in <id>.deliveries, appended
// and synced (O(1), no new file per store; the metadata file is written once). Past
// kMaxDeliveryRecords lines only a count is kept, in <id>.more, rewritten in place.
std::size_t count_lines(std::string_view text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

void append_line(const std::string& directory, const std::string& path, std::string line) {
  Fd fd(::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) fail("cannot open", path);
  struct stat info{};
  if (::fstat(fd.get(), &info) != 0) fail("cannot stat", path);
  // A crash can leave a last line without its end: end it, so this line stays whole.
  char last = '\n';
  if (info.st_size > 0 && ::pread(fd.get(), &last, 1, info.st_size - 1) != 1) fail("cannot read", path);
  if (last != '\n') line.insert(line.begin(), '\n');
  write_all(fd.get(), line + "\n", path);
  if (::fdatasync(fd.get()) != 0) fail("cannot sync", path);
  if (info.st_size == 0) fsync_directory(directory);  // a new file: its entry too
}

std::uint64_t read_count(const std::string& path) {
  const std::optional<std::string> text = read_file(path);
  if (!text) return 0;
  std::uint64_t value = 0;
  for (const char c : *text) {
    if (c < '0' || c > '9' || value > (UINT64_MAX - 9) / 10) break;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

// Fixed width, written over itself: no new file per store.
void write_count(const std::string& directory, const std::string& path, std::uint64_t value) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) fail("cannot open", path);
  char text[24];
  std::snprintf(text, sizeof text, "%020llu\n", static_cast<unsigned long long>(value));
  if (::pwrite(fd.get(), text, 21, 0) != 21) fail("cannot write", path);
  if (::fdatasync(fd.get()) != 0) fail("cannot sync", path);
  if (value == 1) fsync_directory(directory);
}

// Serialises stores into one shard across threads and processes (each flock() has its own open
// file description, so two threads of one process exclude each other too).
class ShardLock {
 public:
  explicit ShardLock(const std::string& shard) : fd_(::open((shard + "/.lock").c_str(),
                                                            O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (fd_.get() < 0) fail("cannot open lock", shard + "/.lock");
    while (::flock(fd_.get(), LOCK_EX) != 0)
      if (errno != EINTR) fail("cannot lock", shard + "/.lock");
  }

 private:
  Fd fd_;  // closing releases the lock
};

std::string shard_of(const std::string& directory, const std::string& id) {
  return directory + "/" + id.substr(0, 2);
}

// Hostile strings (names, subjects) may carry invalid UTF-8: replaced, never a throw.
std::string dump(const json& document) {
  return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

json delivery_json(const QuarantineEntry& entry, const std::string& stored_at) {
  return {{"stored_at", stored_at},   {"sender", entry.sender},   {"recipients", entry.recipients},
          {"subject", entry.subject}, {"profile", entry.profile}, {"verdict", entry.verdict}};
}

json first_metadata(const QuarantineEntry& entry, const std::string& id, std::uint64_t size,
                     const std::string& stored_at) {
  json report = json::parse(entry.report_json, nullptr, false);
  if (report.is_discarded()) report = entry.report_json;  // kept as text rather than lost
  json metadata = delivery_json(entry, stored_at);
  metadata["format"] = kFormat;
  metadata["id"] = id;
  metadata["kind"] = entry.kind;
  metadata["size"] = size;
  metadata["report"] = std::move(report);
  metadata["delivery_count"] = 1;
  metadata["deliveries"] = json::array();
  return metadata;
}

std::string string_field(const json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::vector<std::string> strings_field(const json& object, const char* key) {
  std::vector<std::string> values;
  const auto found = object.find(key);
  if (found == object.end() || !found->is_array()) return values;
  for (const json& value : *found)
    if (value.is_string()) values.push_back(value.get<std::string>());
  return values;
}

std::uint64_t number_field(const json& object, const char* key, std::uint64_t fallback) {
  const auto found = object.find(key);
  return found != object.end() && found->is_number_unsigned() ? found->get<std::uint64_t>() : fallback;
}

QuarantineDelivery delivery_from_json(const json& record) {
  return {string_field(record, "stored_at"), string_field(record, "sender"),   strings_field(record, "recipients"),
          string_field(record, "subject"),   string_field(record, "profile"), string_field(record, "verdict")};
}

// Metadata as the first store wrote it; stores of format 1 before 2026-11-23 also kept their
// later deliveries here (delivery_count, deliveries), which are still read.
QuarantineEntry entry_from_metadata(const std::string& id, const std::string& text) {
  QuarantineEntry entry;
  entry.id = id;
  const json metadata = json::parse(text, nullptr, false);
  if (metadata.is_discarded() || !metadata.is_object() || string_field(metadata, "id") != id) {
    // Not written by us (or edited by hand): shown, so that an administrator notices.
    entry.verdict = "unreadable-metadata";
    return entry;
  }
  entry.stored_at = string_field(metadata, "stored_at");
  entry.kind = string_field(metadata, "kind");
  entry.sender = string_field(metadata, "sender");
  entry.recipients = strings_field(metadata, "recipients");
  entry.subject = string_field(metadata, "subject");
  entry.profile = string_field(metadata, "profile");
  entry.verdict = string_field(metadata, "verdict");
  entry.size = number_field(metadata, "size", 0);
  entry.delivery_count = number_field(metadata, "delivery_count", 1);
  const auto report = metadata.find("report");
  if (report != metadata.end())
    entry.report_json = report->is_string() ? report->get<std::string>()
                                            : report->dump(2, ' ', false, json::error_handler_t::replace);
  const auto deliveries = metadata.find("deliveries");
  if (deliveries != metadata.end() && deliveries->is_array()) {
    for (const json& record : *deliveries)
      if (record.is_object()) entry.deliveries.push_back(delivery_from_json(record));
  }
  return entry;
}

}  // namespace

Quarantine::Quarantine(std::string directory) : directory_(std::move(directory)) {
  if (directory_.empty()) directory_ = ".";
}

bool Quarantine::is_valid_id(std::string_view id) {
  return id.size() == kIdLength && is_lower_hex(id);
}

bool Quarantine::is_valid_prefix(std::string_view prefix) {
  return prefix.size() >= kMinPrefixLength && prefix.size() <= kIdLength && is_lower_hex(prefix);
}

HashedOriginal::HashedOriginal(const std::string& bytes) : bytes_(bytes), sha256_(sha256_hex(bytes)) {}

std::string Quarantine::shard_for(const HashedOriginal& original) const {
  ensure_directory(directory_);
  std::string shard = shard_of(directory_, original.sha256());
  ensure_directory(shard);
  return shard;
}

// The first original is kept: a later store has the same bytes anyway (same SHA-256). Its rename
// is made durable by a directory fsync in store(). True when it was written now.
bool Quarantine::write_original_locked(const std::string& shard, const HashedOriginal& original) const {
  const std::string& id = original.sha256();
  if (file_exists(shard + "/" + id + ".orig")) return false;
  write_atomically(shard, id + ".orig", original.bytes(), false);
  return true;
}

void Quarantine::store(const std::string& original, const QuarantineEntry& entry) const {
  store(HashedOriginal(original), entry);
}

void Quarantine::store(const HashedOriginal& original, const QuarantineEntry& entry) const {
  const std::string& digest = original.sha256();
  const std::string id = entry.id.empty() ? digest : entry.id;
  if (!is_valid_id(id)) throw std::runtime_error("quarantine: invalid ID '" + id + "'");
  // Content addressing is what makes "same ID = same bytes" true; a mislabelled store would let
  // one original be shown (and released) under another's ID.
  if (id != digest)
    throw std::runtime_error("quarantine: ID " + id + " is not the SHA-256 of the original (" + digest + ")");
  const std::string stored_at = entry.stored_at.empty() ? utc_now_ms() : entry.stored_at;

  const std::string shard = shard_for(original);
  const ShardLock lock(shard);
  const bool wrote_original = write_original_locked(shard, original);
  const std::optional<std::string> existing = read_file(shard + "/" + id + ".json");
  const json metadata = existing ? json::parse(*existing, nullptr, false) : json();
  if (metadata.is_object() && string_field(metadata, "id") == id) {
    const std::string deliveries = shard + "/" + id + ".deliveries";
    const std::optional<std::string> recorded = read_file(deliveries);
    if (!recorded || count_lines(*recorded) < kMaxDeliveryRecords)
      append_line(shard, deliveries, delivery_json(entry, stored_at).dump(-1, ' ', false, json::error_handler_t::replace));
    else
      write_count(shard, shard + "/" + id + ".more", read_count(shard + "/" + id + ".more") + 1);
    // Metadata without its original (deleted by hand): the original just written back needs
    // its directory entry on disk too.
    if (wrote_original) fsync_directory(shard);
    return;
  }
  json first = first_metadata(entry, id, original.bytes().size(), stored_at);
  // The original is authoritative; unreadable metadata (edited by hand) is replaced, noted.
  if (existing) first["note"] = "earlier metadata was unreadable and has been replaced";
  write_atomically(shard, id + ".json", dump(first));
}

void Quarantine::store_original(const HashedOriginal& original) const {
  const std::string shard = shard_for(original);
  const ShardLock lock(shard);
  static_cast<void>(write_original_locked(shard, original));  // durable with the store() that follows
}

void Quarantine::discard_unlisted_original(const std::string& id) const noexcept {
  if (!is_valid_id(id)) return;
  try {
    const std::string shard = shard_of(directory_, id);
    if (!file_exists(shard)) return;
    const ShardLock lock(shard);
    if (!file_exists(shard + "/" + id + ".json")) ::unlink((shard + "/" + id + ".orig").c_str());
  } catch (...) {
    // Left behind: an original without metadata is invisible to list(), find() and release.
  }
}

std::optional<QuarantineEntry> Quarantine::find(const std::string& id) const {
  if (!is_valid_id(id)) return std::nullopt;
  const std::string base = shard_of(directory_, id) + "/" + id;
  const std::optional<std::string> text = read_file(base + ".json");
  if (!text) return std::nullopt;
  QuarantineEntry entry = entry_from_metadata(id, *text);
  if (entry.verdict == "unreadable-metadata") return entry;
  if (const std::optional<std::string> recorded = read_file(base + ".deliveries")) {
    std::size_t begin = 0;
    for (std::size_t end = recorded->find('\n'); end != std::string::npos;
         begin = end + 1, end = recorded->find('\n', begin)) {
      ++entry.delivery_count;
      const json record = json::parse(std::string_view(*recorded).substr(begin, end - begin), nullptr, false);
      if (record.is_object() && entry.deliveries.size() < kMaxDeliveryRecords) entry.deliveries.push_back(delivery_from_json(record));
    }
  }
  entry.delivery_count += read_count(base + ".more");
  return entry;
}

std::optional<std::string> Quarantine::original(const std::string& id) const {
  if (!is_valid_id(id)) return std::nullopt;
  return read_file(shard_of(directory_, id) + "/" + id + ".orig");
}

bool Quarantine::remove(const std::string& id) const {
  if (!is_valid_id(id)) return false;
  const std::string shard = shard_of(directory_, id);
  if (!file_exists(shard)) return false;
  const ShardLock lock(shard);
  bool removed = false;
  // Metadata first: an entry without metadata is invisible to list() and find().
  for (const char* suffix : {".json", ".deliveries", ".more", ".orig"}) {
    const std::string path = shard + "/" + id + suffix;
    if (::unlink(path.c_str()) == 0) removed = true;
    else if (errno != ENOENT) fail("cannot delete", path);
  }
  if (removed) fsync_directory(shard);
  return removed;
}

std::vector<QuarantineEntry> Quarantine::list() const {
  std::vector<QuarantineEntry> entries;
  std::error_code error;
  if (!fs::exists(directory_, error)) {
    if (error) fail("cannot read", directory_, error.value());
    return entries;
  }
  fs::directory_iterator shards(directory_, error);
  if (error) fail("cannot read", directory_, error.value());
  for (const fs::directory_entry& shard : shards) {
    const std::string shard_name = shard.path().filename().string();
    if (shard_name.size() != 2 || !is_lower_hex(shard_name) || !shard.is_directory(error)) continue;
    fs::directory_iterator files(shard.path(), error);
    if (error) fail("cannot read", shard.path().string(), error.value());
    for (const fs::directory_entry& file : files) {
      const std::string name = file.path().filename().string();
      if (name.size() != kIdLength + 5 || !name.ends_with(".json")) continue;
      const std::string id = name.substr(0, kIdLength);
      if (!is_valid_id(id) || !id.starts_with(shard_name)) continue;
      if (std::optional<QuarantineEntry> entry = find(id)) entries.push_back(std::move(*entry));
    }
  }
  std::sort(entries.begin(), entries.end(), [](const QuarantineEntry& a, const QuarantineEntry& b) {
    return a.stored_at != b.stored_at ? a.stored_at < b.stored_at : a.id < b.id;
  });
  return entries;
}

IdLookup Quarantine::resolve(std::string_view id_or_prefix) const {
  IdLookup lookup;
  if (!is_valid_prefix(id_or_prefix)) return lookup;  // invalid: no path is ever built from it
  const std::string prefix(id_or_prefix);
  lookup.match = IdMatch::not_found;
  if (prefix.size() == kIdLength) {
    if (file_exists(shard_of(directory_, prefix) + "/" + prefix + ".json")) {
      lookup.match = IdMatch::found;
      lookup.id = prefix;
    }
    return lookup;
  }
  const std::string shard = shard_of(directory_, prefix);
  std::error_code error;
  fs::directory_iterator files(shard, error);
  if (error) {
    if (error == std::errc::no_such_file_or_directory) return lookup;
    fail("cannot read", shard, error.value());
  }
  for (const fs::directory_entry& file : files) {
    const std::string name = file.path().filename().string();
    if (name.size() == kIdLength + 5 && name.ends_with(".json") && name.starts_with(prefix) &&
        is_valid_id(name.substr(0, kIdLength)))
      lookup.candidates.push_back(name.substr(0, kIdLength));
  }
  std::sort(lookup.candidates.begin(), lookup.candidates.end());
  if (lookup.candidates.size() == 1) {
    lookup.match = IdMatch::found;
    lookup.id = lookup.candidates.front();
    lookup.candidates.clear();
  } else if (lookup.candidates.size() > 1) {
    lookup.match = IdMatch::ambiguous;
  }
  return lookup;
}

}  // namespace mugai::core
