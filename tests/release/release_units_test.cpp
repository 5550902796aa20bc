// Release workflow units: the release: config section (errors that must fail for their own
// reason), the request store (strict IDs, durable round trip), and the notice link.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "../../gateway/core/notice.h"
#include "mugai/core/config_loader.h"
#include "mugai/core/quarantine.h"
#include "mugai/release/release_store.h"

namespace {

using mugai::core::load_config_text;

const std::string kBase = R"(
profiles:
  p:
    release_approval: superior
    release_content: original
    rules: []
select:
  - { default: p }
transfer:
  enabled: true
  users:
    - { name: tanaka, password_hash: "pbkdf2-sha256$1000$c2FsdA==$aGFzaA==", profiles: [p] }
)";

std::string errors_of(const std::string& yaml) {
  std::string out;
  for (const auto& error : load_config_text(yaml).errors) out += error.message + "\n";
  return out;
}

struct TempDir {
  std::string path;
  TempDir() {
    char name[] = "/tmp/mugai-release-unit-XXXXXX";
    path = ::mkdtemp(name);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

const std::string kId(64, 'a');

}  // namespace

TEST_CASE("release config: a complete section loads with its values") {
  const auto result = load_config_text(kBase + R"(release:
  enabled: true
  base_url: https://mugai.example.lg.jp:8443/
  trusted_proxy_header: X-Remote-User
  trusted_proxies: [127.0.0.1]
  admins: [kanri]
  password_attempts_per_hour: 3
  staff:
    - { user: tanaka, addresses: [Tanaka@City.Example.JP], superior: sato }
quarantine_retention_days: 30
)");
  INFO(errors_of(kBase));
  REQUIRE(result.config);
  const auto& release = result.config->release;
  CHECK(release.enabled);
  CHECK(release.base_url == "https://mugai.example.lg.jp:8443");  // trailing slash dropped
  CHECK(release.staff.at(0).addresses.at(0) == "tanaka@city.example.jp");
  CHECK(release.staff.at(0).superior == "sato");
  CHECK(release.password_attempts_per_hour == 3);
  CHECK(result.config->quarantine_retention_days == 30);
  CHECK(result.config->profiles.at("p").release_approval == "superior");
  CHECK(result.config->profiles.at("p").release_content == "original");
}

TEST_CASE("release config: defaults are the safe ones") {
  const auto result = load_config_text(kBase);
  REQUIRE(result.config);
  CHECK_FALSE(result.config->release.enabled);
  CHECK(result.config->quarantine_retention_days == 14);
  CHECK(mugai::core::Profile{}.release_approval == "admin");
  CHECK(mugai::core::Profile{}.release_content == "sanitized");
}

TEST_CASE("release config: each mistake is refused for its own reason") {
  CHECK(errors_of(kBase + "release: { enabled: true, trusted_proxy_header: X-User }\n")
            .find("without trusted_proxies") != std::string::npos);
  CHECK(errors_of(kBase + "release: { base_url: \"ftp://x\" }\n").find("http:// or https://") != std::string::npos);
  CHECK(errors_of(kBase + "release: { trusted_proxies: [10.0.0.0/8] }\n").find("IP address") != std::string::npos);
  CHECK(errors_of(kBase + "release: { staff: [ { user: a, addresses: [a@x.jp], superior: a } ] }\n")
            .find("own superior") != std::string::npos);
  CHECK(errors_of(kBase + "release: { staff: [ { user: \"../x\", addresses: [a@x.jp] } ] }\n")
            .find("user names") != std::string::npos);
  CHECK(errors_of(kBase + "release: { password_attempts_per_hour: 0 }\n").find("0 is refused") != std::string::npos);
  CHECK(errors_of(kBase + "quarantine_retention_days: 0\n").find("0 is refused") != std::string::npos);
  const std::string no_transfer = R"(
profiles:
  p: { release_approval: everybody, rules: [] }
select:
  - { default: p }
release: { enabled: true }
)";
  const std::string errors = errors_of(no_transfer);
  CHECK(errors.find("unknown approval") != std::string::npos);
  CHECK(errors.find("transfer.enabled") != std::string::npos);
}

TEST_CASE("release store: IDs are 64 lower-case hex before any path is built") {
  TempDir dir;
  const mugai::release::ReleaseStore store(dir.path);
  for (const std::string& bad : {std::string("../../etc/passwd"), std::string(63, 'a'), std::string(64, 'A'), std::string(""),
                                std::string(32, 'a') + "/" + std::string(31, 'a'), std::string(64, 'a') + "\n"}) {
    CHECK_THROWS_AS(store.find(bad), std::invalid_argument);
    CHECK_THROWS_AS(mugai::release::ReleaseStore::Lock(store, bad), std::invalid_argument);
  }
  CHECK_FALSE(std::filesystem::exists(dir.path + "/releases"));
}

TEST_CASE("release store: a record survives a round trip, 0600, no temporary left") {
  TempDir dir;
  const mugai::release::ReleaseStore store(dir.path);
  mugai::release::ReleaseRecord record;
  record.id = kId;
  record.state = "awaiting-approval";
  record.requester = "tanaka";
  record.token = mugai::release::random_hex(16);
  record.password_failures = {"2026-01-01T00:00:00Z"};
  {
    const mugai::release::ReleaseStore::Lock lock(store, kId);
    store.save(record);
    store.stage(kId, "sanitised bytes");
  }
  const auto read = store.find(kId);
  REQUIRE(read);
  CHECK(read->state == "awaiting-approval");
  CHECK(read->token == record.token);
  CHECK(read->token.size() == 32);
  CHECK(read->password_failures == record.password_failures);
  CHECK(store.staged(kId) == std::string("sanitised bytes"));
  const auto mode = std::filesystem::status(dir.path + "/releases/" + kId + ".json").permissions();
  CHECK((mode & std::filesystem::perms::group_all) == std::filesystem::perms::none);
  CHECK((mode & std::filesystem::perms::others_all) == std::filesystem::perms::none);
  CHECK_FALSE(std::filesystem::exists(dir.path + "/releases/" + kId + ".json.tmp"));
  store.remove_all(kId);
  CHECK_FALSE(store.find(kId));
  CHECK_FALSE(store.staged(kId));
}

TEST_CASE("release notice: the link appears with a base URL and its line disappears without") {
  mugai::core::Report report;
  report.quarantine_id = kId;
  const std::string text = "A\n{{release_link_ja}}\n{{release_link_en}}\nB\n";
  const std::string with = mugai::core::render_notice(text, report, "https://m.example.jp");
  CHECK(with.find("https://m.example.jp/#/release/" + kId) != std::string::npos);
  CHECK(with.find("原本の確認") != std::string::npos);
  CHECK(mugai::core::render_notice(text, report) == "A\nB\n");
}

TEST_CASE("quarantine remove (retention purge): original and metadata go, invalid IDs name nothing") {
  TempDir dir;
  const mugai::core::Quarantine quarantine(dir.path + "/q");
  mugai::core::QuarantineEntry entry;
  entry.kind = "message";
  quarantine.store("original bytes", entry);
  const std::string id = quarantine.list().at(0).id;
  CHECK_FALSE(quarantine.remove("../" + id.substr(3)));
  CHECK_FALSE(quarantine.remove(std::string(64, 'b')));
  CHECK(quarantine.remove(id));
  CHECK_FALSE(quarantine.find(id));
  CHECK_FALSE(quarantine.original(id));
  CHECK(quarantine.list().empty());
  CHECK_FALSE(quarantine.remove(id));
}
