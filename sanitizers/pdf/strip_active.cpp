#include "pdf/strip_active.h"

#include <chrono>
#include <exception>
#include <memory>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFLogger.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include "pdf/active_content.h"

namespace mugai::sanitizers::pdf {
namespace {

struct DeadlinePassed {};

PdfResult verdict(Action action, std::string reason, std::vector<Finding> findings) {
  PdfResult out;
  out.action = action;
  out.reason = std::move(reason);
  out.findings = std::move(findings);
  return out;
}

PdfResult deadline_passed() {
  return verdict(Action::removed, "PDF removed: the time limit for this message ran out while sanitising it",
                 {{"limit.max-seconds", "deadline passed while sanitising the PDF"}});
}

// A QPDF that never writes to stdout/stderr: warnings are counted, not printed.
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

PdfResult encrypted(const PdfOptions& options, bool openable) {
  const Finding finding{"pdf.encrypted", openable ? "encrypted PDF (opens without a password)"
                                                  : "encrypted PDF (needs a password to open)"};
  switch (options.encrypted) {
    case EncryptedPolicy::hold:
      return verdict(Action::held, "encrypted PDF held in quarantine: its content cannot be inspected here", {finding});
    case EncryptedPolicy::sanitize:
      return verdict(Action::removed, "encrypted PDF removed: it needs a password to open, so it cannot be sanitised",
                     {finding});
    case EncryptedPolicy::remove:
      break;
  }
  return verdict(Action::removed, "encrypted PDF removed: the profile does not allow encrypted PDFs", {finding});
}

std::string describe(const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& finding : findings) {
    if (finding.code == "pdf.repaired" || finding.code == "pdf.encrypted") continue;
    out += (out.empty() ? "" : ", ") + finding.detail;
  }
  return out;
}

// The trailer keeps only what a reader needs. QPDFWriter copies every other key it finds and
// writes /Size only when the input had one; a trailer without /Size makes readers (qpdf among
// them) rebuild the cross-reference table by scanning the file, and a scan finds "N 0 obj" text
// that a hostile input hid in stream data, which is copied undecoded (found by fuzz_pdf: a
// Launch action came back to life that way). /Encrypt is left to the writer, which drops it.
void keep_needed_trailer_keys(QPDF& pdf) {
  QPDFObjectHandle trailer = pdf.getTrailer();
  for (const std::string& key : trailer.getKeys())
    if (key != "/Root" && key != "/Info" && key != "/ID" && key != "/Encrypt") trailer.removeKey(key);
  trailer.replaceKey("/Size", QPDFObjectHandle::newInteger(0));  // the writer puts the real count
}

std::string write_clean(QPDF& pdf, const Context& context) {
  keep_needed_trailer_keys(pdf);
  QPDFWriter writer(pdf);
  writer.setOutputMemory();
  writer.setObjectStreamMode(qpdf_o_disable);
  writer.setPreserveEncryption(false);
  writer.setLinearization(false);
  // Stream data is copied as it is: never inflated here (no decompression bomb in the writer),
  // never deflated either (so a second pass gives the same bytes: mugai's output is `kept`).
  writer.setDecodeLevel(qpdf_dl_none);
  writer.setCompressStreams(false);
  writer.setDeterministicID(true);
  const auto deadline = context.deadline;
  writer.registerProgressReporter(std::make_shared<QPDFWriter::FunctionProgressReporter>([deadline](int) {
    if (std::chrono::steady_clock::now() > deadline) throw DeadlinePassed{};
  }));
  writer.write();
  auto buffer = writer.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

PdfResult strip(std::string_view bytes, const PdfOptions& options, const Context& context) {
  std::unique_ptr<QPDF> pdf = quiet_qpdf();
  try {
    pdf->processMemoryFile("attachment.pdf", bytes.data(), bytes.size(), "");
  } catch (const QPDFExc& error) {
    if (error.getErrorCode() == qpdf_e_password) return encrypted(options, false);
    return verdict(Action::removed, "PDF removed: it is damaged beyond repair and cannot be read",
                   {{"pdf.malformed", error.what()}});
  }
  std::vector<Finding> findings;
  if (pdf->isEncrypted()) {
    if (options.encrypted != EncryptedPolicy::sanitize) return encrypted(options, true);
    findings.push_back({"pdf.encrypted", "encryption removed (opens without a password)"});
  }
  if (context.expired()) return deadline_passed();
  const std::size_t objects = pdf->getObjectCount();
  if (objects > options.max_objects)
    return verdict(Action::removed, "PDF removed: it has more objects than the limit (" +
                                        std::to_string(options.max_objects) + ")",
                   {{"limit.pdf-objects", std::to_string(objects) + " objects"}});
  const std::size_t pages = QPDFPageDocumentHelper(*pdf).getAllPages().size();
  if (pages == 0)
    return verdict(Action::removed, "PDF removed: it has no pages", {{"pdf.malformed", "empty page tree"}});

  const StripTally tally = remove_active_content(*pdf, {options.keep_links, context.deadline});
  if (tally.expired) return deadline_passed();
  if (tally.too_deep)
    return verdict(Action::removed, "PDF removed: objects nested deeper than any real document",
                   {{"pdf.malformed", "direct objects nested too deeply"}});
  // A page tree whose kids were active objects (an action posing as a page) has nothing left to
  // show once those are emptied; the rewritten file would be refused as page-less when read again.
  pdf->updateAllPagesCache();
  if (QPDFPageDocumentHelper(*pdf).getAllPages().empty())
    return verdict(Action::removed, "PDF removed: no pages are left once its active content is removed",
                   {{"pdf.malformed", "page tree holds only active objects"}});
  for (Finding& finding : findings_of(tally)) findings.push_back(std::move(finding));
  if (pdf->numWarnings() > 0)
    findings.push_back({"pdf.repaired", std::to_string(pdf->numWarnings()) + " structural problems repaired by qpdf"});

  PdfResult out;
  out.bytes = write_clean(*pdf, context);
  if (out.bytes.size() > context.limits.max_decoded_bytes)
    return verdict(Action::removed, "PDF removed: the rewritten document is larger than max_decoded_bytes",
                   {{"limit.max-decoded-bytes", std::to_string(out.bytes.size()) + " bytes"}});
  out.action = Action::sanitized;
  out.pages = pages;
  const std::string removed = describe(findings);
  out.reason = removed.empty() ? "PDF rewritten as one clean revision; no active content found"
                               : "PDF sanitised: " + removed + "; rewritten as one clean revision";
  out.findings = std::move(findings);
  return out;
}

}  // namespace

PdfResult strip_active(std::string_view bytes, const PdfOptions& options, const Context& context) {
  try {
    return strip(bytes, options, context);
  } catch (const DeadlinePassed&) {
    return deadline_passed();
  } catch (const QPDFExc& error) {
    return verdict(Action::removed, "PDF removed: it is damaged beyond repair and cannot be read",
                   {{"pdf.malformed", error.what()}});
  } catch (const std::bad_alloc&) {
    return verdict(Action::removed, "PDF removed: out of memory while sanitising", {{"module.error", "out of memory"}});
  } catch (const std::exception& error) {
    // qpdf reports damage it meets while writing (bad stream lengths, loops) as plain exceptions.
    return verdict(Action::removed, "PDF removed: it is damaged beyond repair and cannot be read",
                   {{"pdf.malformed", error.what()}});
  }
}

}  // namespace mugai::sanitizers::pdf
