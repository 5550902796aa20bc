// Tamper-evident audit log: append (hash chain, seq, HMAC, fdatasync, .head sidecar, syslog copy)
// and verification. Threats handled: edited, inserted, deleted, reordered lines (chain + seq +
// HMAC), deleted lines at the end (.head), a torn line after a crash or a full disk (never
// appended to; our own failed write is cut back), two processes interleaving one chain (flock),
// a forger without the key (HMAC). Not handled locally: an attacker with both files and the key,
// or a rollback of both files to an older copy -- the syslog copy on another host covers that.
#include "mugai/core/audit_log.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "mugai/core/digest.h"
#include "mugai/core/utc_time.h"

namespace mugai::core {
namespace {

using nlohmann::json;

const std::string kZeroHash(64, '0');
constexpr std::string_view kHmacField = ",\"hmac\":\"";
constexpr std::size_t kHexLength = 64;
constexpr std::size_t kSignatureLength = kHmacField.size() + kHexLength + 2;  // + `"}`
constexpr std::size_t kMaxKeyBytes = 4096;
constexpr std::size_t kMaxHeadBytes = 4096;
constexpr std::size_t kHeadRecordBytes = 512;  // the .head record, padded; inside one sector

std::string errno_text(int error = errno) { return std::strerror(error); }

bool is_hash(std::string_view text) {
  if (text.size() != kHexLength) return false;
  for (const char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string hmac_hex(const std::string& key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(), &length))
    throw std::runtime_error("HMAC-SHA256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[mac[i] >> 4]);
    hex.push_back(kHex[mac[i] & 0xF]);
  }
  return hex;
}

// {"a":1} -> {"a":1,"hmac":"<HMAC of {"a":1}>"}. The hmac goes last, as text, so that verify
// checks exactly the bytes that were written, whatever a JSON library would re-serialise.
std::string sign(std::string body, const std::string& key) {
  if (key.empty()) return body;
  const std::string mac = hmac_hex(key, body);
  body.pop_back();  // '}'
  body.append(kHmacField).append(mac).append("\"}");
  return body;
}

struct Signature {
  std::string signed_bytes;
  std::string mac;
};

// nullopt when the line does not end with a well-formed hmac field.
std::optional<Signature> split_signature(std::string_view line) {
  if (line.size() < kSignatureLength + 1) return std::nullopt;
  const std::string_view tail = line.substr(line.size() - kSignatureLength);
  if (!tail.starts_with(kHmacField) || !tail.ends_with("\"}")) return std::nullopt;
  const std::string_view mac = tail.substr(kHmacField.size(), kHexLength);
  if (!is_hash(mac)) return std::nullopt;
  return Signature{std::string(line.substr(0, line.size() - kSignatureLength)) + "}", std::string(mac)};
}

bool hmac_matches(std::string_view line, const std::string& key) {
  const std::optional<Signature> signature = split_signature(line);
  if (!signature) return false;
  const std::string expected = hmac_hex(key, signature->signed_bytes);
  return CRYPTO_memcmp(expected.data(), signature->mac.data(), kHexLength) == 0;
}

struct ParsedLine {
  std::uint64_t seq = 0;
  std::string prev;
  bool has_hmac = false;
};

std::optional<ParsedLine> parse_line(std::string_view line, std::string& why) {
  if (line.empty()) {
    why = "it is empty";
    return std::nullopt;
  }
  const json object = json::parse(line, nullptr, false);
  if (object.is_discarded()) {
    why = "it is not valid JSON";
    return std::nullopt;
  }
  if (!object.is_object()) {
    why = "it is not a JSON object";
    return std::nullopt;
  }
  const auto seq = object.find("seq");
  const auto prev = object.find("prev");
  const auto time = object.find("time");
  if (seq == object.end() || !seq->is_number_unsigned() || seq->get<std::uint64_t>() == 0) {
    why = "it has no valid \"seq\"";
    return std::nullopt;
  }
  if (prev == object.end() || !prev->is_string() || !is_hash(prev->get<std::string>())) {
    why = "it has no valid \"prev\"";
    return std::nullopt;
  }
  if (time == object.end() || !time->is_string()) {
    why = "it has no \"time\"";
    return std::nullopt;
  }
  return ParsedLine{seq->get<std::uint64_t>(), prev->get<std::string>(), split_signature(line).has_value()};
}

struct Head {
  std::uint64_t seq = 0;
  std::string hash;
};

// The .head sidecar; nullopt when missing. Throws with `why` when unreadable or malformed, or
// (with a key) when its hmac is wrong.
class HeadError : public std::runtime_error {
 public:
  HeadError(const std::string& what, bool bad_hmac) : std::runtime_error(what), bad_hmac_(bad_hmac) {}
  bool bad_hmac() const { return bad_hmac_; }

 private:
  bool bad_hmac_;
};

std::optional<Head> read_head(const std::string& head_path, const std::string& key) {
  const int fd = ::open(head_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw HeadError(head_path + " cannot be read: " + errno_text(), false);
  }
  std::string text(kMaxHeadBytes + 1, '\0');
  const ssize_t got = ::read(fd, text.data(), text.size());
  const int read_error = errno;
  ::close(fd);
  if (got < 0) throw HeadError(head_path + " cannot be read: " + errno_text(read_error), false);
  text.resize(static_cast<std::size_t>(got));
  if (text.size() > kMaxHeadBytes || !text.ends_with('\n'))
    throw HeadError(head_path + " is malformed", false);
  text.pop_back();
  // The writer pads the record to a fixed size so it can rewrite it in place.
  text.erase(text.find_last_not_of(' ') + 1);
  const json object = json::parse(text, nullptr, false);
  if (!object.is_object() || object.value("kind", json()) != "audit-head" || !object.contains("seq") ||
      !object["seq"].is_number_unsigned() || !object.contains("hash") || !object["hash"].is_string() ||
      !is_hash(object["hash"].get<std::string>()))
    throw HeadError(head_path + " is malformed", false);
  if (!key.empty() && !hmac_matches(text, key))
    throw HeadError(head_path + " has a wrong or missing hmac: it was forged, or written with another key", true);
  return Head{object["seq"].get<std::uint64_t>(), object["hash"].get<std::string>()};
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

// Exclusive flock() for a scope. Each open() has its own lock, so two AuditLog objects of one
// process exclude each other like two processes do.
class FileLock {
 public:
  FileLock(int fd, const std::string& path) : fd_(fd) {
    while (::flock(fd_, LOCK_EX) != 0)
      if (errno != EINTR) throw std::runtime_error("audit log " + path + " cannot be locked: " + errno_text());
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock() { ::flock(fd_, LOCK_UN); }

 private:
  int fd_;
};

// Reads lines of at most kMaxLineBytes without trusting the file to contain newlines at all.
class LineReader {
 public:
  enum class Status { line, unterminated, too_long, end, error };

  explicit LineReader(int fd) : fd_(fd) {}

  Status next(std::string& line) {
    line.clear();
    for (;;) {
      const char* start = buffer_.data() + position_;
      const std::size_t available = buffer_.size() - position_;
      const void* newline = available ? std::memchr(start, '\n', available) : nullptr;
      const std::size_t take = newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - start)
                                       : available;
      if (line.size() + take > AuditLog::kMaxLineBytes) return Status::too_long;
      line.append(start, take);
      position_ += take;
      if (newline) {
        ++position_;
        return Status::line;
      }
      if (at_end_) return line.empty() ? Status::end : Status::unterminated;
      if (!fill()) return Status::error;
    }
  }

 private:
  bool fill() {
    buffer_.resize(65536);
    position_ = 0;
    for (;;) {
      const ssize_t got = ::read(fd_, buffer_.data(), buffer_.size());
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) {
        buffer_.clear();
        return false;
      }
      buffer_.resize(static_cast<std::size_t>(got));
      at_end_ = got == 0;
      return true;
    }
  }

  int fd_;
  std::string buffer_;
  std::size_t position_ = 0;
  bool at_end_ = false;
};

// Line number (1-based, from `from_line` on) of the first line carrying `seq`; 0 when none.
std::uint64_t find_seq_line(const std::string& path, std::uint64_t seq, std::uint64_t from_line) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return 0;
  LineReader reader(fd.get());
  std::string line, why;
  for (std::uint64_t number = 1; reader.next(line) == LineReader::Status::line; ++number) {
    if (number < from_line) continue;
    const std::optional<ParsedLine> parsed = parse_line(line, why);
    if (parsed && parsed->seq == seq) return number;
  }
  return 0;
}

bool any_hmac_matches(const std::string& path, const std::string& key) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return false;
  LineReader reader(fd.get());
  std::string line;
  while (reader.next(line) == LineReader::Status::line)
    if (hmac_matches(line, key)) return true;
  return false;
}

std::string line_name(std::uint64_t number) { return "line " + std::to_string(number); }

// Verification, one line at a time; stops at the first problem.
class Verifier {
 public:
  Verifier(const std::string& path, const std::string& key) : path_(path), key_(key) {}

  AuditVerification run() {
    Fd fd(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return problem(0, AuditProblem::unreadable, "cannot be opened: " + errno_text());
    LineReader reader(fd.get());
    std::string line;
    for (;;) {
      const LineReader::Status status = reader.next(line);
      if (status == LineReader::Status::end) break;
      ++number_;
      if (status == LineReader::Status::error)
        return problem(number_, AuditProblem::unreadable, line_name(number_) + " cannot be read: " + errno_text());
      if (status == LineReader::Status::too_long)
        return suspect_or(problem(number_, AuditProblem::malformed, line_name(number_) + " is longer than " +
                                                                        std::to_string(AuditLog::kMaxLineBytes) + " bytes"));
      if (status == LineReader::Status::unterminated)
        return suspect_or(problem(number_, AuditProblem::malformed,
                                  line_name(number_) + " is incomplete (no newline at the end): a torn write, or "
                                                       "the end of the file was cut off"));
      std::string why;
      const std::optional<ParsedLine> parsed = parse_line(line, why);
      if (!parsed)
        return suspect_or(problem(number_, AuditProblem::malformed, line_name(number_) + " is malformed: " + why));
      if (suspect_) return resolve_suspect(&*parsed);
      const std::string hash = sha256_hex(line);
      if (std::optional<AuditVerification> broken = check_chain(*parsed)) return *broken;
      if (!key_.empty() && !hmac_matches(line, key_)) suspect_ = Suspect{number_, parsed->prev, hash, !parsed->has_hmac};
      hash_before_last_ = last_hash_;
      last_hash_ = hash;
      recent_.emplace_back(parsed->seq, hash);
      if (recent_.size() > AuditLog::kMaxHeadLag + 1) recent_.pop_front();
      last_seq_ = parsed->seq;
    }
    if (suspect_) return resolve_suspect(nullptr);
    if (std::optional<AuditVerification> broken = check_head()) return *broken;
    AuditVerification result;
    result.intact = true;
    result.lines = number_;
    return result;
  }

 private:
  // A line whose hmac failed: what it is depends on the line after it.
  struct Suspect {
    std::uint64_t line;
    std::string prev;
    std::string hash;
    bool missing;
  };

  AuditVerification problem(std::uint64_t line, AuditProblem kind, std::string text) const {
    AuditVerification result;
    result.lines = number_;
    result.bad_line = line;
    result.kind = kind;
    result.problem = std::move(text);
    return result;
  }

  // A suspect is an earlier line than the problem at hand: it is reported first.
  AuditVerification suspect_or(AuditVerification later) {
    return suspect_ ? resolve_suspect(nullptr) : later;
  }

  AuditVerification resolve_suspect(const ParsedLine* next) {
    const Suspect suspect = *suspect_;
    const std::string name = line_name(suspect.line);
    const std::string hmac = suspect.missing ? "has no hmac" : "has a wrong hmac";
    if (next && next->prev == suspect.prev)
      return problem(suspect.line, AuditProblem::inserted,
                     name + " was inserted: it " + hmac + " and " + line_name(suspect.line + 1) +
                         "'s prev skips it, pointing to the line before");
    if (next && next->prev != suspect.hash)
      return problem(suspect.line, AuditProblem::edited,
                     name + " was edited: it " + hmac + " and its hash no longer matches " +
                         line_name(suspect.line + 1) + "'s prev");
    if (!any_hmac_matches(path_, key_))
      return problem(suspect.line, AuditProblem::bad_hmac,
                     name + " " + hmac + ", and no line in the file matches this key: the key is wrong, or "
                                         "the log was written without a key");
    return problem(suspect.line, AuditProblem::bad_hmac,
                   name + " was forged or edited: it " + hmac +
                       " although the chain around it is consistent (someone without the key recomputed the chain)");
  }

  std::optional<AuditVerification> check_chain(const ParsedLine& line) {
    const std::uint64_t expected = last_seq_ + 1;
    if (line.seq == expected && line.prev == last_hash_) return std::nullopt;
    const std::string name = line_name(number_);
    if (number_ >= 2 && line.prev == hash_before_last_) {
      if (line.seq == last_seq_)
        return problem(number_ - 1, AuditProblem::inserted,
                       line_name(number_ - 1) + " or " + name + " was inserted: both claim seq " +
                           std::to_string(line.seq) + " and the same previous line");
      return problem(number_ - 1, AuditProblem::inserted,
                     line_name(number_ - 1) + " was inserted: " + name + "'s prev skips it, pointing to the line before");
    }
    if (line.seq > expected) {
      if (const std::uint64_t at = find_seq_line(path_, expected, number_ + 1))
        return problem(number_, AuditProblem::reordered,
                       name + " is out of order: it has seq " + std::to_string(line.seq) + " where " +
                           std::to_string(expected) + " was expected (seq " + std::to_string(expected) +
                           " is at " + line_name(at) + ")");
      const std::uint64_t missing = line.seq - expected;
      return problem(number_, AuditProblem::deleted,
                     std::to_string(missing) + (missing == 1 ? " line was" : " lines were") + " deleted before " +
                         name + ": seq jumps from " + std::to_string(last_seq_) + " to " + std::to_string(line.seq));
    }
    if (line.seq < expected)
      return problem(number_, AuditProblem::inserted,
                     name + " repeats seq " + std::to_string(line.seq) +
                         " of an earlier line: it was inserted (copied or forged)");
    if (number_ == 1)
      return problem(1, AuditProblem::edited, "line 1 was edited: its prev is not the start of a chain (64 zeros)");
    return problem(number_ - 1, AuditProblem::edited,
                   line_name(number_ - 1) + " was edited: its hash no longer matches " + name + "'s prev");
  }

  std::optional<AuditVerification> check_head() {
    const std::string head_path = audit_head_path(path_);
    std::optional<Head> head;
    try {
      head = read_head(head_path, key_);
    } catch (const HeadError& error) {
      return problem(number_, error.bad_hmac() ? AuditProblem::bad_hmac : AuditProblem::malformed, error.what());
    }
    // No head yet: a fresh log, or a crash between the first line and its head.
    if (!head) {
      if (number_ <= 1) return std::nullopt;
      return problem(number_ + 1, AuditProblem::truncated,
                     head_path + " is missing: lines deleted from the end of the log cannot be ruled out");
    }
    if (head->seq > last_seq_)
      return problem(number_ + 1, AuditProblem::truncated,
                     "the log was truncated: it ends at " + line_name(number_) + " (seq " + std::to_string(last_seq_) +
                         ") but " + head_path + " records seq " + std::to_string(head->seq) + "; " +
                         std::to_string(head->seq - last_seq_) + " line(s) at the end are missing, from " +
                         line_name(number_ + 1) + " on");
    if (head->seq == last_seq_) {
      if (head->hash == last_hash_) return std::nullopt;
      return problem(number_, AuditProblem::edited,
                     line_name(number_) + " (the last) was edited or replaced: its hash does not match " + head_path);
    }
    // After a power loss the head on disk may lag the lines by up to AuditLog::kMaxHeadLag (its
    // flushes are bounded, not per batch); those lines passed the chain (and HMAC) checks.
    if (last_seq_ - head->seq > AuditLog::kMaxHeadLag)
      return problem(head->seq + AuditLog::kMaxHeadLag + 1, AuditProblem::inserted,
                     "more than " + std::to_string(AuditLog::kMaxHeadLag) + " lines after seq " +
                         std::to_string(head->seq) + " were added without updating " + head_path +
                         " (or it was replaced by an older copy)");
    for (const auto& [seq, hash] : recent_)
      if (seq == head->seq) {
        if (hash == head->hash) return std::nullopt;
        break;
      }
    return problem(head->seq, AuditProblem::edited,
                   "the line with seq " + std::to_string(head->seq) + " does not match " + head_path +
                       ": it was edited, or " + head_path + " was replaced by another copy");
  }

  const std::string& path_;
  const std::string& key_;
  std::uint64_t number_ = 0;
  std::uint64_t last_seq_ = 0;
  std::string last_hash_ = kZeroHash;
  std::string hash_before_last_ = kZeroHash;
  std::deque<std::pair<std::uint64_t, std::string>> recent_;  // (seq, hash) of the last lines
  std::optional<Suspect> suspect_;
};

// Reading the end of the log on open -------------------------------------------------------------

std::uint64_t count_newlines(int fd, std::uint64_t size) {
  std::uint64_t count = 0;
  char buffer[65536];
  for (std::uint64_t offset = 0; offset < size;) {
    const ssize_t got = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(offset));
    if (got <= 0) break;
    for (ssize_t i = 0; i < got; ++i) count += buffer[i] == '\n';
    offset += static_cast<std::uint64_t>(got);
  }
  return count;
}

// The last complete line (without its newline), read backwards from the end.
std::string read_last_line(int fd, std::uint64_t size, const std::string& path) {
  std::string tail;
  std::uint64_t end = size - 1;  // the final '\n'
  while (end > 0) {
    const std::uint64_t chunk = std::min<std::uint64_t>(end, 65536);
    std::string block(chunk, '\0');
    const ssize_t got = ::pread(fd, block.data(), chunk, static_cast<off_t>(end - chunk));
    if (got != static_cast<ssize_t>(chunk))
      throw std::runtime_error("audit log " + path + ": cannot read its end: " + errno_text());
    const std::size_t newline = block.rfind('\n');
    if (newline != std::string::npos) {
      tail.insert(0, block, newline + 1, std::string::npos);
      break;
    }
    tail.insert(0, block);
    end -= chunk;
    if (tail.size() > AuditLog::kMaxLineBytes)
      throw std::runtime_error("audit log " + path + ": its last line is longer than " +
                               std::to_string(AuditLog::kMaxLineBytes) + " bytes; refusing to append");
  }
  return tail;
}

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category());
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

}  // namespace

std::string_view to_string(AuditProblem problem) {
  switch (problem) {
    case AuditProblem::none: return "none";
    case AuditProblem::unreadable: return "unreadable";
    case AuditProblem::malformed: return "malformed";
    case AuditProblem::edited: return "edited";
    case AuditProblem::inserted: return "inserted";
    case AuditProblem::deleted: return "deleted";
    case AuditProblem::reordered: return "reordered";
    case AuditProblem::truncated: return "truncated";
    case AuditProblem::bad_hmac: return "bad-hmac";
  }
  return "unknown";
}

std::string audit_head_path(const std::string& log_path) { return log_path + ".head"; }

std::string read_hmac_key_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw std::runtime_error("HMAC key file " + path + " cannot be opened: " + errno_text());
  std::string key(kMaxKeyBytes + 3, '\0');
  std::size_t length = 0;
  for (;;) {
    const ssize_t got = ::read(fd.get(), key.data() + length, key.size() - length);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw std::runtime_error("HMAC key file " + path + " cannot be read: " + errno_text());
    if (got == 0 || (length += static_cast<std::size_t>(got)) == key.size()) break;
  }
  key.resize(length);
  if (key.ends_with('\n')) key.pop_back();
  if (key.ends_with('\r')) key.pop_back();
  if (key.size() > kMaxKeyBytes)
    throw std::runtime_error("HMAC key file " + path + " is longer than " + std::to_string(kMaxKeyBytes) + " bytes");
  // An empty key would silently mean "no HMAC": refused.
  if (key.empty()) throw std::runtime_error("HMAC key file " + path + " is empty");
  return key;
}

AuditVerification verify_audit_log(const std::string& path, const std::string& hmac_key) {
  try {
    return Verifier(path, hmac_key).run();
  } catch (const std::exception& error) {  // e.g. out of memory: never "intact"
    AuditVerification result;
    result.kind = AuditProblem::unreadable;
    result.problem = std::string("verification failed: ") + error.what();
    return result;
  }
}

// AuditLog ----------------------------------------------------------------------------------------

AuditLog::AuditLog(std::string path, std::string hmac_key, bool copy_to_syslog,
                   std::chrono::milliseconds deferred_flush)
    : path_(std::move(path)), hmac_key_(std::move(hmac_key)), copy_to_syslog_(copy_to_syslog),
      deferred_flush_(deferred_flush), prev_hash_(kZeroHash) {
  const std::string& file = path_;
  Fd fd(::open(file.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600));
  if (fd.get() < 0) throw std::runtime_error("audit log " + file + " cannot be opened: " + errno_text());
  // Several writers (the daemon, `mugai quarantine ...` run by an administrator) share one
  // chain: every check and every append happens under an exclusive flock of the file.
  const FileLock file_lock(fd.get(), file);
  struct stat info{};
  if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode))
    throw std::runtime_error("audit log " + file + " is not a regular file");
  std::string directory = std::filesystem::path(file).parent_path().string();
  if (directory.empty()) directory = ".";
  Fd dir(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0) throw std::runtime_error("audit log directory " + directory + " cannot be opened: " + errno_text());
  size_ = static_cast<std::uint64_t>(info.st_size);

  const std::string head_path = audit_head_path(file);
  std::optional<Head> head;
  try {
    head = read_head(head_path, hmac_key_);
  } catch (const HeadError& error) {
    throw std::runtime_error(std::string("audit log: ") + error.what() + "; refusing to append");
  }
  bool head_behind = false;
  bool head_in_sync = false;
  if (size_ == 0) {
    if (head && head->seq > 0)
      throw std::runtime_error("audit log " + file + " is empty but " + head_path + " records seq " +
                               std::to_string(head->seq) + ": it was truncated; refusing to append (that would "
                               "hide it). Run 'mugai audit verify " + file + "' and keep the file as evidence");
  } else {
    char last_byte = 0;
    if (::pread(fd.get(), &last_byte, 1, static_cast<off_t>(size_ - 1)) != 1)
      throw std::runtime_error("audit log " + file + ": cannot read its end: " + errno_text());
    if (last_byte != '\n')
      throw std::runtime_error("audit log " + file + ": line " + std::to_string(count_newlines(fd.get(), size_) + 1) +
                               " is incomplete (no newline at the end: a torn write from a crash, or a full disk); "
                               "refusing to append. Check it with 'mugai audit verify " + file +
                               "', keep it as evidence and start a new file");
    const std::string last = read_last_line(fd.get(), size_, file);
    std::string why;
    const std::optional<ParsedLine> parsed = parse_line(last, why);
    // Counting lines reads the whole file: only on the way to an error.
    const auto where = [&] { return "audit log " + file + ": line " + std::to_string(count_newlines(fd.get(), size_)); };
    if (!parsed) throw std::runtime_error(where() + " (the last) is malformed: " + why + "; refusing to append");
    if (!hmac_key_.empty() && !parsed->has_hmac)
      throw std::runtime_error("audit log " + file + " was written without an HMAC key; a key belongs to a whole "
                               "file: start a new file to use one");
    if (hmac_key_.empty() && parsed->has_hmac)
      throw std::runtime_error("audit log " + file + " was written with an HMAC key but none is configured");
    if (!hmac_key_.empty() && !hmac_matches(last, hmac_key_))
      throw std::runtime_error(where() + " (the last) does not match the configured HMAC key: another key, or a "
                               "forged line; a new key needs a new file");
    next_seq_ = parsed->seq + 1;
    prev_hash_ = sha256_hex(last);
    if (!head) {
      // Only the first append can crash before any head exists.
      if (parsed->seq != 1)
        throw std::runtime_error(head_path + " is missing: lines deleted from the end of " + file +
                                 " could not be detected; refusing to append. Restore it, or check the log with "
                                 "'mugai audit verify' and start a new file");
      head_behind = true;
    } else if (head->seq == parsed->seq && head->hash == prev_hash_) {
      // consistent; flushed below, since the last writer may have stopped before flushing it
      head_in_sync = true;
    } else if (head->seq < parsed->seq && parsed->seq - head->seq <= kMaxHeadLag) {
      // A crash between writing a batch and its head. Appending is safe only if the lines after
      // the head are intact: the verifier reads the file once, on this recovery path only.
      const AuditVerification check = verify_audit_log(file, hmac_key_);
      if (!check.intact)
        throw std::runtime_error("audit log " + file + ": " + check.problem + "; refusing to append");
      head_behind = true;
    } else if (head->seq > parsed->seq) {
      throw std::runtime_error("audit log " + file + " ends at seq " + std::to_string(parsed->seq) + " but " +
                               head_path + " records seq " + std::to_string(head->seq) +
                               ": lines were deleted from its end; refusing to append (that would hide it). Run "
                               "'mugai audit verify " + file + "' and keep the files as evidence");
    } else {
      throw std::runtime_error(head_path + " (seq " + std::to_string(head->seq) + ") does not match the last line of " +
                               file + " (seq " + std::to_string(parsed->seq) + "); refusing to append. Run "
                               "'mugai audit verify " + file + "'");
    }
  }
  fd_ = fd.release();
  dir_fd_ = dir.release();
  if (head_in_sync) {
    head_fd_ = ::open(head_path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (head_fd_ < 0 || ::fdatasync(head_fd_) != 0) {
      const std::string why = errno_text();
      if (head_fd_ >= 0) ::close(head_fd_);
      ::close(fd_);
      ::close(dir_fd_);
      throw std::runtime_error("audit log: cannot sync " + head_path + ": " + why);
    }
    head_flushed_seq_ = next_seq_ - 1;
  }
  if (head_behind) {
    try {
      write_head(next_seq_ - 1, prev_hash_, true);
    } catch (...) {
      ::close(fd_);
      ::close(dir_fd_);
      throw;
    }
  }
  if (copy_to_syslog_) ::openlog("mugai", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
}

AuditLog::~AuditLog() {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    stopping_ = true;
    deferred_.notify_all();
  }
  if (flusher_.joinable()) flusher_.join();
  {
    // Deferred lines still queued are written now (no appender can be running: we are destroyed).
    std::unique_lock<std::mutex> lock(mutex_);
    if (!queue_.empty()) lead(lock);
  }
  // A clean stop leaves .head exact on disk, not just within the lag.
  if (head_fd_ >= 0 && !failed_ && head_flushed_seq_ + 1 < next_seq_) static_cast<void>(::fdatasync(head_fd_));
  if (fd_ >= 0) ::close(fd_);
  if (dir_fd_ >= 0) ::close(dir_fd_);
  if (head_fd_ >= 0) ::close(head_fd_);
}

void AuditLog::write_head(std::uint64_t seq, const std::string& hash, bool flush) {
  const json head = {{"kind", "audit-head"}, {"seq", seq}, {"hash", hash}};
  std::string text = sign(head.dump(), hmac_key_);
  // One fixed-size record, padded with spaces: rewritten in place with one pwrite() inside the
  // first 512-byte sector (a single-sector write is atomic on disks), instead of a new file, a
  // rename and two fsyncs per batch. It is written after the batch's fdatasync, so whichever
  // version reaches the disk never names a line that is not on disk; `flush` bounds how far it
  // may lag there (kMaxHeadLag).
  if (text.size() + 1 > kHeadRecordBytes) throw std::runtime_error("audit log: head record too large");
  text.resize(kHeadRecordBytes - 1, ' ');
  text.push_back('\n');
  // Another writer of this log may have created it: rewrite that file, never replace it.
  if (head_fd_ < 0) head_fd_ = ::open(audit_head_path(path_).c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (head_fd_ >= 0) {
    if (::pwrite(head_fd_, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()) ||
        (flush && ::fdatasync(head_fd_) != 0))
      throw std::runtime_error("audit log: cannot update " + audit_head_path(path_) + ": " + errno_text());
    if (flush) head_flushed_seq_ = seq;
    return;
  }
  const std::string final_path = audit_head_path(path_);
  std::string temporary = final_path + ".XXXXXX";
  Fd fd(::mkostemp(temporary.data(), O_CLOEXEC));  // mode 0600
  if (fd.get() < 0) throw std::runtime_error("audit log: cannot create " + temporary + ": " + errno_text());
  try {
    write_all(fd.get(), text);
    if (::fsync(fd.get()) != 0 || ::close(fd.release()) != 0)
      throw std::system_error(errno, std::generic_category());
    if (::rename(temporary.c_str(), final_path.c_str()) != 0) throw std::system_error(errno, std::generic_category());
  } catch (const std::system_error& error) {
    ::unlink(temporary.c_str());
    throw std::runtime_error("audit log: cannot write " + final_path + ": " + error.code().message());
  }
  if (::fsync(dir_fd_) != 0) throw std::runtime_error("audit log: cannot sync the directory of " + final_path);
  head_fd_ = ::open(final_path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (head_fd_ < 0) throw std::runtime_error("audit log: cannot reopen " + final_path + ": " + errno_text());
  head_flushed_seq_ = seq;
}

void AuditLog::append(nlohmann::json event) {
  if (!event.is_object()) throw std::invalid_argument("audit event must be a JSON object");
  Pending mine{std::move(event), false, {}};
  std::unique_lock<std::mutex> lock(mutex_);
  if (failed_) throw std::runtime_error("audit log " + path_ + ": " + failure_ + "; restart so that the file is checked");
  queue_.push_back(&mine);
  // Group commit: the first waiter writes everything queued as one batch (one write, one
  // fdatasync, one .head update); the others wait for its result.
  while (!mine.done) {
    if (leading_) {
      synced_.wait(lock);
      continue;
    }
    lead(lock);
  }
  if (!mine.error.empty()) throw std::runtime_error(mine.error);
}

void AuditLog::append_later(nlohmann::json event) {
  if (!event.is_object()) throw std::invalid_argument("audit event must be a JSON object");
  auto pending = std::make_unique<Pending>(Pending{std::move(event), false, {}, true});
  std::unique_lock<std::mutex> lock(mutex_);
  if (failed_) throw std::runtime_error("audit log " + path_ + ": " + failure_ + "; restart so that the file is checked");
  queue_.push_back(pending.release());
  ++deferred_waiting_;
  if (!flusher_.joinable()) flusher_ = std::thread([this] { flush_deferred_in_background(); });
  deferred_.notify_one();
}

void AuditLog::lead(std::unique_lock<std::mutex>& lock) {
  leading_ = true;
  while (!queue_.empty()) {
    std::vector<Pending*> batch;
    while (!queue_.empty() && batch.size() < kMaxBatchLines) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    std::string fatal = failed_ ? failure_ : std::string();
    lock.unlock();
    if (fatal.empty()) fatal = write_batch(batch);
    lock.lock();
    if (!fatal.empty() && !failed_) {
      failed_ = true;
      failure_ = fatal;
    }
    for (Pending* pending : batch) {
      if (!fatal.empty() && pending->error.empty()) pending->error = "audit log " + path_ + ": " + fatal;
      if (pending->deferred) {
        --deferred_waiting_;
        if (!pending->error.empty()) std::fprintf(stderr, "mugai: audit log write failed: %s\n", pending->error.c_str());
        delete pending;
      } else {
        pending->done = true;
      }
    }
  }
  leading_ = false;
  synced_.notify_all();
}

// Writes deferred lines that no synced append carried within deferred_flush_.
void AuditLog::flush_deferred_in_background() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (deferred_waiting_ == 0) {
      deferred_.wait(lock);
      continue;
    }
    const auto due = std::chrono::steady_clock::now() + deferred_flush_;
    deferred_.wait_until(lock, due, [&] { return stopping_; });
    if (stopping_) break;
    if (deferred_waiting_ > 0 && !leading_) lead(lock);
  }
}

// Another writer may have appended since our last batch: continue its chain, never fork it.
std::string AuditLog::refresh_tail() {
  struct stat info{};
  if (::fstat(fd_, &info) != 0) return "cannot stat: " + errno_text();
  const auto size = static_cast<std::uint64_t>(info.st_size);
  if (size == size_) return {};
  if (size < size_) return "the file shrank while open (truncated by someone else)";
  char last_byte = 0;
  if (::pread(fd_, &last_byte, 1, static_cast<off_t>(size - 1)) != 1 || last_byte != '\n')
    return "another writer left an incomplete line at the end";
  const std::string last = read_last_line(fd_, size, path_);
  std::string why;
  const std::optional<ParsedLine> parsed = parse_line(last, why);
  if (!parsed) return "the last line written by another writer is malformed: " + why;
  if (parsed->has_hmac != !hmac_key_.empty() || (!hmac_key_.empty() && !hmac_matches(last, hmac_key_)))
    return "the last line written by another writer does not match our HMAC key";
  next_seq_ = parsed->seq + 1;
  prev_hash_ = sha256_hex(last);
  size_ = size;
  return {};
}

// Writes one batch under the file lock. Returns "" or the error that stops this AuditLog (after
// a failed fdatasync the state of the page cache is unknown: retrying may report success for
// lost data). Events refused on their own (too large) get their error and the batch goes on.
std::string AuditLog::write_batch(const std::vector<Pending*>& batch) {
  try {
    const FileLock file_lock(fd_, path_);
    if (std::string error = refresh_tail(); !error.empty()) return error;
    std::string buffer;
    std::uint64_t seq = next_seq_;
    std::string prev = prev_hash_;
    std::vector<std::string> lines;
    for (Pending* pending : batch) {
      nlohmann::json& event = pending->event;
      event.erase("hmac");
      event["seq"] = seq;
      event["time"] = utc_now_ms();
      event["prev"] = prev;
      // Hostile text (subjects, names) may be invalid UTF-8: replaced, so the line stays valid JSON.
      std::string line = sign(event.dump(-1, ' ', false, json::error_handler_t::replace), hmac_key_);
      if (line.size() > kMaxLineBytes) {
        pending->error = "audit event too large (" + std::to_string(line.size()) + " bytes)";
        continue;
      }
      prev = sha256_hex(line);
      ++seq;
      buffer += line;
      buffer.push_back('\n');
      lines.push_back(std::move(line));
    }
    if (buffer.empty()) return {};
    try {
      write_all(fd_, buffer);  // O_APPEND, under the lock: nobody writes in between
    } catch (const std::system_error& error) {
      // Cut our partial batch back, so the file never holds a torn line anyone could append after.
      if (::ftruncate(fd_, static_cast<off_t>(size_)) != 0) return "a partial batch could not be cut back";
      for (Pending* pending : batch)
        if (pending->error.empty()) pending->error = "audit log " + path_ + ": cannot write: " + error.code().message();
      return {};
    }
    if (::fdatasync(fd_) != 0) return "cannot sync: " + errno_text();
    size_ += buffer.size();
    next_seq_ = seq;
    prev_hash_ = prev;
    // On failure the head stays behind, within the lag open and verify accept.
    write_head(next_seq_ - 1, prev_hash_, head_needs_flush(next_seq_ - 1, head_flushed_seq_));
    if (copy_to_syslog_)
      for (const std::string& line : lines) ::syslog(LOG_AUTHPRIV | LOG_INFO, "%s", line.c_str());
    return {};
  } catch (const std::exception& error) {
    return error.what();
  }
}

}  // namespace mugai::core
