// Reads one upload from an HTTP request body without trusting its size: Content-Length over the
// limit is refused before any byte is read, and every byte (chunked bodies too) is counted as it
// arrives, so an oversized upload ends in 413 at limit+1 bytes, never after buffering it whole.
// Bodies: multipart/form-data (field "file", optional field "profile") or a raw body whose name
// comes from X-Filename or ?filename=.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <variant>

namespace Poco::Net {
class HTTPServerRequest;
}

namespace mugai::transfer {

struct Upload {
  std::string bytes;
  std::string untrusted_filename;  // as sent: may hold "../", controls, invalid UTF-8
  std::string requested_profile;   // "" = the user's default
  std::uint64_t body_bytes = 0;    // bytes read from the connection
};

struct UploadError {
  int status = 400;     // 400, 411, 413, 415
  std::string code;     // "too-large", "malformed-multipart", "no-file", ...
  std::string message;  // plain words for people
  bool body_left_unread = false;  // the connection must be closed after the answer
};

std::variant<Upload, UploadError> read_upload(Poco::Net::HTTPServerRequest& request, std::uint64_t max_bytes);

// The same without a socket (and without the "client closed a chunked body" check): what the
// request said about its body, and the decoded body stream. The fuzz harness drives this.
struct BodyShape {
  std::string content_type;
  std::string filename_header;  // X-Filename
  std::string uri;              // for ?filename= and ?profile=
  std::optional<std::uint64_t> content_length;
  bool chunked = false;
};
std::variant<Upload, UploadError> read_upload_body(std::istream& body, const BodyShape& shape, std::uint64_t max_bytes);

}  // namespace mugai::transfer
