#include "transfer_store.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace mugai::transfer {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kIdHexChars = 32;
constexpr std::uintmax_t kMaxRecordBytes = 16 << 20;

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void make_private_dir(const fs::path& dir) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) throw std::runtime_error("cannot create " + dir.string() + ": " + error.message());
  ::chmod(dir.c_str(), 0700);
}

// write-then-rename with fsync: a crash leaves the old file or the new one, never half of one.
void write_atomically(const fs::path& target, const std::string& bytes) {
  const fs::path temporary = target.parent_path() / ("." + target.filename().string() + ".tmp");
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + temporary.string() + ": " + std::strerror(errno));
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(temporary.c_str());
      throw std::runtime_error("cannot write " + temporary.string() + ": " + why);
    }
    written += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced || ::rename(temporary.c_str(), target.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temporary.c_str());
    throw std::runtime_error("cannot store " + target.string() + ": " + why);
  }
}

std::optional<std::string> read_file(const fs::path& path, std::uintmax_t limit) {
  std::error_code error;
  const std::uintmax_t size = fs::file_size(path, error);
  if (error || size > limit) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

nlohmann::json to_json(const TransferRecord& record) {
  return {{"id", record.id},
          {"owner", record.owner},
          {"created_at", record.created_at},
          {"profile", record.profile},
          {"verdict", record.verdict},
          {"filename", record.filename},
          {"output_filename", record.output_filename},
          {"size", record.size},
          {"report", record.report_json},
          {"outbox_path", record.outbox_path}};
}

std::optional<TransferRecord> from_json(const std::string& text) {
  try {
    const nlohmann::json json = nlohmann::json::parse(text);
    TransferRecord record;
    record.id = json.at("id").get<std::string>();
    record.owner = json.at("owner").get<std::string>();
    record.created_at = json.at("created_at").get<std::string>();
    record.profile = json.at("profile").get<std::string>();
    record.verdict = json.at("verdict").get<std::string>();
    record.filename = json.at("filename").get<std::string>();
    record.output_filename = json.at("output_filename").get<std::string>();
    record.size = json.at("size").get<std::uint64_t>();
    record.report_json = json.at("report").get<std::string>();
    record.outbox_path = json.value("outbox_path", "");
    return record;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// User names are validated by the config loader ([A-Za-z0-9._-], not "." or ".."); checked again
// here because a path is built from them.
bool is_safe_component(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.size() <= 64 &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                  c == '_' || c == '.';
         });
}

}  // namespace

TransferStore::TransferStore(std::string directory, int keep_hours)
    : directory_(std::move(directory)), keep_hours_(keep_hours) {
  make_private_dir(directory_);
}

std::string TransferStore::new_id() {
  unsigned char bytes[kIdHexChars / 2];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no randomness for a transfer ID");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char byte : bytes) {
    id.push_back(kHex[byte >> 4]);
    id.push_back(kHex[byte & 0x0F]);
  }
  return id;
}

bool TransferStore::is_valid_id(std::string_view id) {
  return id.size() == kIdHexChars &&
         std::all_of(id.begin(), id.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string TransferStore::user_dir(const std::string& owner) const {
  if (!is_safe_component(owner)) throw std::runtime_error("unsafe user name");
  return (fs::path(directory_) / owner).string();
}

void TransferStore::save(const TransferRecord& record, const std::string* output) const {
  if (!is_valid_id(record.id)) throw std::runtime_error("invalid transfer ID");
  const fs::path dir = user_dir(record.owner);
  make_private_dir(dir);
  // The result first: a record that exists always has its file.
  if (output) write_atomically(dir / (record.id + ".out"), *output);
  write_atomically(dir / (record.id + ".json"), to_json(record).dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::optional<TransferRecord> TransferStore::find(const std::string& owner, std::string_view id) const {
  if (!is_valid_id(id) || !is_safe_component(owner)) return std::nullopt;
  const std::optional<std::string> text = read_file(fs::path(user_dir(owner)) / (std::string(id) + ".json"), kMaxRecordBytes);
  if (!text) return std::nullopt;
  std::optional<TransferRecord> record = from_json(*text);
  if (!record || record->id != id || record->owner != owner) return std::nullopt;
  return record;
}

std::optional<std::string> TransferStore::output(const std::string& owner, std::string_view id) const {
  if (!is_valid_id(id) || !is_safe_component(owner)) return std::nullopt;
  return read_file(fs::path(user_dir(owner)) / (std::string(id) + ".out"), std::uintmax_t(4) << 30);
}

std::vector<TransferRecord> TransferStore::list(const std::string& owner, std::size_t max) const {
  std::vector<std::pair<fs::file_time_type, std::string>> found;
  if (!is_safe_component(owner)) return {};
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(user_dir(owner), error)) {
    const std::string name = entry.path().filename().string();
    if (name.size() != kIdHexChars + 5 || !name.ends_with(".json") || !is_valid_id(name.substr(0, kIdHexChars)))
      continue;
    found.emplace_back(entry.last_write_time(error), name.substr(0, kIdHexChars));
  }
  std::sort(found.begin(), found.end(), std::greater<>());
  std::vector<TransferRecord> records;
  for (const auto& [time, id] : found) {
    if (records.size() >= max) break;
    if (std::optional<TransferRecord> record = find(owner, id)) records.push_back(std::move(*record));
  }
  return records;
}

void TransferStore::purge_expired(bool force) {
  const std::int64_t now = now_seconds();
  {
    std::lock_guard<std::mutex> lock(purge_mutex_);
    if (!force && now - last_purge_ < 600) return;
    last_purge_ = now;
  }
  const auto cutoff = fs::file_time_type::clock::now() - std::chrono::hours(keep_hours_);
  std::error_code error;
  for (const auto& user : fs::directory_iterator(directory_, error)) {
    if (!user.is_directory(error)) continue;
    for (const auto& entry : fs::directory_iterator(user.path(), error))
      if (entry.is_regular_file(error) && entry.last_write_time(error) < cutoff) fs::remove(entry.path(), error);
  }
}

std::string drop_into_outbox(const std::string& outbox_dir, const std::string& owner, const std::string& id,
                             const std::string& clean_name, const std::string& bytes) {
  if (!is_safe_component(owner) || !TransferStore::is_valid_id(id)) throw std::runtime_error("unsafe outbox name");
  // The pipeline's cleaned name has no separators; refuse rather than trust that here too.
  if (clean_name.empty() || clean_name.find('/') != std::string::npos || clean_name.find('\0') != std::string::npos)
    throw std::runtime_error("unsafe output file name");
  const fs::path dir = fs::path(outbox_dir) / owner;
  make_private_dir(dir);
  const fs::path target = dir / (id + "-" + clean_name);
  write_atomically(target, bytes);
  return target.string();
}

}  // namespace mugai::transfer
