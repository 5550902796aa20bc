// The LibreOffice runner's isolation, checked with stand-in "soffice" scripts (the real
// LibreOffice is exercised by test_ooxml_outputs.py / test_ole2_outputs.py): the deadline kills
// the whole process group, the private directory is deleted, the environment is minimal, the
// arguments reach the program unchanged (no shell), failures are named.
#include "libreoffice/soffice_runner.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "ooxml_test_support.h"

namespace fs = std::filesystem;
using mugai::sanitizers::libreoffice::ConversionStatus;

namespace {

struct FakeSoffice {
  fs::path dir;
  fs::path program;
  explicit FakeSoffice(const std::string& body) {
    std::string pattern = (fs::temp_directory_path() / "mugai-fake-soffice-XXXXXX").string();
    dir = ::mkdtemp(pattern.data());
    program = dir / "soffice with space";
    std::ofstream(program) << "#!/bin/sh\n" << body;
    fs::permissions(program, fs::perms::owner_all);
  }
  ~FakeSoffice() { fs::remove_all(dir); }
  std::string read(const std::string& name) const {
    std::ifstream in(dir / name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

mugai::sanitizers::libreoffice::Conversion request(const FakeSoffice& fake,
                                                   std::chrono::milliseconds budget) {
  mugai::sanitizers::libreoffice::Conversion conversion;
  conversion.input = "input bytes";
  conversion.input_extension = "docx";
  conversion.target = "pdf:writer_pdf_Export; rm -rf /";  // a shell would run this
  conversion.output_extension = "pdf";
  conversion.deadline = std::chrono::steady_clock::now() + budget;
  conversion.max_output_bytes = 1 << 20;
  conversion.soffice = fake.program.string();
  return conversion;
}

bool alive(pid_t pid) { return ::kill(pid, 0) == 0; }

}  // namespace

TEST_CASE("a conversion that outlives the deadline is killed with its whole process group", "[libreoffice]") {
  FakeSoffice fake("sleep 300 &\necho $! > \"" + std::string("$(dirname \"$0\")") +
                   "/child.pid\"\nsleep 300\n");
  const auto result = mugai::sanitizers::libreoffice::convert(request(fake, std::chrono::milliseconds(1500)));
  CHECK(result.status == ConversionStatus::timed_out);
  const std::string pid_text = fake.read("child.pid");
  REQUIRE_FALSE(pid_text.empty());
  const pid_t child = static_cast<pid_t>(std::stol(pid_text));
  // SIGKILL was sent to the group; give the kernel a moment to reap the orphan.
  for (int i = 0; i < 100 && alive(child); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK_FALSE(alive(child));
}

TEST_CASE("the converter gets its arguments verbatim, a private home and nothing else", "[libreoffice]") {
  const std::string here = "$(dirname \"$0\")";
  FakeSoffice fake(
      "for a in \"$@\"; do echo \"$a\"; done > \"" + here + "/args\"\nenv > \"" + here +
      "/env\"\noutdir=\"\"\nprev=\"\"\nfor a in \"$@\"; do [ \"$prev\" = --outdir ] && outdir=\"$a\"; "
      "prev=\"$a\"; done\necho \"$outdir\" > \"" +
      here + "/outdir\"\nprintf '%%PDF-1.7 fake' > \"$outdir/input.pdf\"\n");
  const auto result = mugai::sanitizers::libreoffice::convert(request(fake, std::chrono::seconds(30)));
  REQUIRE(result.status == ConversionStatus::ok);
  CHECK(result.bytes == "%PDF-1.7 fake");
  const std::string args = fake.read("args");
  CHECK(args.find("pdf:writer_pdf_Export; rm -rf /\n") != std::string::npos);
  CHECK(args.find("--headless\n") != std::string::npos);
  CHECK(args.find("-env:UserInstallation=file:///") != std::string::npos);
  const std::string env = fake.read("env");
  CHECK(env.find("HOME=") != std::string::npos);
  CHECK(env.find("TMPDIR=") != std::string::npos);
  CHECK(env.find("MUGAI_SOURCE") == std::string::npos);
  std::string outdir = fake.read("outdir");
  outdir.erase(outdir.find_last_not_of('\n') + 1);
  REQUIRE_FALSE(outdir.empty());
  CHECK_FALSE(fs::exists(fs::path(outdir).parent_path()));  // the private directory is gone
}

TEST_CASE("failures are named: missing program, non-zero exit, no output, output too large",
          "[libreoffice]") {
  FakeSoffice fails("exit 3\n");
  CHECK(mugai::sanitizers::libreoffice::convert(request(fails, std::chrono::seconds(30))).status ==
        ConversionStatus::failed);
  FakeSoffice silent("exit 0\n");
  CHECK(mugai::sanitizers::libreoffice::convert(request(silent, std::chrono::seconds(30))).status ==
        ConversionStatus::failed);
  FakeSoffice big(
      "outdir=\"\"; prev=\"\"; for a in \"$@\"; do [ \"$prev\" = --outdir ] && outdir=\"$a\"; prev=\"$a\"; "
      "done\nhead -c 2000000 /dev/zero > \"$outdir/input.pdf\"\n");
  CHECK(mugai::sanitizers::libreoffice::convert(request(big, std::chrono::seconds(30))).status ==
        ConversionStatus::too_large);
  auto missing = request(fails, std::chrono::seconds(30));
  missing.soffice = "/nonexistent/soffice";
  CHECK(mugai::sanitizers::libreoffice::convert(missing).status == ConversionStatus::unavailable);
}

TEST_CASE("the real LibreOffice turns a sanitised package into a PDF through the runner", "[libreoffice]") {
  if (::access("/usr/bin/soffice", X_OK) != 0)
    return;  // install-deps.sh installs it; nothing to test without
  const std::string docx =
      mugai::test::PackageBuilder::word("<w:p><w:r><w:t>runner text</w:t></w:r></w:p>").zip();
  mugai::sanitizers::libreoffice::Conversion conversion;
  conversion.input = docx;
  conversion.input_extension = "docx";
  conversion.target = "pdf";
  conversion.output_extension = "pdf";
  conversion.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(110);
  conversion.max_output_bytes = 50 << 20;
  const auto result = mugai::sanitizers::libreoffice::convert(conversion);
  REQUIRE(result.status == ConversionStatus::ok);
  CHECK(result.bytes.starts_with("%PDF-"));
}
