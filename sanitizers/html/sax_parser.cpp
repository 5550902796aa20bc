#include "html/sax_parser.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include <climits>
#include <cstring>

namespace mugai::sanitizers::html {
namespace {

constexpr unsigned kCheckStride = 256;  // events between deadline / budget checks

struct SaxState {
  HtmlEvents& events;
  const Context& context;
  std::size_t max_depth;
  std::size_t depth = 0;
  unsigned ticks = 0;
  ParseStop stop = ParseStop::none;
  Attributes attributes;  // reused between elements
};

std::string_view view(const xmlChar* text) {
  return text ? std::string_view(reinterpret_cast<const char*>(text)) : std::string_view();
}

SaxState& state_of(void* user, xmlParserCtxtPtr& ctxt) {
  ctxt = static_cast<xmlParserCtxtPtr>(user);
  return *static_cast<SaxState*>(ctxt->_private);
}

void halt(SaxState& state, xmlParserCtxtPtr ctxt, ParseStop why) {
  state.stop = why;
  xmlStopParser(ctxt);
}

// False when parsing must stop; checks the clock only every kCheckStride events.
bool may_continue(SaxState& state, xmlParserCtxtPtr ctxt) {
  if (state.stop != ParseStop::none) return false;
  if (++state.ticks % kCheckStride != 0) return true;
  if (state.context.expired()) {
    halt(state, ctxt, ParseStop::deadline);
    return false;
  }
  if (state.events.over_budget()) {
    halt(state, ctxt, ParseStop::budget);
    return false;
  }
  return true;
}

void on_start(void* user, const xmlChar* name, const xmlChar** attributes) {
  xmlParserCtxtPtr ctxt = nullptr;
  SaxState& state = state_of(user, ctxt);
  if (!may_continue(state, ctxt)) return;
  if (++state.depth > state.max_depth) {
    halt(state, ctxt, ParseStop::depth);
    return;
  }
  state.attributes.clear();
  for (std::size_t i = 0; attributes && attributes[i]; i += 2)
    state.attributes.emplace_back(view(attributes[i]), view(attributes[i + 1]));
  state.events.start_element(view(name), state.attributes);
}

void on_end(void* user, const xmlChar* name) {
  xmlParserCtxtPtr ctxt = nullptr;
  SaxState& state = state_of(user, ctxt);
  if (!may_continue(state, ctxt)) return;
  if (state.depth > 0) --state.depth;
  state.events.end_element(view(name));
}

void on_text(void* user, const xmlChar* text, int length) {
  xmlParserCtxtPtr ctxt = nullptr;
  SaxState& state = state_of(user, ctxt);
  if (!may_continue(state, ctxt) || length <= 0) return;
  state.events.text(std::string_view(reinterpret_cast<const char*>(text), static_cast<std::size_t>(length)));
}

// Script and style bodies: never text.
void on_raw_block(void*, const xmlChar*, int) {}

// Malformed markup raises an error per construct (an unmatched end tag, a stray '&') and no other
// callback, so errors are where a stream of them meets the deadline. Nothing is printed.
void on_error(void* user, xmlErrorPtr) {
  xmlParserCtxtPtr ctxt = nullptr;
  SaxState& state = state_of(user, ctxt);
  may_continue(state, ctxt);
}

}  // namespace

ParseStop parse_html(std::string_view utf8, HtmlEvents& events, const Context& context, std::size_t max_depth) {
  if (utf8.empty()) return ParseStop::none;
  if (utf8.size() > static_cast<std::size_t>(INT_MAX)) return ParseStop::failed;
  xmlInitParser();
  htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
  if (ctxt == nullptr || ctxt->sax == nullptr) {
    if (ctxt) htmlFreeParserCtxt(ctxt);
    return ParseStop::failed;
  }
  std::memset(ctxt->sax, 0, sizeof(htmlSAXHandler));
  ctxt->sax->startElement = on_start;
  ctxt->sax->endElement = on_end;
  ctxt->sax->characters = on_text;
  ctxt->sax->ignorableWhitespace = on_text;  // whitespace between inline elements separates words
  ctxt->sax->cdataBlock = on_raw_block;
  ctxt->sax->initialized = XML_SAX2_MAGIC;  // lets libxml2 hand errors to serror (HTML parsing ignores it otherwise)
  ctxt->sax->serror = on_error;
  SaxState state{events, context, max_depth, 0, 0, ParseStop::none, {}};
  ctxt->_private = &state;
  const int options = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER |
                      HTML_PARSE_IGNORE_ENC;
  htmlDocPtr doc = htmlCtxtReadMemory(ctxt, utf8.data(), static_cast<int>(utf8.size()), nullptr, "UTF-8", options);
  if (doc) xmlFreeDoc(doc);  // not expected without tree callbacks; never leak one
  htmlFreeParserCtxt(ctxt);
  return state.stop;
}

}  // namespace mugai::sanitizers::html
