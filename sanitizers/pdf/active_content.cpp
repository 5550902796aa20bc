#include "pdf/active_content.h"

#include <array>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include <qpdf/QPDFObjectHandle.hh>

namespace mugai::sanitizers::pdf {
namespace {

struct Code {
  std::string_view name;   // PDF name without the slash
  std::string_view code;   // finding code
  std::string_view label;  // for people
};

// Action types (/S) that run code, start programs, send data or open other files.
constexpr std::array kActiveActions{
    Code{"JavaScript", "pdf.javascript", "JavaScript"},
    Code{"Launch", "pdf.launch", "launch actions"},
    Code{"SubmitForm", "pdf.submit-form", "form submissions"},
    Code{"ImportData", "pdf.import-data", "data imports"},
    Code{"GoToR", "pdf.remote-goto", "links to other files (GoToR)"},
    Code{"GoToE", "pdf.embedded-goto", "links into embedded files (GoToE)"},
    Code{"RichMediaExecute", "pdf.rich-media", "rich media (Flash, video)"},
    Code{"Rendition", "pdf.multimedia", "multimedia"},
    Code{"Movie", "pdf.multimedia", "multimedia"},
    Code{"Sound", "pdf.multimedia", "multimedia"},
};
constexpr Code kUriAction{"URI", "pdf.uri", "web links (URI actions)"};

// Annotation subtypes that carry files, players or 3D scripts.
constexpr std::array kActiveAnnotations{
    Code{"FileAttachment", "pdf.embedded-file", "embedded files"},
    Code{"RichMedia", "pdf.rich-media", "rich media (Flash, video)"},
    Code{"Screen", "pdf.multimedia", "multimedia"},
    Code{"Movie", "pdf.multimedia", "multimedia"},
    Code{"Sound", "pdf.multimedia", "multimedia"},
    Code{"3D", "pdf.3d", "3D artwork (can carry JavaScript)"},
};

// Keys removed wherever they occur, with the finding they count as.
constexpr std::array kActiveKeys{
    Code{"/JS", "pdf.javascript", "JavaScript"},
    Code{"/OpenAction", "pdf.open-action", "open actions"},
    Code{"/AA", "pdf.additional-actions", "automatic actions (/AA)"},
    Code{"/JavaScript", "pdf.javascript", "JavaScript"},
    Code{"/EmbeddedFiles", "pdf.embedded-file", "embedded files"},
    Code{"/EF", "pdf.embedded-file", "embedded files"},
    Code{"/RF", "pdf.embedded-file", "embedded files"},
    Code{"/AF", "pdf.embedded-file", "embedded files"},
    Code{"/Collection", "pdf.portfolio", "portfolio (collection)"},
    Code{"/XFA", "pdf.xfa", "XFA forms"},
    Code{"/RichMediaContent", "pdf.rich-media", "rich media (Flash, video)"},
    Code{"/RichMediaSettings", "pdf.rich-media", "rich media (Flash, video)"},
};

// Keys that only make sense with something removed above; dropped without a finding.
constexpr std::array<std::string_view, 1> kCompanionKeys{"/NeedsRendering"};

constexpr int kMaxDirectDepth = 64;  // qpdf's parser itself stops nesting at 500

template <typename Table>
std::optional<Code> name_in(QPDFObjectHandle value, const Table& table) {
  if (!value.isName()) return std::nullopt;
  const std::string name = value.getName();
  for (const Code& entry : table)
    if (name.size() == entry.name.size() + 1 && std::string_view(name).substr(1) == entry.name) return entry;
  return std::nullopt;
}

class Stripper {
 public:
  Stripper(const StripPolicy& policy, StripTally& tally) : policy_(policy), tally_(tally) {}

  // What an action or annotation dictionary is, if it is active; nullopt otherwise.
  std::optional<Code> classify(QPDFObjectHandle dict) const {
    if (!dict.isDictionary()) return std::nullopt;
    if (auto action = name_in(dict.getKey("/S"), kActiveActions)) return action;
    if (!policy_.keep_links && dict.getKey("/S").isNameAndEquals("/URI")) return kUriAction;
    if (dict.hasKey("/Rect") || dict.getKey("/Type").isNameAndEquals("/Annot"))
      if (auto annotation = name_in(dict.getKey("/Subtype"), kActiveAnnotations)) return annotation;
    return std::nullopt;
  }

  // Pass 1: every indirect object that is an active action or annotation, before any is emptied
  // (references to it are dropped in pass 2 whatever order the objects come in).
  void mark(QPDFObjectHandle object) {
    QPDFObjectHandle dict = object.isStream() ? object.getDict() : object;
    if (classify(dict)) active_.insert(object.getObjGen());
  }

  bool is_active(QPDFObjectHandle value) const {
    if (value.isIndirect()) return active_.count(value.getObjGen()) != 0;
    return classify(value).has_value();
  }

  // Pass 2.
  void visit(QPDFObjectHandle object, int depth) {
    if (depth > kMaxDirectDepth) {
      tally_.too_deep = true;
      return;
    }
    if (object.isArray()) {
      visit_array(object, depth);
      return;
    }
    if (!object.isDictionary()) return;
    if (const auto active = classify(object)) {
      ++tally_.removed[std::string(active->code)];
      for (const std::string& key : object.getKeys()) object.removeKey(key);
      return;
    }
    for (const Code& entry : kActiveKeys) {
      const std::string key(entry.name);
      if (!object.hasKey(key)) continue;
      object.removeKey(key);
      ++tally_.removed[std::string(entry.code)];
    }
    for (std::string_view companion : kCompanionKeys) object.removeKey(std::string(companion));
    for (const char* pointer : {"/A", "/Next"}) {
      if (!object.hasKey(pointer)) continue;
      QPDFObjectHandle target = object.getKey(pointer);
      if (!is_active(target)) continue;
      // An indirect action is counted when it is emptied; a direct one only lives here.
      if (!target.isIndirect()) ++tally_.removed[std::string(classify(target)->code)];
      object.removeKey(pointer);
    }
    for (const std::string& key : object.getKeys()) {
      QPDFObjectHandle value = object.getKey(key);
      if (!value.isIndirect()) visit(value, depth + 1);
    }
  }

 private:
  void visit_array(QPDFObjectHandle array, int depth) {
    // Arrays of annotations (/Annots) and of actions (/Next) lose their active members.
    for (int i = array.getArrayNItems() - 1; i >= 0; --i) {
      QPDFObjectHandle item = array.getArrayItem(i);
      if (is_active(item)) {
        if (!item.isIndirect()) ++tally_.removed[std::string(classify(item)->code)];
        array.eraseItem(i);
        continue;
      }
      if (!item.isIndirect()) visit(item, depth + 1);
    }
  }

  const StripPolicy& policy_;
  StripTally& tally_;
  std::set<QPDFObjGen> active_;
};

}  // namespace

StripTally remove_active_content(QPDF& pdf, const StripPolicy& policy) {
  StripTally tally;
  Stripper stripper(policy, tally);
  std::vector<QPDFObjectHandle> objects = pdf.getAllObjects();
  std::size_t seen = 0;
  const auto expired = [&] { return ++seen % 512 == 0 && std::chrono::steady_clock::now() > policy.deadline; };
  for (QPDFObjectHandle& object : objects) {
    if (expired()) return tally.expired = true, tally;
    stripper.mark(object);
  }
  stripper.visit(pdf.getTrailer(), 0);
  for (QPDFObjectHandle& object : objects) {
    if (expired()) return tally.expired = true, tally;
    stripper.visit(object.isStream() ? object.getDict() : object, 0);
  }
  return tally;
}

std::string label_of(const std::string& code) {
  for (const auto& table : {std::vector<Code>(kActiveActions.begin(), kActiveActions.end()),
                            std::vector<Code>(kActiveAnnotations.begin(), kActiveAnnotations.end()),
                            std::vector<Code>(kActiveKeys.begin(), kActiveKeys.end()), std::vector<Code>{kUriAction}})
    for (const Code& entry : table)
      if (entry.code == code) return std::string(entry.label);
  return code;
}

std::vector<Finding> findings_of(const StripTally& tally) {
  std::vector<Finding> out;
  for (const auto& [code, count] : tally.removed)
    out.push_back({code, std::to_string(count) + " x " + label_of(code) + " removed"});
  return out;
}

}  // namespace mugai::sanitizers::pdf
