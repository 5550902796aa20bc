// The audit log: concurrent appends, reopening, and every kind of tampering found at the right
// line with the right kind.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "mugai/core/audit_log.h"
#include "mugai/core/digest.h"

using mugai::core::AuditLog;
using mugai::core::AuditProblem;
using mugai::core::AuditVerification;
using mugai::core::verify_audit_log;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kKey = "correct horse battery staple";

struct TempDir {
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "mugai-audit-XXXXXX").string();
    path = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  fs::path path;
};

std::vector<std::string> read_lines(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void write_lines(const fs::path& file, const std::vector<std::string>& lines) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  for (const std::string& line : lines) out << line << '\n';
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A log of `count` events; closed again before returning (as after a restart).
fs::path make_log(const TempDir& dir, int count, const std::string& key = kKey) {
  const fs::path file = dir.path / "audit.log";
  AuditLog log(file.string(), key);
  for (int i = 1; i <= count; ++i)
    log.append({{"event", "message"}, {"n", i}, {"subject", "請求書 ① のご案内"}});
  return file;
}

void check_problem(const AuditVerification& result, std::uint64_t line, AuditProblem kind) {
  INFO("problem: " << result.problem << " [" << mugai::core::to_string(result.kind) << "]");
  CHECK_FALSE(result.intact);
  CHECK(result.bad_line == line);
  CHECK(result.kind == kind);
  CHECK_FALSE(result.problem.empty());
}

// Re-signing is what a forger WITHOUT the key cannot do; the tests use it only to build the
// "recomputed chain" cases, so the hmac is dropped (no key) or kept stale (with a key).
std::string rechain(std::string line, const std::string& prev, std::uint64_t seq) {
  json object = json::parse(line);
  object["prev"] = prev;
  object["seq"] = seq;
  return object.dump(-1, ' ', false, json::error_handler_t::replace);
}

void rewrite_head(const fs::path& file, std::uint64_t seq, const std::string& hash) {
  std::ofstream head(file.string() + ".head", std::ios::binary | std::ios::trunc);
  head << json{{"kind", "audit-head"}, {"seq", seq}, {"hash", hash}}.dump() << "\n";
}

}  // namespace

TEST_CASE("audit: a line carries seq, time, prev and hmac, hmac last") {
  TempDir dir;
  const fs::path file = make_log(dir, 2);
  const std::vector<std::string> lines = read_lines(file);
  REQUIRE(lines.size() == 2);
  const json first = json::parse(lines[0]);
  CHECK(first["seq"] == 1);
  CHECK(first["prev"] == std::string(64, '0'));
  CHECK(first["event"] == "message");
  CHECK(first["subject"] == "請求書 ① のご案内");  // UTF-8 kept, not \u-escaped
  CHECK(lines[0].find("請求書") != std::string::npos);
  CHECK(std::regex_match(first["time"].get<std::string>(),
                         std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
  CHECK(std::regex_search(lines[0], std::regex(R"(,"hmac":"[0-9a-f]{64}"\}$)")));
  const json second = json::parse(lines[1]);
  CHECK(second["seq"] == 2);
  CHECK(second["prev"] == mugai::core::sha256_hex(lines[0]));
  // The .head sidecar records the last line.
  const json head = json::parse(read_text(file.string() + ".head").substr(0, read_text(file.string() + ".head").size() - 1));
  CHECK(head["seq"] == 2);
  CHECK(head["hash"] == mugai::core::sha256_hex(lines[1]));
  // Files are private.
  struct stat info{};
  REQUIRE(stat(file.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  REQUIRE(stat((file.string() + ".head").c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
}

TEST_CASE("audit: caller-supplied seq/prev/hmac are overwritten, invalid UTF-8 is replaced") {
  TempDir dir;
  const fs::path file = dir.path / "audit.log";
  {
    AuditLog log(file.string());
    log.append({{"seq", 99}, {"prev", "x"}, {"hmac", "forged"}, {"subject", std::string("bad \xff\xfe utf-8")}});
    CHECK_THROWS_AS(log.append(json::array({1, 2})), std::invalid_argument);
  }
  const std::vector<std::string> lines = read_lines(file);
  REQUIRE(lines.size() == 1);
  const json line = json::parse(lines[0]);
  CHECK(line["seq"] == 1);
  CHECK(line["prev"] == std::string(64, '0'));
  CHECK_FALSE(line.contains("hmac"));
  CHECK(line["subject"].get<std::string>().find("\xEF\xBF\xBD") != std::string::npos);
  CHECK(verify_audit_log(file.string()).intact);
}

TEST_CASE("audit: 8 threads append concurrently and the chain stays intact") {
  TempDir dir;
  const fs::path file = dir.path / "audit.log";
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  {
    AuditLog log(file.string(), kKey, /*copy_to_syslog=*/true);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&log, t] {
        for (int i = 0; i < kPerThread; ++i) log.append({{"event", "test"}, {"thread", t}, {"i", i}});
      });
    for (std::thread& thread : threads) thread.join();
  }
  const AuditVerification result = verify_audit_log(file.string(), kKey);
  INFO(result.problem);
  CHECK(result.intact);
  CHECK(result.lines == kThreads * kPerThread);
  // Every event is there exactly once, seq is the line number.
  std::set<std::pair<int, int>> seen;
  const std::vector<std::string> lines = read_lines(file);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const json line = json::parse(lines[i]);
    CHECK(line["seq"] == i + 1);
    seen.insert({line["thread"].get<int>(), line["i"].get<int>()});
  }
  CHECK(seen.size() == kThreads * kPerThread);
}

TEST_CASE("audit: append_later lines ride with the next append, in order") {
  TempDir dir;
  const fs::path file = dir.path / "audit.log";
  {
    AuditLog log(file.string(), kKey, false, std::chrono::hours(1));  // no background flush here
    log.append_later({{"event", "connect"}});
    // Not waited for, not yet written: the greeting does not wait for a disk flush.
    CHECK(read_lines(file).empty());
    log.append({{"event", "message"}});
    const std::vector<std::string> lines = read_lines(file);
    REQUIRE(lines.size() == 2);
    CHECK(json::parse(lines[0])["event"] == "connect");
    CHECK(json::parse(lines[1])["event"] == "message");
    log.append_later({{"event", "disconnect"}});
    CHECK(read_lines(file).size() == 2);
  }
  // The destructor writes what is still queued.
  const std::vector<std::string> lines = read_lines(file);
  REQUIRE(lines.size() == 3);
  CHECK(json::parse(lines[2])["event"] == "disconnect");
  const AuditVerification result = verify_audit_log(file.string(), kKey);
  INFO(result.problem);
  CHECK(result.intact);
}

TEST_CASE("audit: append_later lines nobody carries are written by the background flush") {
  TempDir dir;
  const fs::path file = dir.path / "audit.log";
  {
    AuditLog log(file.string(), kKey, false, std::chrono::milliseconds(50));
    log.append_later({{"event", "connect"}});
    log.append_later({{"event", "disconnect"}});
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (read_lines(file).size() < 2 && std::chrono::steady_clock::now() < give_up)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(read_lines(file).size() == 2);  // while the log is open: the flusher wrote them
  }
  // Verified once closed: while the batch is being written the .head may still be on its way.
  const AuditVerification result = verify_audit_log(file.string(), kKey);
  INFO(result.problem);
  CHECK(result.intact);  // the .head follows the background batch too
  CHECK(result.lines == 2);
}

TEST_CASE("audit: threads mixing append and append_later keep one intact chain") {
  TempDir dir;
  const fs::path file = dir.path / "audit.log";
  constexpr int kThreads = 6;
  constexpr int kPerThread = 40;
  {
    AuditLog log(file.string(), kKey, false, std::chrono::milliseconds(5));
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&log, t] {
        for (int i = 0; i < kPerThread; ++i) {
          log.append_later({{"event", "connect"}, {"thread", t}, {"i", i}});
          if (i % 3 == 0) log.append({{"event", "message"}, {"thread", t}, {"i", i}});
        }
      });
    for (std::thread& thread : threads) thread.join();
  }
  const AuditVerification result = verify_audit_log(file.string(), kKey);
  INFO(result.problem);
  CHECK(result.intact);
  CHECK(result.lines == kThreads * (kPerThread + (kPerThread + 2) / 3));
  // Within one thread, a connect line is always before the message line appended after it.
  std::map<std::pair<int, int>, std::size_t> connect_at;
  const std::vector<std::string> lines = read_lines(file);
  for (std::size_t at = 0; at < lines.size(); ++at) {
    const json line = json::parse(lines[at]);
    const auto key = std::make_pair(line["thread"].get<int>(), line["i"].get<int>());
    if (line["event"] == "connect") connect_at[key] = at;
    else CHECK(connect_at.count(key) == 1);
  }
}

TEST_CASE("audit: reopening continues seq and chain") {
  TempDir dir;
  const fs::path file = make_log(dir, 3);
  {
    AuditLog log(file.string(), kKey);
    log.append({{"event", "after-restart"}});
    log.append({{"event", "after-restart"}});
  }
  const std::vector<std::string> lines = read_lines(file);
  REQUIRE(lines.size() == 5);
  const json fourth = json::parse(lines[3]);
  CHECK(fourth["seq"] == 4);
  CHECK(fourth["prev"] == mugai::core::sha256_hex(lines[2]));
  const AuditVerification result = verify_audit_log(file.string(), kKey);
  INFO(result.problem);
  CHECK(result.intact);
  CHECK(result.lines == 5);
}

TEST_CASE("audit: an empty or fresh log verifies") {
  TempDir dir;
  const fs::path file = dir.path / "audit.log";
  { AuditLog log(file.string(), kKey); }
  const AuditVerification result = verify_audit_log(file.string(), kKey);
  CHECK(result.intact);
  CHECK(result.lines == 0);
}

TEST_CASE("audit: an edited field value is found at its line") {
  TempDir dir;
  const fs::path file = make_log(dir, 6);
  std::vector<std::string> lines = read_lines(file);
  const std::size_t at = lines[2].find("\"n\":3");
  REQUIRE(at != std::string::npos);
  lines[2].replace(at, 5, "\"n\":4");
  write_lines(file, lines);
  SECTION("with the key") { check_problem(verify_audit_log(file.string(), kKey), 3, AuditProblem::edited); }
  SECTION("chain only") { check_problem(verify_audit_log(file.string()), 3, AuditProblem::edited); }
}

TEST_CASE("audit: an edited last line is found through .head") {
  TempDir dir;
  const fs::path file = make_log(dir, 4, "");
  std::vector<std::string> lines = read_lines(file);
  lines[3].replace(lines[3].find("\"n\":4"), 5, "\"n\":5");
  write_lines(file, lines);
  check_problem(verify_audit_log(file.string()), 4, AuditProblem::edited);
}

TEST_CASE("audit: a forged line inserted with a correct prev is found") {
  TempDir dir;
  const fs::path file = make_log(dir, 5);
  std::vector<std::string> lines = read_lines(file);
  // The forger links the new line to line 2 properly, but has no key.
  const std::string forged = rechain(R"({"event":"login","user":"admin","time":"2025-01-01T00:00:00.000Z"})",
                                     mugai::core::sha256_hex(lines[1]), 3);
  lines.insert(lines.begin() + 2, forged);
  write_lines(file, lines);
  SECTION("with the key") { check_problem(verify_audit_log(file.string(), kKey), 3, AuditProblem::inserted); }
  SECTION("chain only") { check_problem(verify_audit_log(file.string()), 3, AuditProblem::inserted); }
}

TEST_CASE("audit: a forged line with the whole chain and .head recomputed is found only by the key") {
  TempDir dir;
  const fs::path file = make_log(dir, 5);
  std::vector<std::string> lines = read_lines(file);
  lines.insert(lines.begin() + 2, R"({"event":"login","user":"admin","time":"2025-01-01T00:00:00.000Z"})");
  // Recompute every later prev and seq (lines 3..6), as an attacker without the key can.
  for (std::size_t i = 2; i < lines.size(); ++i) {
    json object = json::parse(lines[i]);
    const bool signed_line = object.contains("hmac");
    object.erase("hmac");
    object["prev"] = mugai::core::sha256_hex(lines[i - 1]);
    object["seq"] = i + 1;
    std::string text = object.dump(-1, ' ', false, json::error_handler_t::replace);
    if (signed_line)  // keep a stale hmac: the attacker cannot compute a new one
      text.insert(text.size() - 1, ",\"hmac\":\"" + json::parse(read_lines(file)[i - 1])["hmac"].get<std::string>() + "\"");
    lines[i] = text;
  }
  write_lines(file, lines);
  rewrite_head(file, lines.size(), mugai::core::sha256_hex(lines.back()));
  check_problem(verify_audit_log(file.string(), kKey), 3, AuditProblem::bad_hmac);
  // Documented limit: without a key, a consistent rewrite of both files cannot be told apart.
  CHECK(verify_audit_log(file.string()).intact);
}

TEST_CASE("audit: a deleted middle line is found") {
  TempDir dir;
  const fs::path file = make_log(dir, 6);
  std::vector<std::string> lines = read_lines(file);
  lines.erase(lines.begin() + 2);  // line 3
  write_lines(file, lines);
  SECTION("with the key") { check_problem(verify_audit_log(file.string(), kKey), 3, AuditProblem::deleted); }
  SECTION("chain only") { check_problem(verify_audit_log(file.string()), 3, AuditProblem::deleted); }
}

TEST_CASE("audit: a deleted first line is found") {
  TempDir dir;
  const fs::path file = make_log(dir, 3);
  std::vector<std::string> lines = read_lines(file);
  lines.erase(lines.begin());
  write_lines(file, lines);
  check_problem(verify_audit_log(file.string(), kKey), 1, AuditProblem::deleted);
}

TEST_CASE("audit: swapped lines are found as reordered") {
  TempDir dir;
  const fs::path file = make_log(dir, 6);
  std::vector<std::string> lines = read_lines(file);
  std::swap(lines[2], lines[3]);  // lines 3 and 4
  write_lines(file, lines);
  SECTION("with the key") { check_problem(verify_audit_log(file.string(), kKey), 3, AuditProblem::reordered); }
  SECTION("chain only") { check_problem(verify_audit_log(file.string()), 3, AuditProblem::reordered); }
}

TEST_CASE("audit: a duplicated line is found as inserted") {
  TempDir dir;
  const fs::path file = make_log(dir, 5);
  std::vector<std::string> lines = read_lines(file);
  lines.insert(lines.begin() + 3, lines[2]);  // line 3 copied after itself
  write_lines(file, lines);
  const AuditVerification result = verify_audit_log(file.string(), kKey);
  check_problem(result, 3, AuditProblem::inserted);
  CHECK(result.problem.find("line 3 or line 4") != std::string::npos);
}

TEST_CASE("audit: a truncated tail is found through .head") {
  TempDir dir;
  const fs::path file = make_log(dir, 6);
  std::vector<std::string> lines = read_lines(file);
  lines.resize(4);
  write_lines(file, lines);
  SECTION("with the key") { check_problem(verify_audit_log(file.string(), kKey), 5, AuditProblem::truncated); }
  SECTION("chain only") { check_problem(verify_audit_log(file.string()), 5, AuditProblem::truncated); }
  SECTION("truncated to nothing") {
    write_lines(file, {});
    check_problem(verify_audit_log(file.string(), kKey), 1, AuditProblem::truncated);
  }
  SECTION("and the .head deleted too") {
    fs::remove(file.string() + ".head");
    check_problem(verify_audit_log(file.string(), kKey), 5, AuditProblem::truncated);
  }
  SECTION("and a forged .head without the key") {
    rewrite_head(file, 4, mugai::core::sha256_hex(lines[3]));
    check_problem(verify_audit_log(file.string(), kKey), 4, AuditProblem::bad_hmac);
  }
  SECTION("the log refuses to append over the evidence") {
    try {
      AuditLog log(file.string(), kKey);
      FAIL("opened a truncated log");
    } catch (const std::runtime_error& error) {
      CHECK(std::string(error.what()).find("deleted") != std::string::npos);
      CHECK(std::string(error.what()).find(file.string()) != std::string::npos);
    }
  }
}

TEST_CASE("audit: the wrong HMAC key is reported as such") {
  TempDir dir;
  const fs::path file = make_log(dir, 4);
  const AuditVerification result = verify_audit_log(file.string(), "another key");
  check_problem(result, 1, AuditProblem::bad_hmac);
  CHECK(result.problem.find("key is wrong") != std::string::npos);
  CHECK_THROWS_AS(AuditLog(file.string(), "another key"), std::runtime_error);
}

TEST_CASE("audit: a log written without a key fails verification with one") {
  TempDir dir;
  const fs::path file = make_log(dir, 2, "");
  CHECK(verify_audit_log(file.string()).intact);
  check_problem(verify_audit_log(file.string(), kKey), 1, AuditProblem::bad_hmac);
  CHECK_THROWS_AS(AuditLog(file.string(), kKey), std::runtime_error);
}

TEST_CASE("audit: malformed lines are named") {
  TempDir dir;
  const fs::path file = make_log(dir, 3);
  std::vector<std::string> lines = read_lines(file);
  SECTION("not JSON") {
    lines[1] = "{\"seq\":2,";
    write_lines(file, lines);
    check_problem(verify_audit_log(file.string(), kKey), 2, AuditProblem::malformed);
  }
  SECTION("empty line") {
    lines.insert(lines.begin() + 1, "");
    write_lines(file, lines);
    check_problem(verify_audit_log(file.string(), kKey), 2, AuditProblem::malformed);
  }
  SECTION("no seq") {
    lines[0] = R"({"event":"x","prev":"0000000000000000000000000000000000000000000000000000000000000000","time":"t"})";
    write_lines(file, lines);
    check_problem(verify_audit_log(file.string(), kKey), 1, AuditProblem::malformed);
  }
  SECTION("binary garbage") {
    lines[2] = std::string("\x00\xff\x1b[2J", 6);
    write_lines(file, lines);
    check_problem(verify_audit_log(file.string(), kKey), 3, AuditProblem::malformed);
  }
}

TEST_CASE("audit: a torn last line is found, and the log refuses to append after it") {
  TempDir dir;
  const fs::path file = make_log(dir, 6);
  {
    std::ofstream out(file, std::ios::binary | std::ios::app);
    out << R"({"event":"message","n":7,"prev":"ab)";  // a crash in the middle of a write
  }
  check_problem(verify_audit_log(file.string(), kKey), 7, AuditProblem::malformed);
  try {
    AuditLog log(file.string(), kKey);
    FAIL("opened a log with a torn last line");
  } catch (const std::runtime_error& error) {
    const std::string what = error.what();
    INFO(what);
    CHECK(what.find(file.string()) != std::string::npos);
    CHECK(what.find("line 7") != std::string::npos);
    CHECK(what.find("incomplete") != std::string::npos);
  }
  CHECK(read_lines(file).size() == 7);  // not repaired behind anyone's back
}

TEST_CASE("audit: a crash between a line and its .head is tolerated, and repaired on open") {
  TempDir dir;
  const fs::path file = make_log(dir, 3);
  const std::string old_head = read_text(file.string() + ".head");
  { AuditLog(file.string(), kKey).append({{"event", "last"}}); }
  {
    std::ofstream head(file.string() + ".head", std::ios::binary | std::ios::trunc);
    head << old_head;  // as if the process died after fdatasync of line 4
  }
  const AuditVerification behind = verify_audit_log(file.string(), kKey);
  INFO(behind.problem);
  CHECK(behind.intact);
  { AuditLog(file.string(), kKey).append({{"event", "after"}}); }
  const AuditVerification result = verify_audit_log(file.string(), kKey);
  INFO(result.problem);
  CHECK(result.intact);
  CHECK(result.lines == 5);
}

TEST_CASE("audit: a .head one batch behind (group commit, then a crash) is tolerated and repaired") {
  TempDir dir;
  const fs::path file = make_log(dir, 2, "");
  const std::string old_head = read_text(file.string() + ".head");
  {
    AuditLog log(file.string());
    log.append({{"event", "a"}});
    log.append({{"event", "b"}});
  }
  std::ofstream(file.string() + ".head", std::ios::binary | std::ios::trunc) << old_head;
  const AuditVerification behind = verify_audit_log(file.string());
  INFO(behind.problem);
  CHECK(behind.intact);
  { AuditLog(file.string()).append({{"event", "after"}}); }
  const json head = json::parse(read_text(file.string() + ".head"));
  CHECK(head["seq"] == 5);
}

TEST_CASE("audit: the .head flush rule keeps the head on disk within kMaxHeadLag of any crash") {
  // The head on disk names at least `flushed`; a crash can find every line of the batch being
  // written on disk too. Every batch size up to the cap, repeated, never exceeds the lag.
  for (std::uint64_t size = 1; size <= AuditLog::kMaxBatchLines; ++size) {
    std::uint64_t last = 0;
    std::uint64_t flushed = 0;
    std::uint64_t flushes = 0;
    for (int batch = 0; batch < 2000; ++batch) {
      const std::uint64_t batch_lines = (batch % 7 == 0) ? AuditLog::kMaxBatchLines : size;
      INFO("batch size " << size << ", batch " << batch);
      REQUIRE(last + batch_lines - flushed <= AuditLog::kMaxHeadLag);  // a crash during this batch
      last += batch_lines;
      if (AuditLog::head_needs_flush(last, flushed)) {
        flushed = last;
        ++flushes;
      }
    }
    // ...and the head is not flushed after every batch (the point of the rule).
    CHECK(flushes < 2000 / 2);
  }
}

TEST_CASE("audit: a .head on disk kMaxHeadLag lines behind (lazy flush, then a power loss) is tolerated and repaired") {
  TempDir dir;
  const fs::path file = make_log(dir, 2, "");
  const std::string old_head = read_text(file.string() + ".head");
  {
    AuditLog log(file.string());
    for (std::uint64_t i = 0; i < AuditLog::kMaxHeadLag; ++i) log.append({{"event", "x"}});
  }
  std::ofstream(file.string() + ".head", std::ios::binary | std::ios::trunc) << old_head;
  const AuditVerification behind = verify_audit_log(file.string());
  INFO(behind.problem);
  CHECK(behind.intact);
  { AuditLog(file.string()).append({{"event", "after"}}); }
  const json head = json::parse(read_text(file.string() + ".head"));
  CHECK(head["seq"] == 2 + AuditLog::kMaxHeadLag + 1);
  CHECK(verify_audit_log(file.string()).intact);
}

TEST_CASE("audit: a .head further behind than kMaxHeadLag lines is reported") {
  TempDir dir;
  const fs::path file = make_log(dir, 2, "");
  const std::string old_head = read_text(file.string() + ".head");
  {
    AuditLog log(file.string());
    for (std::uint64_t i = 0; i < AuditLog::kMaxHeadLag + 1; ++i) log.append({{"event", "x"}});
  }
  std::ofstream(file.string() + ".head", std::ios::binary | std::ios::trunc) << old_head;
  check_problem(verify_audit_log(file.string()), 2 + AuditLog::kMaxHeadLag + 1, AuditProblem::inserted);
  CHECK_THROWS_AS(AuditLog(file.string()), std::runtime_error);
}

TEST_CASE("audit: a .head that names an edited line within the lag is reported") {
  TempDir dir;
  const fs::path file = make_log(dir, 4, "");
  rewrite_head(file, 2, std::string(64, 'a'));
  check_problem(verify_audit_log(file.string()), 2, AuditProblem::edited);
  CHECK_THROWS_AS(AuditLog(file.string()), std::runtime_error);
}

TEST_CASE("audit: two writers (the daemon and an administrator's command) share one chain") {
  TempDir dir;
  const fs::path file = dir.path / "audit.log";
  AuditLog daemon(file.string(), kKey);
  daemon.append({{"event", "connect"}});
  {
    AuditLog admin(file.string(), kKey);
    admin.append({{"event", "release"}});
    daemon.append({{"event", "message"}});  // continues after the admin's line, not after its own
    admin.append({{"event", "purge"}});
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&file, &daemon, t] {
      AuditLog own(file.string(), kKey);
      for (int i = 0; i < 25; ++i) (t % 2 ? own : daemon).append({{"event", "x"}, {"t", t}, {"i", i}});
    });
  for (std::thread& thread : threads) thread.join();
  const AuditVerification result = verify_audit_log(file.string(), kKey);
  INFO(result.problem);
  CHECK(result.intact);
  CHECK(result.lines == 104);
}

TEST_CASE("audit: a missing or unreadable file is not 'intact'") {
  TempDir dir;
  const AuditVerification result = verify_audit_log((dir.path / "nope.log").string());
  CHECK_FALSE(result.intact);
  CHECK(result.kind == AuditProblem::unreadable);
  CHECK_THROWS_AS(AuditLog((dir.path / "no-such-dir" / "audit.log").string()), std::runtime_error);
  CHECK_THROWS_AS(AuditLog(dir.path.string()), std::runtime_error);  // a directory
}

TEST_CASE("audit: an over-long line is malformed, never read to the end of memory") {
  TempDir dir;
  const fs::path file = make_log(dir, 1);
  {
    std::ofstream out(file, std::ios::binary | std::ios::app);
    out << std::string(AuditLog::kMaxLineBytes + 10, 'x') << "\n";
  }
  check_problem(verify_audit_log(file.string(), kKey), 2, AuditProblem::malformed);
}

TEST_CASE("audit: HMAC key files") {
  TempDir dir;
  const fs::path key = dir.path / "key";
  std::ofstream(key, std::ios::binary) << "s3cret\n";
  CHECK(mugai::core::read_hmac_key_file(key.string()) == "s3cret");
  std::ofstream(key, std::ios::binary | std::ios::trunc) << "s3cret\r\n";
  CHECK(mugai::core::read_hmac_key_file(key.string()) == "s3cret");
  std::ofstream(key, std::ios::binary | std::ios::trunc) << "two\nlines\n";
  CHECK(mugai::core::read_hmac_key_file(key.string()) == "two\nlines");
  std::ofstream(key, std::ios::binary | std::ios::trunc) << "\n";
  CHECK_THROWS_AS(mugai::core::read_hmac_key_file(key.string()), std::runtime_error);
  std::ofstream(key, std::ios::binary | std::ios::trunc) << std::string(5000, 'k');
  CHECK_THROWS_AS(mugai::core::read_hmac_key_file(key.string()), std::runtime_error);
  CHECK_THROWS_AS(mugai::core::read_hmac_key_file((dir.path / "missing").string()), std::runtime_error);
}
