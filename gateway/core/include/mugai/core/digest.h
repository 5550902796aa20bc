// SHA-256 (OpenSSL EVP) for reports, quarantine IDs and the audit chain.
#pragma once

#include <string>
#include <string_view>

namespace mugai::core {

std::string sha256_hex(std::string_view bytes);

}  // namespace mugai::core
