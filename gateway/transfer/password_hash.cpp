#include "mugai/transfer/password_hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>

#include <charconv>
#include <sstream>
#include <stdexcept>

namespace mugai::transfer {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
constexpr std::string_view kScheme = "pbkdf2-sha256";

std::string base64(std::string_view bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  encoder.close();
  return out.str();
}

std::optional<std::string> unbase64(std::string_view text) {
  try {
    std::istringstream in{std::string(text)};
    Poco::Base64Decoder decoder(in);
    std::ostringstream out;
    out << decoder.rdbuf();
    return out.str();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string derive(std::string_view password, std::string_view salt, int iterations) {
  std::string key(kHashBytes, '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                        iterations, EVP_sha256(), static_cast<int>(key.size()),
                        reinterpret_cast<unsigned char*>(key.data())) != 1)
    throw std::runtime_error("PBKDF2 failed");
  return key;
}

}  // namespace

std::optional<PasswordHash> parse_password_hash(std::string_view encoded) {
  const std::size_t a = encoded.find('$');
  const std::size_t b = a == std::string_view::npos ? a : encoded.find('$', a + 1);
  const std::size_t c = b == std::string_view::npos ? b : encoded.find('$', b + 1);
  if (c == std::string_view::npos || encoded.find('$', c + 1) != std::string_view::npos) return std::nullopt;
  if (encoded.substr(0, a) != kScheme) return std::nullopt;
  PasswordHash hash;
  const std::string_view digits = encoded.substr(a + 1, b - a - 1);
  const auto [end, status] = std::from_chars(digits.data(), digits.data() + digits.size(), hash.iterations);
  if (status != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  if (hash.iterations < kMinPbkdf2Iterations || hash.iterations > kMaxPbkdf2Iterations) return std::nullopt;
  std::optional<std::string> salt = unbase64(encoded.substr(b + 1, c - b - 1));
  std::optional<std::string> key = unbase64(encoded.substr(c + 1));
  if (!salt || salt->size() < 8 || !key || key->size() != kHashBytes) return std::nullopt;
  hash.salt = std::move(*salt);
  hash.hash = std::move(*key);
  return hash;
}

std::string hash_password(std::string_view password, int iterations) {
  if (iterations < kMinPbkdf2Iterations || iterations > kMaxPbkdf2Iterations)
    throw std::runtime_error("iterations out of range");
  std::string salt(kSaltBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) != 1)
    throw std::runtime_error("no randomness for the salt");
  return std::string(kScheme) + "$" + std::to_string(iterations) + "$" + base64(salt) + "$" +
         base64(derive(password, salt, iterations));
}

bool verify_password(const PasswordHash& stored, std::string_view password) {
  const std::string key = derive(password, stored.salt, stored.iterations);
  return key.size() == stored.hash.size() && CRYPTO_memcmp(key.data(), stored.hash.data(), key.size()) == 0;
}

}  // namespace mugai::transfer
