#include "cli_support.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>

#include "mugai/core/config_loader.h"

namespace mugai::cli {

std::optional<core::Config> load_config_or_report(const std::string& path) {
  if (path.empty()) return core::embedded_config();
  core::LoadResult loaded = core::load_config_file(path);
  if (loaded.config) return std::move(*loaded.config);
  for (const core::ConfigError& error : loaded.errors)
    std::cerr << path << ":" << error.line << ":" << error.column << ": error: " << error.message << "\n";
  if (loaded.errors.empty()) std::cerr << path << ": error: configuration not loaded\n";
  return std::nullopt;
}

std::optional<std::string> read_password(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text(kMaxPasswordBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (const std::size_t end = text.find_first_of("\r\n"); end != std::string::npos) text.resize(end);
  if (text.empty() || text.size() > kMaxPasswordBytes) return std::nullopt;
  return text;
}

std::optional<std::string> read_input(const std::string& path, std::uint64_t max_bytes) {
  std::FILE* file = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!file) return std::nullopt;
  std::string data;
  char buffer[65536];
  while (data.size() <= max_bytes) {
    const std::size_t got = std::fread(buffer, 1, sizeof buffer, file);
    if (got == 0) break;
    data.append(buffer, got);
  }
  const bool failed = std::ferror(file);
  if (file != stdin) std::fclose(file);
  if (failed) return std::nullopt;
  if (data.size() > max_bytes + 1) data.resize(max_bytes + 1);
  return data;
}

bool write_output(const std::string& path, std::string_view bytes) {
  if (path == "-") {
    std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    std::cout.flush();
    return static_cast<bool>(std::cout);
  }
  const std::string temporary = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) {
      std::remove(temporary.c_str());
      return false;
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return false;
  }
  return true;
}

}  // namespace mugai::cli
