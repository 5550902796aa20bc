// Throughput of the Office modules' strip-active on one core, in process (no LibreOffice: the
// converter actions are dominated by LibreOffice start-up, measured separately in README).
// Workloads, synthesised here so the figures are reproducible:
//   docx-text   a Word package whose document.xml holds N paragraphs of Japanese + ASCII text
//               with a DDE field and a hyperlink, so the XML is parsed, edited and rewritten
//   docm-media  a macro-enabled package with a VBA part and 16 MiB of incompressible media:
//               the zip read/inflate/deflate/write path
//   doc-vba     a compound file with an 8 MiB WordDocument stream and a Macros storage,
//               ole2 detection + strip-active (libgsf read and rewrite)
//   --libreoffice: instead, pages/s of the LibreOffice step of flatten (docx with 1 and 50 pages to PDF
//               through sanitizers/libreoffice, fresh private profile each time, as in production)
// usage: mugai_bench_office [seconds per workload, default 3] [--libreoffice]
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-memory.h>
#include <gsf/gsf-utils.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>

#include "libreoffice/soffice_runner.h"
#include "ole2/ole2_sanitizer.h"
#include "ooxml/ooxml_sanitizer.h"
#include "ooxml/zip_io.h"

namespace {

using Clock = std::chrono::steady_clock;
const std::string kHead = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const std::string kR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

std::string rels(const std::string& body) {
  return kHead + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
         body + "</Relationships>";
}

std::string package(const std::string& main_type, const std::string& document,
                    const std::string& document_rels,
                    const std::vector<mugai::sanitizers::ooxml::ZipMember>& extra,
                    const std::string& type_extra) {
  std::vector<mugai::sanitizers::ooxml::ZipMember> members{
      {"[Content_Types].xml",
       kHead +
           "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
           "<Default Extension=\"rels\" "
           "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
           "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
           "<Default Extension=\"png\" ContentType=\"image/png\"/>"
           "<Override PartName=\"/word/document.xml\" ContentType=\"" +
           main_type + "\"/>" + type_extra + "</Types>"},
      {"_rels/.rels",
       rels("<Relationship Id=\"rId1\" Type=\"" + kR + "/officeDocument\" Target=\"word/document.xml\"/>")},
      {"word/document.xml", document},
      {"word/_rels/document.xml.rels", rels(document_rels)}};
  members.insert(members.end(), extra.begin(), extra.end());
  return mugai::sanitizers::ooxml::write_zip(members).value();
}

std::string docx_text(int paragraphs) {
  std::string body;
  for (int i = 0; i < paragraphs; ++i)
    body += "<w:p><w:r><w:t>令和6年度 予算説明資料 第" + std::to_string(i) +
            "項 Quarterly figures ABC-123</w:t></w:r></w:p>";
  body +=
      "<w:p><w:fldSimple w:instr=\" DDEAUTO cmd x \"><w:r><w:t>r</w:t></w:r></w:fldSimple></w:p>"
      "<w:p><w:hyperlink r:id=\"rIdL\"><w:r><w:t>link</w:t></w:r></w:hyperlink></w:p>";
  const std::string document =
      kHead +
      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
      "xmlns:r=\"" +
      kR + "\"><w:body>" + body + "</w:body></w:document>";
  return package("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", document,
                 "<Relationship Id=\"rIdL\" Type=\"" + kR +
                     "/hyperlink\" Target=\"http://x.example/\" TargetMode=\"External\"/>",
                 {}, "");
}

std::string docm_media(std::size_t media_bytes) {
  std::mt19937_64 random(7);
  std::string media(media_bytes, '\0');
  for (char& c : media) c = static_cast<char>(random());
  const std::string document =
      kHead +
      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
      "<w:body><w:p><w:r><w:t>photo</w:t></w:r></w:p></w:body></w:document>";
  return package("application/vnd.ms-word.document.macroEnabled.main+xml", document,
                 "<Relationship Id=\"rIdI\" Type=\"" + kR +
                     "/image\" Target=\"media/image1.png\"/>"
                     "<Relationship Id=\"rIdV\" "
                     "Type=\"http://schemas.microsoft.com/office/2006/relationships/vbaProject\" "
                     "Target=\"vbaProject.bin\"/>",
                 {{"word/media/image1.png", media}, {"word/vbaProject.bin", std::string(4096, 'v')}},
                 "<Default Extension=\"bin\" ContentType=\"application/vnd.ms-office.vbaProject\"/>");
}

std::string doc_vba(std::size_t stream_bytes) {
  gsf_init();
  GsfOutput* sink = gsf_output_memory_new();
  GsfOutfile* root = gsf_outfile_msole_new(sink);
  const auto write = [](GsfOutfile* parent, const char* name, const std::string& bytes) {
    GsfOutput* stream = gsf_outfile_new_child(parent, name, FALSE);
    gsf_output_write(stream, bytes.size(), reinterpret_cast<const guint8*>(bytes.data()));
    gsf_output_close(stream);
    g_object_unref(stream);
  };
  write(root, "WordDocument", std::string(stream_bytes, 'w'));
  write(root, "1Table", std::string(4096, 't'));
  GsfOutfile* macros = GSF_OUTFILE(gsf_outfile_new_child(root, "Macros", TRUE));
  GsfOutfile* vba = GSF_OUTFILE(gsf_outfile_new_child(macros, "VBA", TRUE));
  write(vba, "dir", std::string(512, 'd'));
  write(vba, "Module1", std::string(2048, 'm'));
  gsf_output_close(GSF_OUTPUT(vba));
  gsf_output_close(GSF_OUTPUT(macros));
  gsf_output_close(GSF_OUTPUT(root));
  std::string out(reinterpret_cast<const char*>(gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(sink))),
                  static_cast<std::size_t>(gsf_output_size(sink)));
  g_object_unref(vba);
  g_object_unref(macros);
  g_object_unref(root);
  g_object_unref(sink);
  return out;
}

// Uncompressed size of a zip package (the bytes the XML parser and the deflater actually see).
double expanded_mb(const std::string& input, mugai::TypeClass cls) {
  if (cls != mugai::TypeClass::ooxml) return static_cast<double>(input.size()) / 1e6;
  const mugai::Limits limits;
  const mugai::Context context{limits, Clock::now() + std::chrono::seconds(60)};
  mugai::sanitizers::ooxml::ZipBounds bounds;
  bounds.max_total_bytes = bounds.max_member_bytes = 1ULL << 32;
  double total = 0;
  for (const auto& member : mugai::sanitizers::ooxml::read_zip(input, bounds, context).members)
    total += static_cast<double>(member.bytes.size());
  return total / 1e6;
}

void measure(const char* name, const mugai::Sanitizer& module, const std::string& input, mugai::TypeClass cls,
             const char* mime, double seconds) {
  const mugai::Limits limits;
  mugai::Part part;
  part.bytes = input;
  part.filename = "bench.docm";
  part.detected.cls = cls;
  part.detected.mime = mime;
  int runs = 0;
  std::size_t out_bytes = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    mugai::Context context{limits, Clock::now() + std::chrono::seconds(60)};
    const mugai::Outcome out = module.run(part, "strip-active", {}, context);
    if (out.action != mugai::Action::sanitized) {
      std::fprintf(stderr, "%s: unexpected verdict: %s\n", name, out.reason.c_str());
      std::exit(1);
    }
    out_bytes = out.bytes.size();
    ++runs;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  const double mb = static_cast<double>(input.size()) * runs / 1e6;
  const double expanded = expanded_mb(input, cls);
  std::printf(
      "%-11s input %7.2f MB (expanded %7.2f MB)  output %7.2f MB  %5d runs  %8.1f MB/s input  "
      "%8.1f MB/s expanded  %7.1f ms/file\n",
      name, static_cast<double>(input.size()) / 1e6, expanded, static_cast<double>(out_bytes) / 1e6, runs,
      mb / elapsed, expanded * runs / elapsed, 1000 * elapsed / runs);
}

// PDF page objects ("/Type/Page" or "/Type /Page", not "/Pages").
int count_pages(const std::string& pdf) {
  int pages = 0;
  for (const std::string_view marker : {"/Type/Page", "/Type /Page"})
    for (std::size_t at = pdf.find(marker); at != std::string::npos; at = pdf.find(marker, at + 1))
      if (at + marker.size() >= pdf.size() || pdf[at + marker.size()] != 's') ++pages;
  return pages;
}

int measure_libreoffice(int page_count) {
  std::string body;
  for (int page = 0; page < page_count; ++page) {
    if (page > 0) body += "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>";
    for (int line = 0; line < 20; ++line)
      body += "<w:p><w:r><w:t>令和6年度 予算説明資料 page " + std::to_string(page) +
              " Quarterly figures</w:t></w:r></w:p>";
  }
  const std::string docx = package(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
      kHead +
          "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>" +
          body + "</w:body></w:document>",
      "", {}, "");
  for (int run = 0; run < 3; ++run) {
    mugai::sanitizers::libreoffice::Conversion conversion;
    conversion.input = docx;
    conversion.input_extension = "docx";
    conversion.target = "pdf";
    conversion.output_extension = "pdf";
    conversion.deadline = Clock::now() + std::chrono::seconds(300);
    conversion.max_output_bytes = 200 << 20;
    const auto start = Clock::now();
    const auto result = mugai::sanitizers::libreoffice::convert(conversion);
    const double took = std::chrono::duration<double>(Clock::now() - start).count();
    if (result.status != mugai::sanitizers::libreoffice::ConversionStatus::ok) {
      std::fprintf(stderr, "LibreOffice failed: %s\n", result.detail.c_str());
      return 1;
    }
    const int pages = count_pages(result.bytes);
    std::printf("libreoffice docx->pdf  %d pages  %.2f s  %.1f pages/s\n", pages, took, pages / took);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[argc - 1]) == "--libreoffice")
    return measure_libreoffice(1) + measure_libreoffice(50);
  const double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  const mugai::sanitizers::ooxml::OoxmlSanitizer ooxml;
  const mugai::sanitizers::ole2::Ole2Sanitizer ole2;
  measure("docx-text", ooxml, docx_text(20'000), mugai::TypeClass::ooxml, "", seconds);
  measure("docm-media", ooxml, docm_media(16 << 20), mugai::TypeClass::ooxml, "", seconds);
  measure("doc-vba", ole2, doc_vba(8 << 20), mugai::TypeClass::ole2, "application/msword", seconds);
  return 0;
}
