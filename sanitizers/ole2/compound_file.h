// OLE2 compound files (legacy Office, MS-CFB) through libgsf: the directory tree as a list of
// entries, and a rewrite that copies everything except chosen storages and streams.
// Threats: directory loops and huge trees (entry count and depth bounds), streams whose
// declared size is far larger than the file (total bytes read bounded by max_expand_ratio x
// input and max_decoded_bytes), the message deadline.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mugai/sanitizer.h"

namespace mugai::sanitizers::ole2 {

struct Entry {
  std::string path;  // '/'-joined names from the root, e.g. "Macros/VBA/dir"
  std::string name;  // last segment, raw (may start with \x01 or \x05)
  bool storage = false;
  std::uint64_t size = 0;
  int depth = 0;
};

struct TreeBounds {
  std::size_t max_entries = 10'000;
  int max_depth = 32;
  std::uint64_t max_total_bytes = 0;
};

struct Tree {
  std::vector<Entry> entries;
  std::optional<Finding> failure;
};

// Lists the tree without reading stream contents.
Tree read_tree(std::string_view bytes, const TreeBounds& bounds, const Context& context);

// The bytes of a stream at the root (nullopt when absent, unreadable or larger than max_bytes).
std::optional<std::string> read_root_stream(std::string_view bytes, const char* name,
                                            std::uint64_t max_bytes);

// Copies the compound file (class ids included) without the entries for which `drop` is true
// (a dropped storage goes with everything in it). nullopt + `error` on failure.
std::optional<std::string> rewrite_without(std::string_view bytes,
                                           const std::function<bool(const Entry&)>& drop,
                                           const TreeBounds& bounds, const Context& context,
                                           std::string& error);

}  // namespace mugai::sanitizers::ole2
