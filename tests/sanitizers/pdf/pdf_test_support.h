// Samples (samples/pdf/generate.py, built before the tests) and a qpdf-based look at outputs.
// qpdf is the library the module uses, so these checks only keep the unit tests honest about
// structure; the independent reader (pikepdf) is in test_pdf_outputs.py.
#pragma once

#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <string_view>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include "pdf/pdf_sanitizer.h"
#include "sanitizer_test_support.h"

namespace mugai::test {

inline std::string pdf_sample(std::string_view name) {
  std::ifstream in(std::string(MUGAI_PDF_SAMPLES) + "/" + std::string(name), std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline Outcome run_pdf(std::string_view bytes, std::string_view action = "strip-active",
                       const ModuleOptions& options = {}) {
  TestContext context;
  Part part;
  part.bytes = bytes;
  part.filename = "sample.pdf";
  part.detected.mime = "application/pdf";
  part.detected.cls = TypeClass::pdf;
  return sanitizers::pdf::PdfSanitizer().run(part, action, options, context.context);
}

inline void collect_names(QPDFObjectHandle object, std::set<std::string>& names, int depth = 0) {
  if (depth > 64) return;
  if (object.isArray()) {
    for (QPDFObjectHandle item : object.getArrayAsVector())
      if (!item.isIndirect()) collect_names(item, names, depth + 1);
    return;
  }
  if (!object.isDictionary()) return;
  for (const std::string& key : object.getKeys()) {
    QPDFObjectHandle value = object.getKey(key);
    names.insert(key);
    if ((key == "/S" || key == "/Subtype" || key == "/Type") && value.isName()) names.insert(key + value.getName());
    if (!value.isIndirect()) collect_names(value, names, depth + 1);
  }
}

// Every key and /S, /Subtype, /Type name in every object of `pdf`, direct dictionaries inside
// them included (qpdf, object streams included).
inline std::set<std::string> pdf_names(std::string_view pdf) {
  QPDF doc;
  doc.setSuppressWarnings(true);
  doc.processMemoryFile("output.pdf", pdf.data(), pdf.size());
  std::set<std::string> names;
  collect_names(doc.getTrailer(), names);
  for (QPDFObjectHandle object : doc.getAllObjects()) collect_names(object.isStream() ? object.getDict() : object, names);
  return names;
}

inline std::size_t pdf_pages(std::string_view pdf) {
  QPDF doc;
  doc.setSuppressWarnings(true);
  doc.processMemoryFile("output.pdf", pdf.data(), pdf.size());
  return QPDFPageDocumentHelper(doc).getAllPages().size();
}

inline std::size_t count_of(std::string_view haystack, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t at = haystack.find(needle); at != std::string_view::npos; at = haystack.find(needle, at + 1))
    ++count;
  return count;
}

}  // namespace mugai::test
