// Unit tests of the transfer proxy's pieces that need no sockets: password hashes, transfer IDs
// and the store's owner isolation, the outbox drop, the rate limiter.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "mugai/transfer/password_hash.h"
#include "rate_limiter.h"
#include "transfer_store.h"

using namespace mugai::transfer;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char pattern[] = "/tmp/mugai-transfer-unit-XXXXXX";
    path = mkdtemp(pattern);
  }
  ~TempDir() { fs::remove_all(path); }
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("password hashes verify the right password only, with a fresh salt each time") {
  const std::string encoded = hash_password("パスワード", 1000);
  REQUIRE(encoded.starts_with("pbkdf2-sha256$1000$"));
  const auto hash = parse_password_hash(encoded);
  REQUIRE(hash);
  CHECK(hash->salt.size() == 16);
  CHECK(verify_password(*hash, "パスワード"));
  CHECK_FALSE(verify_password(*hash, "パスワー"));
  CHECK_FALSE(verify_password(*hash, ""));
  CHECK(hash_password("パスワード", 1000) != encoded);
}

TEST_CASE("malformed or unsafe password hashes are refused") {
  const std::string good = hash_password("x", 1000);
  const std::string tail = good.substr(good.find('$', 14));
  CHECK_FALSE(parse_password_hash(""));
  CHECK_FALSE(parse_password_hash("secret"));
  CHECK_FALSE(parse_password_hash("md5$1000" + tail));
  CHECK_FALSE(parse_password_hash("pbkdf2-sha256$999" + tail));        // too few iterations
  CHECK_FALSE(parse_password_hash("pbkdf2-sha256$99999999" + tail));   // a login costing minutes
  CHECK_FALSE(parse_password_hash("pbkdf2-sha256$1000x" + tail));
  CHECK_FALSE(parse_password_hash(good + "$extra"));
  CHECK_FALSE(parse_password_hash("pbkdf2-sha256$1000$AAAA$AAAA"));    // salt and hash too short
  CHECK_THROWS(hash_password("x", 10));
}

TEST_CASE("transfer IDs are 128 random bits in lower-case hex, and nothing else is an ID") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = TransferStore::new_id();
    CHECK(TransferStore::is_valid_id(id));
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
  const std::string id = TransferStore::new_id();
  CHECK_FALSE(TransferStore::is_valid_id(""));
  CHECK_FALSE(TransferStore::is_valid_id(id.substr(1)));
  CHECK_FALSE(TransferStore::is_valid_id(id + "0"));
  CHECK_FALSE(TransferStore::is_valid_id("../../../../../../../etc/passwd"));
  CHECK_FALSE(TransferStore::is_valid_id(std::string(30, 'a') + "/."));
  CHECK_FALSE(TransferStore::is_valid_id(std::string(31, 'a') + "A"));
  CHECK_FALSE(TransferStore::is_valid_id(std::string(31, 'a') + std::string(1, '\0')));
}

TEST_CASE("the store keeps each record under its owner") {
  TempDir dir;
  TransferStore store((dir.path / "state").string(), 1);
  TransferRecord record;
  record.id = TransferStore::new_id();
  record.owner = "alice";
  record.verdict = "delivered";
  record.filename = "../evil\xff.txt";
  record.output_filename = "evil.txt";
  record.report_json = "{}";
  const std::string output = "sanitised";
  store.save(record, &output);
  const auto found = store.find("alice", record.id);
  REQUIRE(found);
  CHECK(found->output_filename == "evil.txt");
  CHECK(store.output("alice", record.id) == output);
  CHECK_FALSE(store.find("bob", record.id));
  CHECK_FALSE(store.output("bob", record.id));
  CHECK_FALSE(store.find("..", record.id));
  CHECK_FALSE(store.find("alice", "../alice/" + record.id));
  CHECK(store.list("alice", 10).size() == 1);
  CHECK(store.list("bob", 10).empty());
  CHECK((fs::status(dir.path / "state" / "alice").permissions() & fs::perms::others_all) == fs::perms::none);
}

TEST_CASE("the outbox gets whole files inside the user's folder, or nothing") {
  TempDir dir;
  const std::string id = TransferStore::new_id();
  const std::string path = drop_into_outbox(dir.path.string(), "alice", id, "報告.txt", "bytes");
  CHECK(path == (dir.path / "alice" / (id + "-報告.txt")).string());
  CHECK(slurp(path) == "bytes");
  CHECK(std::distance(fs::directory_iterator(dir.path / "alice"), fs::directory_iterator()) == 1);
  CHECK_THROWS(drop_into_outbox(dir.path.string(), "..", id, "a.txt", "x"));
  CHECK_THROWS(drop_into_outbox(dir.path.string(), "alice", "../" + id, "a.txt", "x"));
  CHECK_THROWS(drop_into_outbox(dir.path.string(), "alice", id, "../../a.txt", "x"));
  CHECK_THROWS(drop_into_outbox(dir.path.string(), "alice", id, "", "x"));
}

TEST_CASE("the rate limiter counts per key within a sliding minute") {
  RateLimiter limiter(2);
  const auto start = RateLimiter::Clock::now();
  CHECK(limiter.allow("a", start));
  CHECK(limiter.allow("a", start + std::chrono::seconds(10)));
  CHECK_FALSE(limiter.allow("a", start + std::chrono::seconds(20)));
  CHECK(limiter.allow("b", start + std::chrono::seconds(20)));
  CHECK(limiter.retry_after_seconds("a", start + std::chrono::seconds(20)) == 41);
  CHECK(limiter.allow("a", start + std::chrono::seconds(61)));
  CHECK_FALSE(limiter.allow("a", start + std::chrono::seconds(62)));
}
