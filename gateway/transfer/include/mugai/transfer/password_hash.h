// Salted, slow password hashes for the static users of the transfer (and release) pages:
// PBKDF2-HMAC-SHA256 from OpenSSL, stored as "pbkdf2-sha256$ITERATIONS$SALT_B64$HASH_B64".
// A stolen config then costs an attacker ITERATIONS hash computations per guess and per user.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mugai::transfer {

inline constexpr int kDefaultPbkdf2Iterations = 600'000;  // OWASP 2023 for PBKDF2-HMAC-SHA256
inline constexpr int kMinPbkdf2Iterations = 1'000;        // below this a hash is refused at start
inline constexpr int kMaxPbkdf2Iterations = 10'000'000;   // bounds the CPU one login can cost

struct PasswordHash {
  int iterations = 0;
  std::string salt;  // raw bytes
  std::string hash;  // raw bytes (32)
};

// nullopt when `encoded` is not a well-formed hash within the iteration bounds.
std::optional<PasswordHash> parse_password_hash(std::string_view encoded);

// A fresh 16-byte random salt. Throws std::runtime_error when OpenSSL has no randomness.
std::string hash_password(std::string_view password, int iterations = kDefaultPbkdf2Iterations);

// Constant-time comparison of the derived key.
bool verify_password(const PasswordHash& stored, std::string_view password);

}  // namespace mugai::transfer
