// The YAML loader: what administrators see when a file is wrong, and what the gateway runs when
// it is right.
#include <catch2/catch.hpp>

#include <string>

#include "mugai/core/config_loader.h"

using mugai::core::LoadResult;
using mugai::core::load_config_text;

namespace {

const std::string kProfiles = R"(
profiles:
  strict:
    strictness: 100
    rules:
      - { match: text, action: keep }
      - { match: any, action: remove }
  loose:
    strictness: 1
    rules:
      - { match: [text, html], action: to-text }
select:
  - { recipient_domain: city.example.jp, profile: loose }
  - { default: strict }
)";

std::string first_error(const LoadResult& result) {
  return result.errors.empty() ? std::string() : result.errors.front().message;
}

}  // namespace

TEST_CASE("config: the embedded default is valid and has the documented profiles") {
  const LoadResult result = load_config_text(mugai::core::embedded_config_text());
  INFO(first_error(result));
  REQUIRE(result.config);
  CHECK(result.config->profiles.count("lgwan-strict") == 1);
  CHECK(result.config->profiles.count("text-only") == 1);
}

TEST_CASE("config: an unknown key is an error with line, column and a suggestion") {
  const LoadResult result = load_config_text("limits:\n  max_part: 10\n" + kProfiles);
  REQUIRE_FALSE(result.config);
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].line == 2);
  CHECK(result.errors[0].column == 3);
  CHECK(result.errors[0].message.find("max_part") != std::string::npos);
  CHECK(result.errors[0].message.find("max_parts") != std::string::npos);  // did you mean
}

TEST_CASE("config: unsafe or out-of-range limits are refused") {
  for (const char* bad : {"limits:\n  max_parts: 0\n", "limits:\n  max_depth: 1000\n",
                          "limits:\n  max_message_bytes: -5\n", "limits:\n  max_seconds: many\n"}) {
    INFO(bad);
    const LoadResult result = load_config_text(bad + kProfiles);
    CHECK_FALSE(result.config);
    CHECK(result.errors.size() == 1);
    CHECK(result.errors[0].line == 2);
  }
}

TEST_CASE("config: executables can never be let through by a rule") {
  const LoadResult result = load_config_text(R"(
profiles:
  bad:
    rules:
      - { match: executable, action: keep }
select:
  - { default: bad }
)");
  REQUIRE_FALSE(result.config);
  CHECK(first_error(result).find("executable") != std::string::npos);
  CHECK(result.errors[0].line == 5);
}

TEST_CASE("config: SVG crosses only rasterised by the image module") {
  const auto load = [](const std::string& rule) {
    return load_config_text("profiles:\n  p:\n    rules:\n      - " + rule +
                            "\n      - { match: any, action: remove }\nselect:\n  - { default: p }\n");
  };
  for (const std::string bad : {"{ match: svg, action: keep }", "{ match: svg, action: re-encode }",
                                "{ match: svg, action: re-encode, options: { svg: remove } }",
                                "{ match: [image, svg], action: re-encode }"}) {
    const LoadResult result = load(bad);
    REQUIRE_FALSE(result.config);
    CHECK(first_error(result).find("svg crosses only rasterised") != std::string::npos);
  }
  CHECK(load("{ match: svg, action: re-encode, options: { svg: rasterize } }").config);
  CHECK(load("{ match: svg, module: image, action: re-encode, options: { svg: rasterize } }").config);
  CHECK(load("{ match: svg, action: hold }").config);
}

TEST_CASE("config: unknown actions, classes, modules and profiles are named") {
  const char* cases[][2] = {
      {"      - { match: text, action: scrub }\n", "scrub"},
      {"      - { match: txt, action: keep }\n", "txt"},
      {"      - { match: text, action: keep, module: nosuch }\n", "nosuch"},
  };
  for (const auto& [rule, word] : cases) {
    INFO(rule);
    const LoadResult result =
        load_config_text(std::string("profiles:\n  p:\n    rules:\n") + rule + "select:\n  - { default: p }\n");
    REQUIRE_FALSE(result.config);
    CHECK(first_error(result).find(word) != std::string::npos);
  }
  const LoadResult missing = load_config_text("profiles:\n  p:\n    rules: []\nselect:\n  - { default: q }\n");
  REQUIRE_FALSE(missing.config);
  CHECK(first_error(missing).find("q") != std::string::npos);
}

TEST_CASE("config: YAML syntax errors carry their place") {
  const LoadResult result = load_config_text("limits:\n  max_parts: [1,\n");
  REQUIRE_FALSE(result.config);
  REQUIRE_FALSE(result.errors.empty());
  CHECK(result.errors[0].line >= 2);
}

TEST_CASE("config: the strictest recipient's profile wins, the sender alone decides without recipients") {
  const LoadResult result = load_config_text(kProfiles);
  INFO(first_error(result));
  REQUIRE(result.config);
  const auto& config = *result.config;
  using mugai::core::select_profile;
  CHECK(select_profile(config, "a@internet.example", {"staff@city.example.jp"}).name == "loose");
  CHECK(select_profile(config, "a@internet.example", {"staff@sub.city.example.jp"}).name == "loose");
  CHECK(select_profile(config, "a@internet.example", {"STAFF@CITY.EXAMPLE.JP"}).name == "loose");
  CHECK(select_profile(config, "a@internet.example", {"staff@city.example.jp", "x@other.example"}).name ==
        "strict");
  CHECK(select_profile(config, "a@internet.example", {"x@notcity.example.jp"}).name == "strict");
  CHECK(select_profile(config, "a@internet.example", {}).name == "strict");
}

TEST_CASE("config: serve keys are validated") {
  CHECK_FALSE(load_config_text("serve:\n  listen_address: not-an-ip\n" + kProfiles).config);
  CHECK_FALSE(load_config_text("serve:\n  listen_port: 70000\n" + kProfiles).config);
  CHECK_FALSE(load_config_text("serve:\n  client_networks: [10.0.0.0/33]\n" + kProfiles).config);
  const LoadResult ok = load_config_text("serve:\n  listen_reuse_port: true\n  listen_port: 2600\n" + kProfiles);
  INFO(first_error(ok));
  REQUIRE(ok.config);
  CHECK(ok.config->serve.listen_reuse_port);
  CHECK(ok.config->serve.listen_port == 2600);
}

TEST_CASE("config: YAML aliases are refused before any node is built") {
  // yaml-cpp 0.7 loops allocating for ever on an anchor holding its own alias (found by
  // fuzz/config); the configuration needs no aliases, so every alias is an error with its place.
  const LoadResult self = load_config_text("a: &x [*x]\n");
  REQUIRE_FALSE(self.config);
  CHECK(first_error(self).find("aliases") != std::string::npos);
  const LoadResult plain = load_config_text("limits: &l\n  max_parts: 10\nother: *l\n" + kProfiles);
  REQUIRE_FALSE(plain.config);
  CHECK(plain.errors[0].line == 3);
}
