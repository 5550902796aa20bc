// Loading plug-ins: a good one becomes a module profiles can name and behaves through the
// Sanitizer interface; a wrong ABI version or a missing entry point is refused with a reason
// that says what to do, in the loader and as a configuration error.
#include <catch2/catch.hpp>

#include <chrono>

#include "mugai/core/config_loader.h"
#include "mugai/registry.h"
#include "plugin_loader.h"

using namespace mugai;

TEST_CASE("the CSV plug-in loads, registers as csv-formula and defuses formulas") {
  const auto report = sanitizers::plugin::load_plugin_directory(CSV_PLUGIN_DIR);
  CHECK(report.errors.empty());
  const Sanitizer* module = sanitizers::find_module("csv-formula");
  REQUIRE(module != nullptr);
  CHECK(module->supports("strip-active"));
  CHECK_FALSE(module->supports("keep"));
  FileType csv{"text/csv", "CSV text", TypeClass::text};
  CHECK(module->handles(csv));
  CHECK_FALSE(module->handles(FileType{"application/pdf", "PDF", TypeClass::pdf}));

  const std::string input = "name,total\n=1+2,3\n";
  Part part;
  part.bytes = input;
  part.detected = csv;
  Limits limits;
  Context context(limits, std::chrono::steady_clock::now() + std::chrono::seconds(10));
  const Outcome outcome = module->run(part, "strip-active", {}, context);
  CHECK(outcome.action == Action::sanitized);
  CHECK(outcome.bytes == "name,total\n'=1+2,3\n");
  CHECK(outcome.content_type == "text/csv");
  REQUIRE(outcome.findings.size() == 1);
  CHECK(outcome.findings[0].code == "csv-formula.defused");

  part.bytes = "a,\"never closed\n";
  const Outcome broken = module->run(part, "strip-active", {}, context);
  CHECK(broken.action == Action::removed);
  CHECK(broken.reason.find("unterminated") != std::string::npos);

  SECTION("loading the same directory again is a no-op") {
    const auto again = sanitizers::plugin::load_plugin_directory(CSV_PLUGIN_DIR);
    CHECK(again.errors.empty());
    CHECK(again.loaded.empty());
  }
}

TEST_CASE("a plug-in with another ABI version is refused with a clear message") {
  const auto report = sanitizers::plugin::load_plugin_directory(WRONG_ABI_DIR);
  REQUIRE(report.errors.size() == 1);
  CHECK(report.errors[0].find("ABI version 2") != std::string::npos);
  CHECK(report.errors[0].find("supports version 1") != std::string::npos);
  CHECK(sanitizers::find_module("future") == nullptr);
}

TEST_CASE("a shared object without the entry point is refused") {
  const auto report = sanitizers::plugin::load_plugin_directory(NO_ENTRY_DIR);
  REQUIRE(report.errors.size() == 1);
  CHECK(report.errors[0].find("mugai_plugin_v1") != std::string::npos);
}

TEST_CASE("plugin_dir in the configuration: a good plug-in can be named by rules, a bad one is a config error") {
  const std::string base(core::embedded_config_text());
  const std::string rule = "      - { match: text, name: \"*.csv\", module: csv-formula, action: strip-active }\n";
  std::string good = "plugin_dir: " + std::string(CSV_PLUGIN_DIR) + "\n" + base;
  good.replace(good.find("    rules:\n") + 11, 0, rule);
  const core::LoadResult loaded = core::load_config_text(good);
  INFO((loaded.errors.empty() ? "" : loaded.errors[0].message));
  CHECK(loaded.config.has_value());

  const core::LoadResult bad = core::load_config_text("plugin_dir: " + std::string(WRONG_ABI_DIR) + "\n" + base);
  REQUIRE_FALSE(bad.config.has_value());
  CHECK(bad.errors[0].message.find("ABI version 2") != std::string::npos);
  CHECK(bad.errors[0].line == 1);
}
