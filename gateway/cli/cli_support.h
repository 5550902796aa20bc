// Small helpers shared by the sub-commands: option parsing, config loading, file I/O with
// write-then-rename. Exit codes follow sysexits(3).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "commands.h"
#include "mugai/core/config.h"

namespace mugai::cli {

inline constexpr int kExitUsage = 64;
inline constexpr int kExitNoInput = 66;
inline constexpr int kExitInternal = 70;
inline constexpr int kExitCantCreate = 73;
inline constexpr int kExitConfig = 78;

// Loads --config FILE, or the embedded default when path is empty. Prints errors
// (FILE:LINE:COL: error: ...) and returns nullopt on failure.
std::optional<core::Config> load_config_or_report(const std::string& path);

// Reads a whole file ("-" = stdin), at most max_bytes + 1 bytes (so callers can tell "too big"
// without reading a hostile stream to the end). nullopt when it cannot be opened.
std::optional<std::string> read_input(const std::string& path, std::uint64_t max_bytes);

// PPAP passwords (`--password-file`): the first line, 1 to kMaxPasswordBytes bytes, as bytes.
inline constexpr std::size_t kMaxPasswordBytes = 1024;
std::optional<std::string> read_password(const std::string& path);

// Writes via a temporary file in the same directory and rename(2); "-" = stdout.
bool write_output(const std::string& path, std::string_view bytes);

}  // namespace mugai::cli
