// Throughput of the pdf and image modules on one core, in process. Workloads, synthesised here
// (qpdf, libvips) so the figures can be reproduced anywhere:
//   pdf-text     N pages of text, each with a JavaScript link and a URI link, plus an OpenAction:
//                strip-active walks and edits every object and rewrites the document
//   pdf-images   8 pages each carrying a 2 MiB incompressible image stream: the copy path
//   pdf-flatten  the pdf-text document (first 20 pages), flatten at 150 dpi: pages/s
//   img-jpeg     a 3000 x 2000 noise JPEG re-encoded to PNG
//   img-jpeg>jpg the same JPEG re-encoded to JPEG (format: jpeg)
//   img-png      a 3000 x 2000 PNG re-encoded to PNG
// usage: mugai_bench_pdf_image [seconds per workload, default 3]
#include <vips/vips.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include "image/image_sanitizer.h"
#include "pdf/pdf_sanitizer.h"

namespace {

using Clock = std::chrono::steady_clock;

QPDFObjectHandle action(QPDF& pdf, const std::string& text) { return pdf.makeIndirectObject(QPDFObjectHandle::parse(text)); }

std::string write(QPDF& pdf) {
  QPDFWriter writer(pdf);
  writer.setOutputMemory();
  writer.write();
  auto buffer = writer.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

std::string pdf_text(int pages) {
  QPDF pdf;
  pdf.emptyPDF();
  QPDFPageDocumentHelper helper(pdf);
  const QPDFObjectHandle font = pdf.makeIndirectObject(
      QPDFObjectHandle::parse("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"));
  for (int p = 0; p < pages; ++p) {
    std::string body = "BT /F1 10 Tf 50 800 Td ";
    for (int line = 0; line < 60; ++line) body += "(Line " + std::to_string(line) + " of page " + std::to_string(p) + " mugai bench ABC-123) Tj 0 -12 Td ";
    body += "ET";
    QPDFObjectHandle page = QPDFObjectHandle::parse("<< /Type /Page /MediaBox [0 0 595 842] >>");
    QPDFObjectHandle resources = QPDFObjectHandle::newDictionary();
    QPDFObjectHandle fonts = QPDFObjectHandle::newDictionary();
    fonts.replaceKey("/F1", font);
    resources.replaceKey("/Font", fonts);
    page.replaceKey("/Resources", resources);
    page.replaceKey("/Contents", pdf.newStream(body));
    QPDFObjectHandle js = action(pdf, "<< /S /JavaScript /JS (app.alert\\(1\\)) >>");
    QPDFObjectHandle uri = action(pdf, "<< /S /URI /URI (http://x.example/) >>");
    QPDFObjectHandle annots = QPDFObjectHandle::newArray();
    for (const QPDFObjectHandle& a : {js, uri}) {
      QPDFObjectHandle annot = QPDFObjectHandle::parse("<< /Type /Annot /Subtype /Link /Rect [50 50 200 70] >>");
      annot.replaceKey("/A", a);
      annots.appendItem(pdf.makeIndirectObject(annot));
    }
    page.replaceKey("/Annots", annots);
    helper.addPage(QPDFPageObjectHelper(pdf.makeIndirectObject(page)), false);
  }
  pdf.getRoot().replaceKey("/OpenAction", action(pdf, "<< /S /JavaScript /JS (app.alert\\(2\\)) >>"));
  return write(pdf);
}

std::string pdf_images(int pages, std::size_t image_bytes) {
  QPDF pdf;
  pdf.emptyPDF();
  QPDFPageDocumentHelper helper(pdf);
  std::mt19937_64 random(7);
  for (int p = 0; p < pages; ++p) {
    std::string data(image_bytes, '\0');
    for (char& c : data) c = static_cast<char>(random());
    QPDFObjectHandle image = pdf.newStream(data);
    image.getDict().replaceKey("/Type", QPDFObjectHandle::newName("/XObject"));
    image.getDict().replaceKey("/Subtype", QPDFObjectHandle::newName("/Image"));
    image.getDict().replaceKey("/Width", QPDFObjectHandle::newInteger(1024));
    image.getDict().replaceKey("/Height", QPDFObjectHandle::newInteger(static_cast<long long>(image_bytes / 3072)));
    image.getDict().replaceKey("/ColorSpace", QPDFObjectHandle::newName("/DeviceRGB"));
    image.getDict().replaceKey("/BitsPerComponent", QPDFObjectHandle::newInteger(8));
    QPDFObjectHandle page = QPDFObjectHandle::parse("<< /Type /Page /MediaBox [0 0 595 842] >>");
    QPDFObjectHandle xobjects = QPDFObjectHandle::newDictionary();
    xobjects.replaceKey("/Im0", image);
    QPDFObjectHandle resources = QPDFObjectHandle::newDictionary();
    resources.replaceKey("/XObject", xobjects);
    page.replaceKey("/Resources", resources);
    page.replaceKey("/Contents", pdf.newStream("q 595 0 0 842 0 0 cm /Im0 Do Q"));
    helper.addPage(QPDFPageObjectHelper(pdf.makeIndirectObject(page)), false);
  }
  return write(pdf);
}

std::string noise_image(bool jpeg) {
  VipsImage* noise = nullptr;
  VipsImage* rgb = nullptr;
  VipsImage* bytes = nullptr;
  if (vips_gaussnoise(&noise, 3000, 2000, "mean", 128.0, "sigma", 40.0, nullptr) != 0) std::exit(1);
  VipsImage* bands[3] = {noise, noise, noise};
  vips_bandjoin(bands, &rgb, 3, nullptr);
  vips_cast_uchar(rgb, &bytes, nullptr);
  void* buffer = nullptr;
  std::size_t length = 0;
  if (jpeg) vips_jpegsave_buffer(bytes, &buffer, &length, "Q", 85, nullptr);
  else vips_pngsave_buffer(bytes, &buffer, &length, nullptr);
  std::string out(static_cast<const char*>(buffer), length);
  g_free(buffer);
  g_object_unref(bytes);
  g_object_unref(rgb);
  g_object_unref(noise);
  return out;
}

void measure(const char* name, const mugai::Sanitizer& module, const char* action, mugai::ModuleOptions options,
             const std::string& input, mugai::TypeClass cls, double units_per_file, const char* unit, double seconds) {
  const mugai::Limits limits;
  mugai::Part part;
  part.bytes = input;
  part.filename = "bench.bin";
  part.detected.cls = cls;
  int runs = 0;
  std::size_t out_bytes = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    mugai::Context context{limits, Clock::now() + std::chrono::seconds(120)};
    const mugai::Outcome out = module.run(part, action, options, context);
    if (out.action != mugai::Action::sanitized && out.action != mugai::Action::converted) {
      std::fprintf(stderr, "%s: unexpected verdict: %s\n", name, out.reason.c_str());
      std::exit(1);
    }
    out_bytes = out.bytes.size();
    ++runs;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  std::printf("%-12s input %7.2f MB  output %7.2f MB  %4d runs  %8.1f MB/s input  %8.2f %s/s  %8.1f ms/file\n", name,
              static_cast<double>(input.size()) / 1e6, static_cast<double>(out_bytes) / 1e6, runs,
              static_cast<double>(input.size()) * runs / 1e6 / elapsed, units_per_file * runs / elapsed, unit,
              1000 * elapsed / runs);
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  if (VIPS_INIT(argv[0]) != 0) return 1;
  const mugai::sanitizers::pdf::PdfSanitizer pdf;
  const mugai::sanitizers::image::ImageSanitizer image;
  const std::string text = pdf_text(200);
  measure("pdf-text", pdf, "strip-active", {}, text, mugai::TypeClass::pdf, 200, "pages", seconds);
  measure("pdf-images", pdf, "strip-active", {}, pdf_images(8, 2 << 20), mugai::TypeClass::pdf, 8, "pages", seconds);
  measure("pdf-flatten", pdf, "flatten", {}, pdf_text(20), mugai::TypeClass::pdf, 20, "pages", seconds);
  measure("img-jpeg", image, "re-encode", {}, noise_image(true), mugai::TypeClass::image, 6, "MPix", seconds);
  measure("img-jpeg>jpg", image, "re-encode", {{"format", "jpeg"}}, noise_image(true), mugai::TypeClass::image, 6,
          "MPix", seconds);
  measure("img-png", image, "re-encode", {}, noise_image(false), mugai::TypeClass::image, 6, "MPix", seconds);
  return 0;
}
