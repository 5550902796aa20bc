// config/REFERENCE.md is the administrators' contract: every key the loader accepts is documented
// there with the default the code really uses, and nothing is documented that the loader refuses.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "mugai/core/config_loader.h"

namespace {

using mugai::core::accepted_config_keys;

std::string read_reference() {
  std::ifstream in(std::string(MUGAI_SOURCE_DIR) + "/config/REFERENCE.md", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string trim(std::string text) {
  const auto first = text.find_first_not_of(" \t");
  const auto last = text.find_last_not_of(" \t");
  return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

// Section ("limits", "serve", "profiles", "rule", "top") -> key -> default cell, from the tables.
std::map<std::string, std::map<std::string, std::string>> documented_keys(const std::string& reference) {
  std::map<std::string, std::map<std::string, std::string>> sections;
  std::string section = "top";
  std::istringstream lines(reference);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("## `limits`", 0) == 0) section = "limits";
    else if (line.rfind("## `serve`", 0) == 0) section = "serve";
    else if (line.rfind("## `profiles`", 0) == 0) section = "profiles";
    else if (line.rfind("## `select`", 0) == 0) section = "select";
    else if (line.rfind("## `clamd`", 0) == 0) section = "clamd";
    else if (line.rfind("## `transfer`", 0) == 0) section = "transfer";
    else if (line.rfind("A user (`transfer.users[]`)", 0) == 0) section = "transfer-user";
    else if (line.rfind("| module |", 0) == 0) section = "module-options";  // options: per module
    else if (line.rfind("## ", 0) == 0) section = "top";
    else if (line == "A rule:") section = "rule";
    if (line.rfind("| `", 0) != 0) continue;
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream row(line.substr(1));
    while (std::getline(row, cell, '|')) cells.push_back(trim(cell));
    if (cells.size() < 2) continue;
    std::string key = cells[0];
    if (key.size() < 3 || key.front() != '`' || key.back() != '`') continue;
    key = key.substr(1, key.size() - 2);
    sections[section][key] = cells[1];
  }
  return sections;
}

// "limits.max_parts" -> ("limits", "max_parts"); rules and profiles keys to their tables.
std::pair<std::string, std::string> table_of(const std::string& path) {
  const auto dot = path.rfind('.');
  if (path.rfind("profiles.NAME.rules[].", 0) == 0) return {"rule", path.substr(dot + 1)};
  if (path.rfind("profiles.NAME.", 0) == 0) return {"profiles", path.substr(dot + 1)};
  if (path.rfind("limits.", 0) == 0) return {"limits", path.substr(dot + 1)};
  if (path.rfind("serve.", 0) == 0) return {"serve", path.substr(dot + 1)};
  if (path.rfind("clamd.", 0) == 0) return {"clamd", path.substr(dot + 1)};
  if (path.rfind("transfer.users[].", 0) == 0) return {"transfer-user", path.substr(dot + 1)};
  if (path.rfind("transfer.", 0) == 0) return {"transfer", path.substr(dot + 1)};
  return {"top", path};
}

}  // namespace

TEST_CASE("REFERENCE.md documents every accepted key with the code's default") {
  const auto documented = documented_keys(read_reference());
  const std::string reference = read_reference();
  for (const auto& key : accepted_config_keys()) {
    INFO(key.path);
    if (key.path.find('.') == std::string::npos && key.path != "quarantine_dir" &&
        key.path != "notice_template_file") {
      CHECK(reference.find("`" + key.path + "`") != std::string::npos);  // a section
      continue;
    }
    if (key.path == "profiles.NAME") continue;  // the map itself: "A map of name -> profile"
    if (key.path.rfind("select[].", 0) == 0) {
      const std::string name = key.path.substr(key.path.rfind('.') + 1);
      const std::string select = reference.substr(reference.find("## `select`"));
      CHECK((select.find("`" + name + "`") != std::string::npos || select.find(name + ":") != std::string::npos));
      continue;
    }
    const auto [table, name] = table_of(key.path);
    const auto section = documented.find(table);
    REQUIRE(section != documented.end());
    const auto row = section->second.find(name);
    REQUIRE(row != section->second.end());
    if (key.default_text && table != "rule" && table != "transfer-user") {
      INFO("code default: " << *key.default_text << ", documented: " << row->second);
      // The cell may add a note after the value ("[] in code; ... in the embedded file").
      CHECK(row->second.rfind(*key.default_text, 0) == 0);
    }
  }
}

TEST_CASE("REFERENCE.md documents no key the loader refuses") {
  std::set<std::string> accepted;
  for (const auto& key : accepted_config_keys()) accepted.insert(key.path);
  for (const auto& [table, rows] : documented_keys(read_reference())) {
    for (const auto& [name, cell] : rows) {
      std::string path;
      if (table == "module-options") continue;  // module options are checked by each module
      if (table == "limits" || table == "serve" || table == "clamd" || table == "transfer")
        path = table + "." + name;
      else if (table == "transfer-user") path = "transfer.users[]." + name;
      else if (table == "profiles") path = "profiles.NAME." + name;
      else if (table == "rule") path = "profiles.NAME.rules[]." + name;
      else path = name;
      INFO(path);
      CHECK(accepted.count(path) == 1);
    }
  }
}
