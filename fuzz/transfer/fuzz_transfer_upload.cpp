// Upload bodies of the file-transfer proxy with arbitrary bytes (no sockets: read_upload_body).
// Oracles beyond "no crash":
//  - an accepted upload holds 1..max bytes and never more than the body carried;
//  - a multipart upload is accepted only if the body carries the closing delimiter;
//  - with a Content-Length larger than the body, nothing is accepted (a cut-off upload is never a
//    shorter file);
//  - every refusal is 400, 411 or 413 with a code and words.
// The first input byte picks multipart/raw, Content-Length exact/short/none and the boundary.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>

#include "upload_reader.h"

namespace {

using namespace mugai::transfer;

constexpr std::uint64_t kMaxBytes = 4096;

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  BodyShape shape;
  const bool multipart = mode & 1;
  const std::string boundary = (mode & 2) ? "zzz" : "mugaiTestBoundary7MA4YWxkTrZu0gW";
  shape.content_type = multipart ? "multipart/form-data; boundary=" + boundary : "application/octet-stream";
  shape.filename_header = "a.txt";
  shape.uri = "/api/v1/transfers?profile=p";
  switch ((mode >> 2) & 3) {
    case 0: shape.content_length = body.size(); break;
    case 1: shape.content_length = body.size() + 1 + (mode >> 4); break;  // the client promised more
    case 2: shape.chunked = true; break;
    default: break;  // neither: 411
  }
  std::istringstream in(body);
  const std::variant<Upload, UploadError> result = read_upload_body(in, shape, kMaxBytes);
  if (const auto* upload = std::get_if<Upload>(&result)) {
    require(!upload->bytes.empty() && upload->bytes.size() <= kMaxBytes && upload->bytes.size() <= body.size());
    require(upload->body_bytes <= body.size());
    require(!(shape.content_length && *shape.content_length > body.size()));
    if (multipart) require(body.find("--" + boundary + "--") != std::string::npos);
  } else {
    const auto& error = std::get<UploadError>(result);
    require(error.status == 400 || error.status == 411 || error.status == 413);
    require(!error.code.empty() && !error.message.empty());
  }
  return 0;
}
