// The quarantine store: layout and modes, duplicates, IDs that try to leave the store, prefixes,
// concurrent stores of one original, I/O failure.
#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "mugai/core/digest.h"
#include "mugai/core/quarantine.h"

using mugai::core::IdMatch;
using mugai::core::Quarantine;
using mugai::core::QuarantineEntry;
using mugai::core::sha256_hex;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "mugai-quarantine-XXXXXX").string();
    path = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  fs::path path;
};

QuarantineEntry entry_for(const std::string& original, std::string sender = "a@example.com",
                          std::string stored_at = "") {
  QuarantineEntry entry;
  entry.id = sha256_hex(original);
  entry.stored_at = std::move(stored_at);
  entry.kind = "message";
  entry.sender = std::move(sender);
  entry.recipients = {"staff@city.example.lg.jp"};
  entry.subject = "請求書のご送付（①㈱）";
  entry.profile = "strict";
  entry.verdict = "delivered";
  entry.report_json = R"({"verdict":"delivered","parts":[{"path":"1","action":"removed"}]})";
  return entry;
}

unsigned mode_of(const fs::path& path) {
  struct stat info{};
  REQUIRE(stat(path.c_str(), &info) == 0);
  return info.st_mode & 0777;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename().string());
  return names;
}

}  // namespace

TEST_CASE("quarantine: store, find, original, list") {
  TempDir dir;
  const Quarantine quarantine((dir.path / "q").string());
  CHECK(quarantine.list().empty());  // no directory yet: an empty quarantine
  const std::string original = "From: x@example.com\r\nSubject: hi\r\n\r\nbody\x00\xff\r\n";
  const QuarantineEntry entry = entry_for(original);
  quarantine.store(original, entry);

  const fs::path shard = dir.path / "q" / entry.id.substr(0, 2);
  CHECK(fs::exists(shard / (entry.id + ".orig")));
  CHECK(fs::exists(shard / (entry.id + ".json")));
  CHECK(mode_of(dir.path / "q") == 0700);
  CHECK(mode_of(shard) == 0700);
  CHECK(mode_of(shard / (entry.id + ".orig")) == 0600);
  CHECK(mode_of(shard / (entry.id + ".json")) == 0600);

  const auto found = quarantine.find(entry.id);
  REQUIRE(found);
  CHECK(found->id == entry.id);
  CHECK(found->kind == "message");
  CHECK(found->sender == "a@example.com");
  CHECK(found->recipients == entry.recipients);
  CHECK(found->subject == "請求書のご送付（①㈱）");
  CHECK(found->profile == "strict");
  CHECK(found->verdict == "delivered");
  CHECK(found->size == original.size());
  CHECK(found->delivery_count == 1);
  CHECK(found->deliveries.empty());
  CHECK(found->stored_at.size() == 24);  // 2025-01-31T09:15:02.123Z
  CHECK(nlohmann::json::parse(found->report_json)["parts"][0]["action"] == "removed");

  CHECK(quarantine.original(entry.id) == original);
  const auto listed = quarantine.list();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].id == entry.id);
  CHECK_FALSE(quarantine.find(sha256_hex("something else")));
  CHECK_FALSE(quarantine.original(sha256_hex("something else")));
}

TEST_CASE("quarantine: the ID is the SHA-256 of the original") {
  TempDir dir;
  const Quarantine quarantine(dir.path.string());
  QuarantineEntry entry = entry_for("bytes");
  entry.id = sha256_hex("other bytes");
  CHECK_THROWS_AS(quarantine.store("bytes", entry), std::runtime_error);
  entry.id.clear();  // computed
  quarantine.store("bytes", entry);
  CHECK(quarantine.original(sha256_hex("bytes")) == "bytes");
}

TEST_CASE("quarantine: storing the same original again keeps the first and records the delivery") {
  TempDir dir;
  const Quarantine quarantine(dir.path.string());
  const std::string original = "same attachment";
  QuarantineEntry first = entry_for(original, "first@example.com", "2025-01-01T00:00:00.000Z");
  quarantine.store(original, first);
  QuarantineEntry second = entry_for(original, "second@example.com", "2025-01-02T00:00:00.000Z");
  second.recipients = {"other@city.example.lg.jp"};
  second.verdict = "rejected";
  second.report_json = R"({"verdict":"rejected"})";
  quarantine.store(original, second);

  const auto found = quarantine.find(first.id);
  REQUIRE(found);
  CHECK(found->sender == "first@example.com");
  CHECK(found->stored_at == "2025-01-01T00:00:00.000Z");
  CHECK(nlohmann::json::parse(found->report_json)["verdict"] == "delivered");  // the first report
  CHECK(found->delivery_count == 2);
  REQUIRE(found->deliveries.size() == 1);
  CHECK(found->deliveries[0].sender == "second@example.com");
  CHECK(found->deliveries[0].recipients == second.recipients);
  CHECK(found->deliveries[0].verdict == "rejected");
  CHECK(found->deliveries[0].stored_at == "2025-01-02T00:00:00.000Z");
  CHECK(quarantine.list().size() == 1);
  CHECK(quarantine.original(first.id) == original);
}

TEST_CASE("quarantine: an original stored early is invisible until store(), and discarded if none follows") {
  TempDir dir;
  const Quarantine quarantine(dir.path.string());
  const std::string original = "written while the worker sanitises";
  const std::string id = sha256_hex(original);
  const mugai::core::HashedOriginal hashed(original);
  CHECK(hashed.sha256() == id);
  quarantine.store_original(hashed);
  CHECK(quarantine.original(id) == original);  // on disk
  CHECK_FALSE(quarantine.find(id));             // but no entry yet
  CHECK(quarantine.list().empty());
  quarantine.store(hashed, entry_for(original));  // the metadata follows
  REQUIRE(quarantine.find(id));
  quarantine.discard_unlisted_original(id);      // listed now: kept
  CHECK(quarantine.original(id) == original);

  const std::string dropped = "the worker failed: 451";
  quarantine.store_original(mugai::core::HashedOriginal(dropped));
  quarantine.discard_unlisted_original(sha256_hex(dropped));
  CHECK_FALSE(quarantine.original(sha256_hex(dropped)));
  quarantine.discard_unlisted_original(sha256_hex("never stored"));  // nothing there: no error
  quarantine.discard_unlisted_original("../../etc/passwd");          // not an ID: ignored
  CHECK(quarantine.list().size() == 1);
}

TEST_CASE("quarantine: delivery records are capped, the count is not") {
  TempDir dir;
  const Quarantine quarantine(dir.path.string());
  const std::string original = "flooded";
  const std::size_t stores = Quarantine::kMaxDeliveryRecords + 5;
  for (std::size_t i = 0; i < stores; ++i) quarantine.store(original, entry_for(original));
  const auto found = quarantine.find(sha256_hex(original));
  REQUIRE(found);
  CHECK(found->delivery_count == stores);
  CHECK(found->deliveries.size() == Quarantine::kMaxDeliveryRecords);
  // The metadata is written once; later stores are lines, and past the cap only a count.
  const fs::path base = dir.path / sha256_hex(original).substr(0, 2) / sha256_hex(original);
  const std::string json_before = read_text(base.string() + ".json");
  quarantine.store(original, entry_for(original));
  CHECK(read_text(base.string() + ".json") == json_before);
  const std::string lines = read_text(base.string() + ".deliveries");
  CHECK(static_cast<std::size_t>(std::count(lines.begin(), lines.end(), '\n')) == Quarantine::kMaxDeliveryRecords);
  CHECK(read_text(base.string() + ".more") == "00000000000000000005\n");  // 1 + 100 + 5 stores
  CHECK(quarantine.find(sha256_hex(original))->delivery_count == stores + 1);
  // remove() takes every file of the entry.
  CHECK(quarantine.remove(sha256_hex(original)));
  CHECK(names_in(base.parent_path()) == std::set<std::string>{".lock"});
}

TEST_CASE("quarantine: a delivery line torn by a crash is ended before the next one") {
  TempDir dir;
  const Quarantine quarantine(dir.path.string());
  const std::string original = "stored twice, then a crash";
  const std::string id = sha256_hex(original);
  quarantine.store(original, entry_for(original));
  quarantine.store(original, entry_for(original, "second@example.com"));
  const std::string deliveries = (dir.path / id.substr(0, 2) / (id + ".deliveries")).string();
  std::ofstream(deliveries, std::ios::app) << "{\"stored_at\":\"2025-";  // the crash
  quarantine.store(original, entry_for(original, "third@example.com"));
  const auto found = quarantine.find(id);
  REQUIRE(found);
  CHECK(found->delivery_count == 4);  // the torn line still counts as a store
  REQUIRE(found->deliveries.size() == 2);
  CHECK(found->deliveries[0].sender == "second@example.com");
  CHECK(found->deliveries[1].sender == "third@example.com");
}

TEST_CASE("quarantine: metadata of the earlier format (deliveries inside the .json) is still read") {
  TempDir dir;
  const Quarantine quarantine(dir.path.string());
  const std::string original = "stored by an earlier mugai";
  const std::string id = sha256_hex(original);
  fs::create_directories(dir.path / id.substr(0, 2));
  std::ofstream(dir.path / id.substr(0, 2) / (id + ".orig")) << original;
  std::ofstream(dir.path / id.substr(0, 2) / (id + ".json"))
      << "{\"format\":\"mugai-quarantine/1\",\"id\":\"" << id
      << "\",\"stored_at\":\"2025-01-01T00:00:00.000Z\",\"kind\":\"message\",\"delivery_count\":3,"
         "\"deliveries\":[{\"sender\":\"b@example.com\"},{\"sender\":\"c@example.com\"}]}";
  quarantine.store(original, entry_for(original, "d@example.com"));
  const auto found = quarantine.find(id);
  REQUIRE(found);
  CHECK(found->delivery_count == 4);
  REQUIRE(found->deliveries.size() == 3);
  CHECK(found->deliveries[2].sender == "d@example.com");
}

TEST_CASE("quarantine: IDs that could leave the store are refused") {
  TempDir dir;
  const fs::path store = dir.path / "store";
  const Quarantine quarantine(store.string());
  quarantine.store("x", entry_for("x"));
  // A secret outside the store that a traversal would reach.
  std::ofstream(dir.path / "secret.orig") << "secret";
  std::ofstream(dir.path / "secret.json") << "{}";

  const std::string upper = [] {
    std::string id = sha256_hex("x");
    for (char& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return id;
  }();
  const std::vector<std::string> hostile = {
      "../x", "aa/../../etc", "../secret", "..", "/etc/passwd", upper,
      sha256_hex("x") + "0",                                // long
      sha256_hex("x").substr(0, 62) + "/.",                 // right length, a slash
      "aa/../../../../../../../../../../../../../../../../../../../../../../../../../../etc/x",
      std::string("aaaaaaaa\0bbbb", 13),                    // NUL
  };
  for (const std::string& id : hostile) {
    INFO("id: " << id);
    CHECK_FALSE(Quarantine::is_valid_id(id));
    CHECK_FALSE(quarantine.find(id));
    CHECK_FALSE(quarantine.original(id));
    CHECK(quarantine.resolve(id).match == IdMatch::invalid);
    QuarantineEntry entry = entry_for("payload");
    entry.id = id;
    CHECK_THROWS_AS(quarantine.store("payload", entry), std::runtime_error);
  }
  // Short IDs: never a file name (a prefix only through resolve(), which lists the shard).
  for (const std::string& id : {std::string(), sha256_hex("x").substr(0, 63), std::string("2d")}) {
    INFO("id: " << id);
    CHECK_FALSE(Quarantine::is_valid_id(id));
    CHECK_FALSE(quarantine.find(id));
    CHECK_FALSE(quarantine.original(id));
  }
  CHECK(quarantine.resolve(sha256_hex("x").substr(0, 63)).id == sha256_hex("x"));
  CHECK(quarantine.resolve("../secre").match == IdMatch::invalid);
  CHECK(quarantine.resolve("ABCDEF12").match == IdMatch::invalid);
  CHECK(quarantine.resolve("abcdef1").match == IdMatch::invalid);  // 7 < 8
  // Nothing was written anywhere else.
  CHECK(names_in(dir.path) == std::set<std::string>{"secret.orig", "secret.json", "store"});
  CHECK(names_in(store) == std::set<std::string>{sha256_hex("x").substr(0, 2)});
}

TEST_CASE("quarantine: show accepts a unique prefix of at least 8 hex characters") {
  TempDir dir;
  const Quarantine quarantine(dir.path.string());
  // Birthday search for two originals whose IDs share 8 hex characters (~2^16 hashes).
  std::unordered_map<std::string, std::string> seen;
  std::string a, b;
  for (int i = 0; a.empty(); ++i) {
    const std::string original = "original " + std::to_string(i);
    const auto [it, fresh] = seen.emplace(sha256_hex(original).substr(0, 8), original);
    if (!fresh) {
      a = it->second;
      b = original;
    }
  }
  quarantine.store(a, entry_for(a));
  quarantine.store(b, entry_for(b));
  const std::string id_a = sha256_hex(a), id_b = sha256_hex(b);
  const auto ambiguous = quarantine.resolve(id_a.substr(0, 8));
  CHECK(ambiguous.match == IdMatch::ambiguous);
  CHECK(ambiguous.candidates == std::vector<std::string>{std::min(id_a, id_b), std::max(id_a, id_b)});
  // The shortest longer prefix that tells them apart.
  std::size_t length = 8;
  while (id_a.substr(0, length) == id_b.substr(0, length)) ++length;
  const auto unique = quarantine.resolve(id_a.substr(0, length));
  CHECK(unique.match == IdMatch::found);
  CHECK(unique.id == id_a);
  CHECK(quarantine.resolve(id_a).match == IdMatch::found);
  CHECK(quarantine.resolve(id_a).id == id_a);
  const std::string absent = sha256_hex("absent");
  CHECK(quarantine.resolve(absent).match == IdMatch::not_found);
  CHECK(quarantine.resolve(absent.substr(0, 8)).match == IdMatch::not_found);
}

TEST_CASE("quarantine: list is sorted by stored_at") {
  TempDir dir;
  const Quarantine quarantine(dir.path.string());
  quarantine.store("b", entry_for("b", "", "2025-03-01T00:00:00.000Z"));
  quarantine.store("a", entry_for("a", "", "2025-01-01T00:00:00.000Z"));
  quarantine.store("c", entry_for("c", "", "2025-02-01T00:00:00.000Z"));
  const auto listed = quarantine.list();
  REQUIRE(listed.size() == 3);
  CHECK(listed[0].id == sha256_hex("a"));
  CHECK(listed[1].id == sha256_hex("c"));
  CHECK(listed[2].id == sha256_hex("b"));
}

TEST_CASE("quarantine: concurrent stores of the same original") {
  TempDir dir;
  const Quarantine quarantine(dir.path.string());
  const std::string original(200000, 'm');
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&quarantine, &original, t] {
      quarantine.store(original, entry_for(original, "sender" + std::to_string(t) + "@example.com"));
    });
  for (std::thread& thread : threads) thread.join();
  const std::string id = sha256_hex(original);
  const auto found = quarantine.find(id);
  REQUIRE(found);
  CHECK(found->delivery_count == kThreads);  // no lost update
  CHECK(found->deliveries.size() == kThreads - 1);
  CHECK(quarantine.original(id) == original);
  // No temporary file is left behind.
  CHECK(names_in(dir.path / id.substr(0, 2)) ==
        std::set<std::string>{".lock", id + ".orig", id + ".json", id + ".deliveries"});
}

TEST_CASE("quarantine: concurrent stores of different originals") {
  TempDir dir;
  const Quarantine quarantine(dir.path.string());
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&quarantine, t] {
      for (int i = 0; i < 10; ++i) {
        const std::string original = "original " + std::to_string(t) + "/" + std::to_string(i);
        quarantine.store(original, entry_for(original));
      }
    });
  for (std::thread& thread : threads) thread.join();
  CHECK(quarantine.list().size() == 80);
}

TEST_CASE("quarantine: hostile metadata text and reports survive") {
  TempDir dir;
  const Quarantine quarantine(dir.path.string());
  QuarantineEntry entry = entry_for("hostile");
  entry.subject = std::string("bad \xff utf-8 \x1b[31m red");
  entry.report_json = "not json {";
  quarantine.store("hostile", entry);
  const auto found = quarantine.find(entry.id);
  REQUIRE(found);
  CHECK(found->subject.find("\xEF\xBF\xBD") != std::string::npos);  // replaced, not thrown
  CHECK(found->subject.find("\x1b[31m") != std::string::npos);      // kept; escaping is the CLI's job
  CHECK(found->report_json == "not json {");                        // kept as text
}

TEST_CASE("quarantine: unreadable metadata is listed, and replaced by the next store") {
  TempDir dir;
  const Quarantine quarantine(dir.path.string());
  const std::string id = sha256_hex("x");
  quarantine.store("x", entry_for("x"));
  std::ofstream(dir.path / id.substr(0, 2) / (id + ".json"), std::ios::trunc) << "garbage";
  auto listed = quarantine.list();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].verdict == "unreadable-metadata");
  quarantine.store("x", entry_for("x"));
  listed = quarantine.list();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].verdict == "delivered");
  CHECK(listed[0].delivery_count == 1);
}

TEST_CASE("quarantine: I/O failure is a runtime_error") {
  TempDir dir;
  std::ofstream(dir.path / "file") << "not a directory";
  const Quarantine blocked((dir.path / "file").string());
  CHECK_THROWS_AS(blocked.store("x", entry_for("x")), std::runtime_error);
  const Quarantine below((dir.path / "file" / "q").string());
  CHECK_THROWS_AS(below.store("x", entry_for("x")), std::runtime_error);
  if (geteuid() != 0) {  // root ignores modes
    fs::create_directory(dir.path / "ro");
    fs::permissions(dir.path / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    const Quarantine read_only((dir.path / "ro").string());
    CHECK_THROWS_AS(read_only.store("x", entry_for("x")), std::runtime_error);
    fs::permissions(dir.path / "ro", fs::perms::owner_all);
  }
}

TEST_CASE("quarantine: an original deleted by hand is written back by the next store of it") {
  TempDir dir;
  const Quarantine quarantine(dir.path.string());
  const std::string original = "its .orig went missing";
  const std::string id = sha256_hex(original);
  quarantine.store(original, entry_for(original));
  fs::remove(dir.path / id.substr(0, 2) / (id + ".orig"));
  CHECK_FALSE(quarantine.original(id));
  quarantine.store(original, entry_for(original, "again@example.com"));
  CHECK(quarantine.original(id) == original);
  CHECK(quarantine.find(id)->delivery_count == 2);
}
