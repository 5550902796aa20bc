#include "pdf/flatten.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFLogger.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include "libreoffice/sandboxed_process.h"

namespace mugai::sanitizers::pdf {
namespace {

namespace fs = std::filesystem;
using libreoffice::ProcessStatus;

// Pages bigger than this at the chosen dpi are refused rather than rendered (a 200-inch page at
// 600 dpi would need gigabytes in the renderer).
constexpr double kMaxPagePixels = 100'000'000.0;

struct PageSize {
  double width = 0;   // points, as displayed (after /Rotate)
  double height = 0;
};

struct JpegInfo {
  int width = 0;
  int height = 0;
  int components = 0;
};

PdfResult refused(std::string reason, std::string code, std::string detail, std::vector<Finding> earlier = {}) {
  PdfResult out;
  out.action = Action::removed;
  out.reason = std::move(reason);
  out.findings = std::move(earlier);
  out.findings.push_back({std::move(code), std::move(detail)});
  return out;
}

std::unique_ptr<QPDF> quiet_qpdf() {
  auto pdf = std::make_unique<QPDF>();
  auto logger = QPDFLogger::create();
  logger->setInfo(logger->discard());
  logger->setWarn(logger->discard());
  logger->setError(logger->discard());
  pdf->setLogger(logger);
  pdf->setSuppressWarnings(true);
  return pdf;
}

// Page sizes of the (already clean) PDF as a viewer shows them.
std::vector<PageSize> page_sizes(std::string_view clean) {
  std::unique_ptr<QPDF> pdf = quiet_qpdf();
  pdf->processMemoryFile("clean.pdf", clean.data(), clean.size());
  std::vector<PageSize> sizes;
  for (QPDFPageObjectHelper& page : QPDFPageDocumentHelper(*pdf).getAllPages()) {
    const QPDFObjectHandle::Rectangle box = page.getMediaBox().getArrayAsRectangle();
    PageSize size{std::fabs(box.urx - box.llx), std::fabs(box.ury - box.lly)};
    QPDFObjectHandle rotate = page.getAttribute("/Rotate", false);
    if (rotate.isInteger() && (rotate.getIntValue() % 180 + 180) % 180 == 90) std::swap(size.width, size.height);
    sizes.push_back(size);
  }
  return sizes;
}

// Width, height and colour components from the JPEG frame header (SOFn), walking the marker
// segments; pdftoppm's output is the only input here.
std::optional<JpegInfo> jpeg_info(std::string_view bytes) {
  const auto at = [&](std::size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(bytes[i])); };
  if (bytes.size() < 4 || at(0) != 0xFF || at(1) != 0xD8) return std::nullopt;
  std::size_t i = 2;
  while (i + 9 < bytes.size()) {
    if (at(i) != 0xFF) return std::nullopt;
    const unsigned marker = at(i + 1);
    const std::size_t length = (at(i + 2) << 8) | at(i + 3);
    const bool frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame) return JpegInfo{static_cast<int>((at(i + 7) << 8) | at(i + 8)),
                               static_cast<int>((at(i + 5) << 8) | at(i + 6)), static_cast<int>(at(i + 9))};
    i += 2 + length;
  }
  return std::nullopt;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// page-1.jpg, page-01.jpg, ... in page order (pdftoppm pads to the width of the page count).
std::vector<fs::path> rendered_pages(const fs::path& dir) {
  std::map<long, fs::path> by_number;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    const std::string name = entry.path().filename().string();
    const std::string_view view(name);
    if (view.substr(0, 5) != "page-" || view.size() < 9 || view.substr(view.size() - 4) != ".jpg") continue;
    by_number[std::strtol(name.c_str() + 5, nullptr, 10)] = entry.path();
  }
  std::vector<fs::path> out;
  for (auto& [number, path] : by_number) out.push_back(std::move(path));
  return out;
}

std::string image_pdf(const std::vector<std::string>& jpegs, const std::vector<JpegInfo>& infos,
                      const std::vector<PageSize>& sizes) {
  QPDF pdf;
  pdf.emptyPDF();
  QPDFPageDocumentHelper pages(pdf);
  for (std::size_t i = 0; i < jpegs.size(); ++i) {
    QPDFObjectHandle image = pdf.newStream();
    image.replaceStreamData(jpegs[i], QPDFObjectHandle::newName("/DCTDecode"), QPDFObjectHandle::newNull());
    QPDFObjectHandle dict = image.getDict();
    dict.replaceKey("/Type", QPDFObjectHandle::newName("/XObject"));
    dict.replaceKey("/Subtype", QPDFObjectHandle::newName("/Image"));
    dict.replaceKey("/Width", QPDFObjectHandle::newInteger(infos[i].width));
    dict.replaceKey("/Height", QPDFObjectHandle::newInteger(infos[i].height));
    dict.replaceKey("/BitsPerComponent", QPDFObjectHandle::newInteger(8));
    dict.replaceKey("/ColorSpace", QPDFObjectHandle::newName(infos[i].components == 1 ? "/DeviceGray" : "/DeviceRGB"));
    const std::string width = QPDFObjectHandle::newReal(sizes[i].width, 3).unparse();
    const std::string height = QPDFObjectHandle::newReal(sizes[i].height, 3).unparse();
    QPDFObjectHandle xobjects = QPDFObjectHandle::newDictionary();
    xobjects.replaceKey("/Im0", image);
    QPDFObjectHandle resources = QPDFObjectHandle::newDictionary();
    resources.replaceKey("/XObject", xobjects);
    QPDFObjectHandle page = QPDFObjectHandle::newDictionary();
    page.replaceKey("/Type", QPDFObjectHandle::newName("/Page"));
    page.replaceKey("/MediaBox", QPDFObjectHandle::newArray(QPDFObjectHandle::Rectangle(0, 0, sizes[i].width,
                                                                                         sizes[i].height)));
    page.replaceKey("/Resources", resources);
    page.replaceKey("/Contents", pdf.newStream("q " + width + " 0 0 " + height + " 0 0 cm /Im0 Do Q\n"));
    pages.addPage(QPDFPageObjectHelper(pdf.makeIndirectObject(page)), false);
  }
  QPDFWriter writer(pdf);
  writer.setOutputMemory();
  writer.setObjectStreamMode(qpdf_o_disable);
  writer.setDecodeLevel(qpdf_dl_none);
  writer.setDeterministicID(true);
  writer.write();
  auto buffer = writer.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

}  // namespace

PdfResult flatten(std::string_view bytes, const PdfOptions& options, const Context& context) {
  PdfResult clean = strip_active(bytes, options, context);
  if (clean.action != Action::sanitized) return clean;
  std::vector<Finding> findings = clean.findings;
  if (clean.pages > options.max_pages)
    return refused("PDF removed: it has more pages (" + std::to_string(clean.pages) + ") than flatten renders (" +
                       std::to_string(options.max_pages) + ")",
                   "limit.pdf-pages", std::to_string(clean.pages) + " pages", findings);
  const std::vector<PageSize> sizes = page_sizes(clean.bytes);
  const double scale = options.dpi / 72.0;
  for (const PageSize& size : sizes)
    if (size.width * scale * size.height * scale > kMaxPagePixels || size.width < 1 || size.height < 1)
      return refused("PDF removed: a page is too large (or empty) to render at " + std::to_string(options.dpi) + " dpi",
                     "limit.pdf-render-size",
                     std::to_string(static_cast<long>(size.width)) + "x" + std::to_string(static_cast<long>(size.height)) +
                         " pt",
                     findings);
  if (::access(options.pdftoppm.c_str(), X_OK) != 0)
    return refused("PDF removed: flatten needs poppler's pdftoppm, which is not installed", "pdf.renderer-unavailable",
                   options.pdftoppm + " not found", findings);

  libreoffice::ScratchDir scratch("mugai-pdftoppm");
  if (scratch.path().empty() || !libreoffice::write_file(scratch.path() / "input.pdf", clean.bytes))
    return refused("PDF removed: could not prepare rendering", "pdf.render-failed", "private directory", findings);
  const fs::path out_dir = scratch.path() / "out";
  std::error_code error;
  fs::create_directories(out_dir, error);
  const libreoffice::ProcessResult run = libreoffice::run_confined(
      {{options.pdftoppm, "-jpeg", "-jpegopt", "quality=85", "-r", std::to_string(options.dpi), "-l",
        std::to_string(options.max_pages), (scratch.path() / "input.pdf").string(), (out_dir / "page").string()},
       {"HOME=" + scratch.path().string(), "PATH=/usr/bin:/bin", "LANG=C.UTF-8"},
       context.deadline});
  if (run.status == ProcessStatus::timed_out)
    return refused("PDF removed: rendering its pages did not finish within the time limit", "limit.max-seconds",
                   "pdftoppm killed at the deadline", findings);
  if (run.status != ProcessStatus::exited || run.exit_code != 0)
    return refused("PDF removed: its pages could not be rendered", "pdf.render-failed",
                   "pdftoppm exit status " + std::to_string(run.exit_code), findings);

  const std::vector<fs::path> files = rendered_pages(out_dir);
  if (files.size() != sizes.size())
    return refused("PDF removed: not every page could be rendered", "pdf.render-failed",
                   std::to_string(files.size()) + " of " + std::to_string(sizes.size()) + " pages rendered", findings);
  std::vector<std::string> jpegs;
  std::vector<JpegInfo> infos;
  std::uint64_t total = 0;
  for (const fs::path& file : files) {
    total += fs::file_size(file, error);
    if (error || total > context.limits.max_decoded_bytes)
      return refused("PDF removed: its rendered pages are larger than max_decoded_bytes", "limit.max-decoded-bytes",
                     std::to_string(total) + " bytes", findings);
    jpegs.push_back(read_file(file));
    const std::optional<JpegInfo> info = jpeg_info(jpegs.back());
    if (!info) return refused("PDF removed: a rendered page is unreadable", "pdf.render-failed", file.filename().string(), findings);
    infos.push_back(*info);
  }
  if (context.expired())
    return refused("PDF removed: the time limit ran out while flattening it", "limit.max-seconds",
                   "deadline passed after rendering", findings);

  PdfResult out;
  out.action = Action::sanitized;
  out.bytes = image_pdf(jpegs, infos, sizes);
  out.pages = sizes.size();
  out.findings = std::move(findings);
  out.findings.push_back({"pdf.flattened", std::to_string(sizes.size()) + " pages rendered at " +
                                               std::to_string(options.dpi) + " dpi"});
  out.reason = "PDF flattened to " + std::to_string(sizes.size()) + " page images at " + std::to_string(options.dpi) +
               " dpi (" + clean.reason + ")";
  return out;
}

}  // namespace mugai::sanitizers::pdf
