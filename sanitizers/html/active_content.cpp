#include "html/active_content.h"

#include <array>
#include <charconv>

#include "html/url_policy.h"

namespace mugai::sanitizers::html {
namespace {

// Attributes whose value a browser dereferences or navigates to.
constexpr std::array<std::string_view, 16> kUrlAttributes{
    "href",   "src",  "action", "formaction", "background", "lowsrc",    "dynsrc",   "data",
    "poster", "cite", "codebase", "longdesc", "xlink:href", "ping",      "manifest", "srcset"};

bool is_url_attribute(std::string_view name) {
  for (std::string_view candidate : kUrlAttributes)
    if (candidate == name) return true;
  return false;
}

bool equals_ci(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i)
    if (equals_ci(haystack.substr(i, needle.size()), needle)) return true;
  return false;
}

std::string_view attribute(const Attributes& attributes, std::string_view name) {
  for (const auto& [key, value] : attributes)
    if (key == name) return value;
  return {};
}

bool is_tiny(std::string_view dimension) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(dimension.data(), dimension.data() + dimension.size(), value);
  return error == std::errc() && end != dimension.data() && value <= 2;
}

std::string plural(std::size_t count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

std::string list(const std::set<std::string>& names) {
  std::string out;
  std::size_t shown = 0;
  for (const std::string& name : names) {
    if (shown == 5) {
      out += ", ...";
      break;
    }
    if (shown++ > 0) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace

void ActiveContentTally::inspect_url(std::string_view element, std::string_view name, std::string_view value) {
  const UrlVerdict verdict = classify_url(value);
  switch (verdict.kind) {
    case UrlKind::script:
      ++script_urls_;
      break;
    case UrlKind::data:
      // Inline images as data: are common and inert here; navigating to data: is phishing.
      if (name == "href" || name == "action" || name == "formaction") ++data_urls_;
      break;
    case UrlKind::other_scheme:
      if (name == "href" && element == "a") {
        ++other_schemes_;
        if (verdict.scheme.size() <= 32 && other_scheme_names_.size() < 16) other_scheme_names_.insert(verdict.scheme);
      }
      break;
    default:
      break;
  }
}

void ActiveContentTally::inspect(std::string_view element, const Attributes& attributes) {
  if (element == "script") ++scripts_;
  if (element == "iframe" || element == "frame") ++frames_;
  if (element == "object" || element == "embed" || element == "applet") ++objects_;
  if (element == "form") ++forms_;
  if (element == "meta" && equals_ci(attribute(attributes, "http-equiv"), "refresh")) ++meta_refresh_;
  if ((element == "img" || element == "image" || element == "input") && is_remote(attribute(attributes, "src"))) {
    ++remote_images_;
    if (is_tiny(attribute(attributes, "width")) || is_tiny(attribute(attributes, "height"))) ++tracking_pixels_;
  }
  for (const auto& [name, value] : attributes) {
    if (name.size() > 2 && name.starts_with("on")) {
      ++event_handlers_;
      if (name.size() <= 32 && handler_names_.size() < 16) handler_names_.insert(std::string(name));
    } else if (is_url_attribute(name)) {
      inspect_url(element, name, value);
      if (name == "background" && is_remote(value)) ++remote_images_;
    } else if (name == "style" && contains_ci(value, "url(") &&
               (contains_ci(value, "http:") || contains_ci(value, "https:") || contains_ci(value, "url(//"))) {
      ++remote_images_;
    }
  }
}

std::vector<Finding> ActiveContentTally::findings() const {
  std::vector<Finding> out;
  if (scripts_) out.push_back({"html.script", plural(scripts_, "script element", "script elements") + " removed"});
  if (event_handlers_)
    out.push_back({"html.event-handler", plural(event_handlers_, "event handler attribute", "event handler attributes") +
                                             " (" + list(handler_names_) + ") removed"});
  if (frames_) out.push_back({"html.iframe", plural(frames_, "iframe/frame element", "iframe/frame elements") + " removed"});
  if (objects_)
    out.push_back({"html.object", plural(objects_, "object/embed/applet element", "object/embed/applet elements") + " removed"});
  if (forms_) out.push_back({"html.form", plural(forms_, "form", "forms") + " removed (their text is kept)"});
  if (script_urls_)
    out.push_back({"html.javascript-url", plural(script_urls_, "javascript:/vbscript: URL", "javascript:/vbscript: URLs") +
                                              " removed"});
  if (data_urls_) out.push_back({"html.data-url", plural(data_urls_, "data: link", "data: links") + " removed"});
  if (other_schemes_)
    out.push_back({"html.url-scheme", plural(other_schemes_, "link", "links") + " with scheme " + list(other_scheme_names_) +
                                          " removed"});
  if (remote_images_) {
    std::string detail = plural(remote_images_, "remote image", "remote images") + " not loaded";
    if (tracking_pixels_ == 1) detail += " (1 looks like a tracking pixel)";
    if (tracking_pixels_ > 1) detail += " (" + std::to_string(tracking_pixels_) + " look like tracking pixels)";
    out.push_back({"html.external-image", detail});
  }
  if (meta_refresh_)
    out.push_back({"html.meta-refresh", plural(meta_refresh_, "meta refresh redirect", "meta refresh redirects") + " removed"});
  return out;
}

}  // namespace mugai::sanitizers::html
