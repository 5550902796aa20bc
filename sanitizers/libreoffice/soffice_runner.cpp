#include "libreoffice/soffice_runner.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

#include "libreoffice/sandboxed_process.h"

namespace mugai::sanitizers::libreoffice {
namespace {

namespace fs = std::filesystem;

ConversionResult failure(ConversionStatus status, std::string detail) {
  ConversionResult result;
  result.status = status;
  result.detail = std::move(detail);
  return result;
}

}  // namespace

ConversionResult convert(const Conversion& request) {
  if (::access(request.soffice.c_str(), X_OK) != 0)
    return failure(ConversionStatus::unavailable, request.soffice + " is not installed");
  ScratchDir scratch;
  if (scratch.path().empty()) return failure(ConversionStatus::failed, "could not create a private directory");
  const fs::path input = scratch.path() / ("input." + request.input_extension);
  const fs::path outdir = scratch.path() / "out";
  const fs::path home = scratch.path() / "home";
  const fs::path tmp = scratch.path() / "tmp";
  std::error_code error;
  fs::create_directories(outdir, error);
  fs::create_directories(home, error);
  fs::create_directories(tmp, error);
  if (error || !write_file(input, request.input))
    return failure(ConversionStatus::failed, "could not write the private input file");

  std::vector<std::string> args{request.soffice,
                                "--headless",
                                "--invisible",
                                "--norestore",
                                "--nologo",
                                "--nolockcheck",
                                "--nodefault",
                                "-env:UserInstallation=file://" + (scratch.path() / "profile").string(),
                                "--convert-to",
                                request.target,
                                "--outdir",
                                outdir.string(),
                                input.string()};
  std::vector<std::string> env{"HOME=" + home.string(), "TMPDIR=" + tmp.string(), "PATH=/usr/bin:/bin",
                               "LANG=C.UTF-8", "SAL_USE_VCLPLUGIN=svp"};
  const ProcessResult run = run_confined({std::move(args), std::move(env), request.deadline});
  if (run.status == ProcessStatus::not_started) return failure(ConversionStatus::failed, "fork failed");
  if (run.status == ProcessStatus::timed_out)
    return failure(ConversionStatus::timed_out, "LibreOffice did not finish before the deadline");
  if (run.exit_code != 0)
    return failure(ConversionStatus::failed, "LibreOffice exited with status " + std::to_string(run.exit_code));

  const fs::path output = outdir / ("input." + request.output_extension);
  const std::uintmax_t size = fs::file_size(output, error);
  if (error) return failure(ConversionStatus::failed, "LibreOffice could not convert the document");
  if (size > request.max_output_bytes)
    return failure(ConversionStatus::too_large, "converted document larger than " +
                                                    std::to_string(request.max_output_bytes) + " bytes");
  std::ifstream in(output, std::ios::binary);
  ConversionResult result;
  result.bytes.resize(static_cast<std::size_t>(size));
  in.read(result.bytes.data(), static_cast<std::streamsize>(size));
  if (!in) return failure(ConversionStatus::failed, "could not read the converted document");
  result.status = ConversionStatus::ok;
  return result;
}

}  // namespace mugai::sanitizers::libreoffice
