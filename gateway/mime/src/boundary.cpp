#include "boundary.h"

#include <openssl/evp.h>

#include <cstdint>
#include <memory>

namespace mugai::mime::detail {
namespace {

class Sha256 {
 public:
  Sha256() : context_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
    if (context_) EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr);
  }
  // Length-prefixed, so ("ab", "c") and ("a", "bc") hash differently.
  void field(std::string_view bytes) {
    if (!context_) return;
    const std::uint64_t size = bytes.size();
    unsigned char prefix[8];
    for (int i = 0; i < 8; ++i) prefix[i] = static_cast<unsigned char>(size >> (8 * i));
    EVP_DigestUpdate(context_.get(), prefix, sizeof prefix);
    EVP_DigestUpdate(context_.get(), bytes.data(), bytes.size());
  }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (!context_ || EVP_DigestFinal_ex(context_.get(), digest, &size) != 1) return "0";
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < size; ++i) {
      out.push_back(kHex[digest[i] >> 4]);
      out.push_back(kHex[digest[i] & 15]);
    }
    return out;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context_;
};

}  // namespace

std::string content_boundary(const OutMessage& message, std::string_view text_body) {
  Sha256 hash;
  for (const OutHeader& header : message.headers) {
    hash.field(header.name);
    hash.field(header.utf8_value);
  }
  hash.field(message.body_charset);
  hash.field(message.body_utf8);
  hash.field(message.rfc2047_names_for_old_clients ? "rfc2047-names" : "");
  for (const OutAttachment& attachment : message.attachments) {
    hash.field(attachment.content_type);
    hash.field(attachment.charset);
    hash.field(attachment.filename);
    hash.field(attachment.bytes);
  }
  const std::string base = "=_mugai_" + hash.hex().substr(0, 32);
  std::string boundary = base;
  for (int counter = 1; text_body.find("--" + boundary) != std::string_view::npos; ++counter)
    boundary = base + "_" + std::to_string(counter);
  return boundary;
}

}  // namespace mugai::mime::detail
