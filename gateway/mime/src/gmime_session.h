// Owning handles for GMime objects and the one-time library initialisation. GMime is a C library
// of reference-counted GObjects; every object mugai creates or receives with a reference goes into
// one of these handles, so no early return (limit breach, NULL from GMime) can leak a parse tree.
#pragma once

#include <gmime/gmime.h>

#include <memory>

namespace mugai::mime::detail {

// g_mime_init() registers GMime's types and is not safe to race: called once per process.
void ensure_gmime_initialised();

struct GObjectUnref {
  void operator()(gpointer object) const {
    if (object) g_object_unref(object);
  }
};
template <typename T>
using GRef = std::unique_ptr<T, GObjectUnref>;

struct ParserOptionsFree {
  void operator()(GMimeParserOptions* options) const {
    if (options) g_mime_parser_options_free(options);
  }
};
using ParserOptionsRef = std::unique_ptr<GMimeParserOptions, ParserOptionsFree>;

struct FormatOptionsFree {
  void operator()(GMimeFormatOptions* options) const {
    if (options) g_mime_format_options_free(options);
  }
};
using FormatOptionsRef = std::unique_ptr<GMimeFormatOptions, FormatOptionsFree>;

struct GFree {
  void operator()(gpointer memory) const { g_free(memory); }
};
using GCharRef = std::unique_ptr<char, GFree>;

}  // namespace mugai::mime::detail
