// The interface every sanitiser module implements, and the vocabulary the pipeline, reports and
// front ends share (Action, Finding, FileType, Limits). Modules are pure transformations: bytes in,
// an Outcome out, no network, no globals, no exceptions across the boundary.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mugai {

// What happened to one part. Reports use these exact spellings (to_string).
enum class Action { kept, converted, sanitized, removed, rejected, held };
std::string_view to_string(Action action);
std::optional<Action> action_from_string(std::string_view text);

// A typed observation about a part: `code` is stable and machine-readable ("type-mismatch",
// "executable", "double-extension", "bidi-in-filename", "limit.max-depth", ...); `detail` is for
// people.
struct Finding {
  std::string code;
  std::string detail;
};

// The coarse class a profile rule matches on. Derived from the detected (true) type, never from
// the declared type or the file name alone.
enum class TypeClass {
  text,        // text/plain and other plain text
  html,        // text/html, application/xhtml+xml
  pdf,
  ooxml,       // docx/xlsx/pptx and macro-enabled variants
  ole2,        // legacy Office, MSI, other compound files
  image,
  archive,     // zip, 7z, rar, lzh, tar, gz, cab, ...
  disk_image,  // iso, udf, vhd, dmg, img
  message,     // message/rfc822
  executable,  // PE, ELF, Mach-O, Java class, shortcuts, installers
  script,      // shell, JS, VBS, PowerShell, batch, HTA
  svg,         // image/svg+xml: can carry script; crosses only as pixels (image module, svg: rasterize)
  calendar,    // text/calendar
  ichitaro,      // 一太郎 .jtd (JustSystems OLE2 document)
  docuworks,     // DocuWorks .xdw
  jw_cad,        // JW_CAD .jww
  cad_exchange,  // STEP P21 / SFC (SXF) CAD exchange
  other,       // identified but no specific class
  unknown,     // libmagic could not tell
};
std::string_view to_string(TypeClass cls);
std::optional<TypeClass> type_class_from_string(std::string_view text);

// The true type of some bytes (libmagic), plus the class the profile matches on.
struct FileType {
  std::string mime;         // e.g. "application/pdf"
  std::string description;  // libmagic's human text, e.g. "PDF document, version 1.7"
  TypeClass cls = TypeClass::unknown;
};

// Every bound mugai enforces on hostile input. Defaults live here and nowhere else; each field has
// a config key of the same name (config/REFERENCE.md). A breach is a named verdict, never a crash.
struct Limits {
  std::uint64_t max_message_bytes = 26'214'400;   // whole message as received (SMTP SIZE too)
  std::uint64_t max_header_bytes = 262'144;       // all header bytes of one part
  std::uint64_t max_header_line_bytes = 65'536;   // one unfolded header field
  std::uint32_t max_header_fields = 1'000;        // fields in one part's header
  std::uint32_t max_parts = 500;                  // MIME parts in one message, all levels
  std::uint32_t max_depth = 12;                   // multipart / message nesting
  std::uint64_t max_decoded_bytes = 209'715'200;  // sum of decoded part bodies, all levels
  std::uint32_t max_expand_ratio = 100;           // decoded / encoded, archives and compression
  std::uint32_t max_seconds = 60;                 // wall clock for one message or file
  std::uint32_t max_filename_chars = 120;         // longer decoded names are shortened
  // Archives (expanded while streaming: a breach stops reading at once, nothing partial crosses).
  std::uint64_t max_expand_bytes = 209'715'200;   // all archive members expanded, all levels
  std::uint64_t max_member_bytes = 52'428'800;    // one expanded archive member
  std::uint32_t max_archive_entries = 1'000;      // archive members, all archives, all levels
  std::uint32_t max_archive_depth = 5;            // archives inside archives (42.zip has 6 levels)
  std::uint32_t max_member_path_bytes = 1'024;    // one member path as stored in the archive
};

// What the caller tells a module, on top of the bytes.
struct Part {
  std::string_view bytes;        // decoded content (transfer encoding already removed)
  std::string declared_type;     // lower-case "type/subtype" from Content-Type, or ""
  std::string declared_charset;  // charset parameter as sent, or ""
  std::string filename;          // decoded UTF-8 file name, or ""
  FileType detected;             // libmagic's verdict on `bytes`
};

// Options from the profile rule that selected the module (`options:` map in YAML).
using ModuleOptions = std::map<std::string, std::string, std::less<>>;

// Content a module found inside its input that must itself go through the pipeline: a uuencoded
// block in a text body, an archive member. The pipeline identifies, decides and acts on it like
// any attachment, with the shared budget.
struct Extracted {
  std::string filename;       // decoded UTF-8, may be hostile (the pipeline cleans it); archive
                              // members: the relative path "dir/name.ext", already without "..",
                              // leading "/" or drive letters
  std::string declared_type;  // "" when unknown
  std::string bytes;
};

// What the pipeline did with one member handed to Context::recurse.
struct MemberVerdict {
  Action action = Action::removed;
  std::string bytes;         // the sanitised member when action is kept/converted/sanitized
  std::string filename;      // cleaned relative path to store it under ("dir/name.docx")
  std::string content_type;
  std::string reason;
  bool rejects_message = false;  // a rule said reject-message for this member
  // A limit was crossed inside the member (nesting depth, expansion, entries, time): code and
  // reason of the first breach. The enclosing archive is then removed as a whole, never
  // delivered with the rest ("ignore the rest" on breach would be evasion).
  std::optional<Finding> breach;
};

// A malware scanner's answer for one leaf (clamd, README "Malware scan").
struct ScanVerdict {
  enum class Status { clean, infected, unavailable };
  Status status = Status::unavailable;
  std::string signature;  // when infected, e.g. "Eicar-Signature"
  std::string detail;     // when unavailable: why (for logs and the tempfail reason)
};

// Budgets shared by every layer of one message; modules that recurse or expand consult it.
// The pipeline creates one per message (or file) and fills in the hooks; modules only call them.
struct Context {
  Context(const Limits& message_limits, std::chrono::steady_clock::time_point message_deadline)
      : limits(message_limits), deadline(message_deadline) {}

  const Limits& limits;
  std::chrono::steady_clock::time_point deadline;
  bool expired() const { return std::chrono::steady_clock::now() > deadline; }

  // Runs one member through the whole pipeline (identify, profile rules, modules, recursively)
  // and records it in the report as a child of the part being processed. The one place that
  // checks depth, part count, loops and time for nested content. Empty outside the pipeline:
  // a module then removes what it would have recursed into (fail closed).
  std::function<MemberVerdict(const Extracted&)> recurse;
  // Records a member the module removed itself (a link, a device, a limit breach) as a child of
  // the part being processed, so reports and the notice list it. Empty outside the pipeline.
  std::function<void(const Extracted&, Action, std::string reason, std::vector<Finding>)> record;

  std::uint32_t archive_depth = 0;    // archives enclosing the part being processed
  std::uint64_t expanded_bytes = 0;   // archive members expanded so far, all levels
  std::uint32_t archive_entries = 0;  // archive members seen so far, all levels
  std::vector<std::string> passwords;  // PPAP release: tried on encrypted archives, never logged
  std::vector<std::string> enclosing_sha256;  // archives being expanded (loop/quine detection)

  // Set by the pipeline when the profile asks for a malware scan; called on every leaf.
  std::function<ScanVerdict(std::string_view)> scan;
  // Set when a check could not be made (scanner unreachable): the message is temp-failed (SMTP
  // 451), never delivered unchecked.
  std::string tempfail_reason;
};

struct Outcome {
  Action action = Action::removed;
  std::string bytes;         // the new content when action is kept/converted/sanitized
  std::string content_type;  // lower-case "type/subtype" of `bytes`, e.g. "text/plain"
  std::string charset;       // for text results: always "utf-8" (the rebuild step re-encodes)
  std::string filename;      // new file name (e.g. .docm -> .docx), or "" to keep the old one
  std::string reason;        // one short sentence for the report and the notice
  std::vector<Finding> findings;
  std::vector<Extracted> extracted;
  // held: the part stays in quarantine (e.g. an encrypted archive, policy `encrypted: hold`);
  // rejected + rejects_message: the whole message is refused (policy `reject-message`).
  bool rejects_message = false;
};

// Actions a profile rule can name (config key `action`). Which ones a module implements is its
// own business (supports()); an action no module supports for a type means the part is removed.
//   keep, to-text, strip-active, flatten, re-encode, extract-and-recurse: handled by modules
//   remove, reject-message, hold: handled by the pipeline itself
class Sanitizer {
 public:
  virtual ~Sanitizer() = default;
  virtual std::string_view name() const = 0;
  virtual bool handles(const FileType& type) const = 0;
  virtual bool supports(std::string_view action) const = 0;
  // Must not throw: library errors become an Outcome with action removed/rejected and a reason.
  virtual Outcome run(const Part& in, std::string_view action, const ModuleOptions& options,
                      Context& context) const = 0;
};

}  // namespace mugai
