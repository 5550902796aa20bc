// The ole2 module on compound files built here with libgsf: detection, strip-active, refusals.
// LibreOffice-based actions and the independent readers (olefile, ClamAV) are in
// test_ole2_outputs.py.
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-memory.h>
#include <gsf/gsf-utils.h>

#include <catch2/catch.hpp>
#include <map>

#include "mugai/registry.h"
#include "ole2/compound_file.h"
#include "ole2/ole2_sanitizer.h"
#include "sanitizer_test_support.h"

using namespace mugai::test;
using mugai::Action;

namespace {

// A compound file from {path: bytes}; a path ending in '/' is an empty storage.
std::string compound(const std::map<std::string, std::string>& entries) {
  gsf_init();
  GsfOutput* sink = gsf_output_memory_new();
  GsfOutfile* root = gsf_outfile_msole_new(sink);
  std::map<std::string, GsfOutfile*> storages{{"", root}};
  const auto storage_for = [&](const std::string& path) {
    std::string parent;
    std::size_t start = 0;
    for (std::size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', start)) {
      const std::string name = path.substr(start, slash - start);
      const std::string here = parent.empty() ? name : parent + "/" + name;
      if (!storages.contains(here))
        storages[here] = GSF_OUTFILE(gsf_outfile_new_child(storages[parent], name.c_str(), TRUE));
      parent = here;
      start = slash + 1;
    }
    return std::make_pair(storages[parent], path.substr(start));
  };
  for (const auto& [path, bytes] : entries) {
    auto [parent, name] = storage_for(path);
    if (name.empty()) continue;
    GsfOutput* stream = gsf_outfile_new_child(parent, name.c_str(), FALSE);
    gsf_output_write(stream, bytes.size(), reinterpret_cast<const guint8*>(bytes.data()));
    gsf_output_close(stream);
    g_object_unref(stream);
  }
  // Children close before their parents: longest paths first.
  for (auto it = storages.rbegin(); it != storages.rend(); ++it) {
    gsf_output_close(GSF_OUTPUT(it->second));
    if (it->second != root) g_object_unref(it->second);
  }
  std::string out(reinterpret_cast<const char*>(gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(sink))),
                  static_cast<std::size_t>(gsf_output_size(sink)));
  g_object_unref(root);
  g_object_unref(sink);
  return out;
}

mugai::Outcome run_ole2(std::string_view bytes, std::string action = "strip-active") {
  TestContext test;
  mugai::Part part = make_part(bytes, "", "application/msword", mugai::TypeClass::ole2);
  part.detected.mime = "application/msword";
  part.filename = "old.doc";
  return mugai::sanitizers::ole2::Ole2Sanitizer().run(part, action, {}, test.context);
}

std::vector<std::string> paths_of(std::string_view bytes) {
  TestContext test;
  mugai::sanitizers::ole2::TreeBounds bounds;
  bounds.max_total_bytes = 1 << 30;
  std::vector<std::string> out;
  for (const auto& entry : mugai::sanitizers::ole2::read_tree(bytes, bounds, test.context).entries)
    out.push_back(entry.path);
  return out;
}

const std::string kWordStream = "word document stream bytes";

std::map<std::string, std::string> word_with_macros() {
  return {{"WordDocument", kWordStream},
          {"1Table", "table"},
          {"\x01Ole", std::string(20, '\0')},
          {"Macros/PROJECT", "ID=\"{0}\""},
          {"Macros/VBA/dir", "compressed dir"},
          {"Macros/VBA/_VBA_PROJECT", "\xCC\x61\xFF\xFF"},
          {"Macros/VBA/Module1", "Sub AutoOpen()"},
          {"ObjectPool/_1234/\x01Ole10Native", "payload"}};
}

bool has(const std::vector<std::string>& paths, std::string_view prefix) {
  for (const std::string& path : paths)
    if (path.starts_with(prefix)) return true;
  return false;
}

}  // namespace

TEST_CASE("ole2 claims Office compound files, not installers or mail items", "[ole2]") {
  mugai::sanitizers::ole2::Ole2Sanitizer module;
  mugai::FileType type;
  type.cls = mugai::TypeClass::ole2;
  type.mime = "application/msword";
  CHECK(module.handles(type));
  type.mime = "application/x-msi";
  CHECK_FALSE(module.handles(type));
  type.mime = "application/vnd.ms-outlook";
  CHECK_FALSE(module.handles(type));
  CHECK(module.supports("strip-active"));
  CHECK(module.supports("convert"));
  CHECK(module.supports("flatten"));
  CHECK_FALSE(module.supports("keep"));
}

TEST_CASE("strip-active removes the VBA storage and embedded objects, keeps the document", "[ole2]") {
  const std::string input = compound(word_with_macros());
  const mugai::Outcome out = run_ole2(input);
  REQUIRE(out.action == Action::sanitized);
  CHECK(has_finding(out, "ole2.vba"));
  CHECK(has_finding(out, "ole2.embedded-object"));
  CHECK(finding(out, "ole2.vba")->detail.find("Macros") != std::string::npos);
  CHECK(out.content_type == "application/msword");
  const auto paths = paths_of(out.bytes);
  CHECK_FALSE(has(paths, "Macros"));
  CHECK_FALSE(has(paths, "ObjectPool"));
  CHECK(has(paths, "WordDocument"));
  CHECK(has(paths, "1Table"));
  CHECK(has(paths, "\x01Ole"));  // the root's own OLE stream is not an object
  // A second pass finds nothing.
  const mugai::Outcome again = run_ole2(out.bytes);
  REQUIRE(again.action == Action::sanitized);
  CHECK(again.findings.empty());
}

TEST_CASE("Excel's _VBA_PROJECT_CUR is found and removed", "[ole2]") {
  const std::string input =
      compound({{"Workbook", "biff"}, {"_VBA_PROJECT_CUR/VBA/dir", "d"}, {"_VBA_PROJECT_CUR/PROJECT", "p"}});
  const mugai::Outcome out = run_ole2(input);
  REQUIRE(out.action == Action::sanitized);
  CHECK(out.content_type == "application/vnd.ms-excel");
  CHECK_FALSE(has(paths_of(out.bytes), "_VBA_PROJECT_CUR"));
}

TEST_CASE("PowerPoint cannot be stripped: its VBA lives in the main stream", "[ole2]") {
  const mugai::Outcome out = run_ole2(compound({{"PowerPoint Document", "ppt"}, {"Current User", "u"}}));
  CHECK(out.action == Action::removed);
  CHECK(has_finding(out, "ole2.strip-unsupported"));
}

TEST_CASE("non-Office, encrypted and corrupt compound files are removed", "[ole2][hostile]") {
  CHECK(has_finding(run_ole2(compound({{"\x04JSRV_SegmentInformation", "x"}, {"DocumentText", "t"}})),
                    "ole2.not-office"));
  CHECK(has_finding(run_ole2(compound({{"EncryptionInfo", "i"}, {"EncryptedPackage", "p"}})),
                    "ole2.encrypted"));
  CHECK(has_finding(run_ole2("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 truncated"), "ole2.corrupt"));
  CHECK(run_ole2("").action == Action::removed);
}

TEST_CASE("storages nested beyond the depth bound are refused", "[ole2][hostile]") {
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "s" + std::to_string(i) + "/";
  const mugai::Outcome out = run_ole2(compound({{"WordDocument", "w"}, {deep + "leaf", "x"}}));
  CHECK(out.action == Action::removed);
  CHECK(has_finding(out, "limit.ole2-depth"));
}

TEST_CASE("a passed deadline removes the part", "[ole2][hostile]") {
  TestContext test(std::chrono::milliseconds(-1));
  const std::string input = compound(word_with_macros());
  const mugai::Outcome out = mugai::sanitizers::ole2::Ole2Sanitizer().run(
      make_part(input, "", "", mugai::TypeClass::ole2), "strip-active", {}, test.context);
  CHECK(out.action == Action::removed);
  CHECK(has_finding(out, "limit.max-seconds"));
}

TEST_CASE("random corruption of a compound file always gets a verdict", "[ole2][hostile]") {
  const std::string good = compound(word_with_macros());
  std::uint64_t seed = 0x01e2;
  for (int round = 0; round < 300; ++round) {
    std::string bytes = good;
    const std::string noise = random_bytes(seed, 1 + round % 8);
    const std::size_t at = static_cast<std::size_t>(seed % bytes.size());
    bytes.replace(at, std::min(noise.size(), bytes.size() - at), noise);
    const mugai::Outcome out = run_ole2(bytes);
    REQUIRE((out.action == Action::removed || out.action == Action::sanitized));
    if (out.action == Action::removed) REQUIRE_FALSE(out.findings.empty());
    if (out.action == Action::sanitized) REQUIRE_FALSE(has(paths_of(out.bytes), "Macros"));
  }
}

TEST_CASE("flatten without a pdf module is removed before LibreOffice runs", "[ole2][flatten]") {
  if (mugai::sanitizers::find_module("pdf") != nullptr) return;  // covered by the pdf module's own tests then
  const mugai::Outcome out = run_ole2(compound(word_with_macros()), "flatten");
  CHECK(out.action == Action::removed);
  CHECK(has_finding(out, "module.missing"));
  CHECK(has_finding(out, "ole2.vba"));
}

TEST_CASE("control characters in stream names are shown escaped in findings", "[ole2]") {
  const mugai::Outcome out = run_ole2(compound({{"WordDocument", "w"}, {"\x01Ole10Native", "payload"}}));
  REQUIRE(out.action == Action::sanitized);
  REQUIRE(has_finding(out, "ole2.embedded-object"));
  CHECK(finding(out, "ole2.embedded-object")->detail.find("\\x01Ole10Native") != std::string::npos);
}

namespace {

std::string biff_record(std::uint16_t type, std::string data) {
  std::string out;
  out.push_back(static_cast<char>(type & 0xFF));
  out.push_back(static_cast<char>(type >> 8));
  out.push_back(static_cast<char>(data.size() & 0xFF));
  out.push_back(static_cast<char>(data.size() >> 8));
  return out + data;
}

// BoundSheet8: lbPlyPos (4), hsState (1), dt (1), name (ShortXLUnicodeString).
std::string bound_sheet(std::uint8_t state, std::uint8_t kind, std::string_view name) {
  std::string data(4, '\0');
  data.push_back(static_cast<char>(state));
  data.push_back(static_cast<char>(kind));
  data.push_back(static_cast<char>(name.size()));
  data.push_back('\0');
  return biff_record(0x0085, data + std::string(name));
}

}  // namespace

TEST_CASE("Excel 4.0 macro sheets are found in the Workbook stream, strip-active refuses them", "[ole2]") {
  const std::string bof = biff_record(0x0809, std::string(16, '\0'));
  const std::string eof = biff_record(0x000A, "");
  const std::string with_xlm = bof + bound_sheet(0, 0, "Sheet1") + bound_sheet(2, 1, "Macro1") + eof;
  const mugai::Outcome out = run_ole2(compound({{"Workbook", with_xlm}}));
  CHECK(out.action == Action::removed);
  REQUIRE(has_finding(out, "ole2.xlm-macros"));
  CHECK(finding(out, "ole2.xlm-macros")->detail == "1 Excel 4.0 macro sheet(s), 1 very hidden");

  const std::string plain =
      bof + bound_sheet(0, 0, "Sheet1") + eof + bound_sheet(0, 1, "after EOF: not globals");
  const mugai::Outcome clean = run_ole2(compound({{"Workbook", plain}}));
  CHECK(clean.action == Action::sanitized);
  CHECK_FALSE(has_finding(clean, "ole2.xlm-macros"));
  // Truncated records end the scan without a verdict change.
  CHECK(run_ole2(compound({{"Workbook", bof + std::string("\x85\x00\xFF\x00", 4)}})).action ==
        Action::sanitized);
}

TEST_CASE("DDE fields in a WordDocument stream are found, 8-bit or UTF-16, strip-active refuses them",
          "[ole2]") {
  const std::string eight_bit = std::string("text \x13 DDEAUTO c:\\\\windows\\\\cmd.exe \x14result\x15", 36);
  std::string utf16;
  for (char c : std::string("\x13 ddeauto cmd \x14r\x15")) {
    utf16.push_back(c);
    utf16.push_back('\0');
  }
  for (const std::string& stream : {eight_bit, utf16}) {
    const mugai::Outcome out = run_ole2(compound({{"WordDocument", stream}}));
    CHECK(out.action == Action::removed);
    CHECK(has_finding(out, "ole2.dde"));
  }
  const mugai::Outcome page =
      run_ole2(compound({{"WordDocument", std::string("\x13 PAGE \x14 1\x15 DDE text")}}));
  CHECK(page.action == Action::sanitized);
  CHECK_FALSE(has_finding(page, "ole2.dde"));
}
