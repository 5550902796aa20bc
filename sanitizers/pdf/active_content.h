// What counts as active in a PDF, and its removal from every object of a parsed document.
// Every indirect object (getAllObjects: objects that lived in object streams and in incremental
// updates included) and every direct dictionary or array inside it is visited; references to
// other indirect objects are not followed (those objects are visited on their own), so a
// reference cycle cannot loop and nothing is visited twice.
//   action dictionaries (/S) JavaScript, Launch, SubmitForm, ImportData, GoToR, GoToE,
//     RichMediaExecute, Rendition, Movie, Sound, and URI unless keep_links: emptied, and every
//     /A, /Next, /OpenAction pointing at one dropped
//   /JS, /OpenAction, /AA: removed wherever they occur
//   name trees /JavaScript and /EmbeddedFiles, file specification streams (/EF, /RF), associated
//     files (/AF), portfolios (/Collection): removed
//   XFA forms (/XFA, /NeedsRendering): removed, the AcroForm stays
//   annotations FileAttachment, RichMedia, Screen, Movie, Sound, 3D: emptied and dropped from
//     every /Annots array; /RichMediaContent and /RichMediaSettings removed elsewhere
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <qpdf/QPDF.hh>

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::pdf {

struct StripPolicy {
  bool keep_links = false;
  std::chrono::steady_clock::time_point deadline;
};

struct StripTally {
  std::map<std::string, std::uint64_t> removed;  // finding code -> occurrences
  bool expired = false;                           // the deadline passed during the walk
  bool too_deep = false;                          // direct objects nested beyond any real PDF
};

StripTally remove_active_content(QPDF& pdf, const StripPolicy& policy);

// "pdf.javascript" -> "JavaScript"; for reasons and finding details.
std::string label_of(const std::string& code);

// Findings (code + "N x label") from a tally, in a stable order.
std::vector<Finding> findings_of(const StripTally& tally);

}  // namespace mugai::sanitizers::pdf
