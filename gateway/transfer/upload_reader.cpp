#include "upload_reader.h"

#include "http_response.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/MediaType.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/URI.h>

#include <algorithm>
#include <istream>
#include <streambuf>
#include <string_view>

namespace mugai::transfer {
namespace {

// Multipart framing (boundaries, part headers, small fields) allowed on top of the file itself.
constexpr std::uint64_t kMultipartOverheadBytes = 64 * 1024;
constexpr std::size_t kMaxSmallFieldBytes = 256;
constexpr int kMaxParts = 8;

// A read-through stream that stops at byte limit+1: the one choke point for body size. It never
// throws (the streams layered on it would turn an exception into a silent end of file); callers
// ask exceeded() and broken() after reading.
class LimitedBuf final : public std::streambuf {
 public:
  LimitedBuf(std::istream& source, std::uint64_t limit) : source_(source), limit_(limit) {}
  std::uint64_t consumed() const { return consumed_; }
  bool exceeded() const { return exceeded_; }
  bool broken() const { return broken_; }  // timeout, reset, bad chunk framing
  const std::string& tail() const { return tail_; }  // the last kTailBytes bytes consumed
  static constexpr std::size_t kTailBytes = 256;

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (exceeded_ || broken_) return traits_type::eof();
    const std::uint64_t room = limit_ + 1 - consumed_;
    try {
      source_.read(buffer_, static_cast<std::streamsize>(std::min<std::uint64_t>(sizeof buffer_, room)));
    } catch (...) {
      broken_ = true;
      return traits_type::eof();
    }
    const std::streamsize got = source_.gcount();
    if (source_.bad()) broken_ = true;
    if (got <= 0) return traits_type::eof();
    consumed_ += static_cast<std::uint64_t>(got);
    if (consumed_ > limit_) {
      exceeded_ = true;
      return traits_type::eof();
    }
    tail_.append(buffer_, static_cast<std::size_t>(got));
    if (tail_.size() > kTailBytes) tail_.erase(0, tail_.size() - kTailBytes);
    setg(buffer_, buffer_, buffer_ + got);
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::istream& source_;
  std::uint64_t limit_;
  std::uint64_t consumed_ = 0;
  bool exceeded_ = false;
  bool broken_ = false;
  std::string tail_;
  char buffer_[16 * 1024];
};

enum class ReadEnd { complete, over_limit, broken };

// Reads `in` to its end into `out`, at most `limit` bytes.
ReadEnd read_bounded(std::istream& in, std::string& out, std::uint64_t limit) {
  char chunk[16 * 1024];
  for (;;) {
    in.read(chunk, sizeof chunk);
    const std::streamsize got = in.gcount();
    if (got <= 0) return in.bad() ? ReadEnd::broken : ReadEnd::complete;
    if (out.size() + static_cast<std::uint64_t>(got) > limit) return ReadEnd::over_limit;
    out.append(chunk, static_cast<std::size_t>(got));
  }
}

std::string too_large_text(std::uint64_t max_bytes) {
  return "the file is too large (the limit is " + std::to_string(max_bytes) + " bytes)";
}

UploadError too_large(std::uint64_t max_bytes) { return {413, "too-large", too_large_text(max_bytes), true}; }

std::variant<Upload, UploadError> read_multipart(std::istream& body, const std::string& boundary,
                                                 std::uint64_t max_bytes) {
  Upload upload;
  bool have_file = false;
  Poco::Net::MultipartReader reader(body, boundary);
  int parts = 0;
  while (reader.hasNextPart()) {
    if (++parts > kMaxParts)
      return UploadError{400, "malformed-multipart", "too many form fields (at most 8)", true};
    Poco::Net::MessageHeader header;
    reader.nextPart(header);
    std::string disposition;
    Poco::Net::NameValueCollection parameters;
    Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition, parameters);
    const std::string name = parameters.get("name", "");
    std::istream& content = reader.stream();
    if (name == "file") {
      if (have_file) return UploadError{400, "several-files", "send one file per transfer", true};
      have_file = true;
      upload.untrusted_filename = parameters.get("filename", "");
      const ReadEnd end = read_bounded(content, upload.bytes, max_bytes);
      if (end == ReadEnd::over_limit) return too_large(max_bytes);
      if (end == ReadEnd::broken) return UploadError{400, "malformed-multipart", "the file part is malformed", true};
    } else {
      std::string value;
      if (read_bounded(content, value, kMaxSmallFieldBytes) != ReadEnd::complete)
        return UploadError{400, "malformed-multipart", "form field '" + name.substr(0, 32) + "' is too long", true};
      if (name == "profile") upload.requested_profile = value;
    }
  }
  if (!have_file) return UploadError{400, "no-file", "the upload has no file (form field 'file')", false};
  return upload;
}

}  // namespace

std::variant<Upload, UploadError> read_upload_body(std::istream& source, const BodyShape& shape,
                                                   std::uint64_t max_bytes) {
  const Poco::Net::MediaType type(shape.content_type.empty() ? std::string("application/octet-stream")
                                                             : shape.content_type);
  const bool multipart = type.matches("multipart", "form-data");
  const std::uint64_t body_limit = max_bytes + (multipart ? kMultipartOverheadBytes : 0);
  // Refused before a single body byte is read.
  if (shape.content_length && *shape.content_length > body_limit) return too_large(max_bytes);
  if (!shape.content_length && !shape.chunked)
    return UploadError{411, "length-required", "send Content-Length or a chunked body", true};

  LimitedBuf limited(source, body_limit);
  std::istream body(&limited);
  try {
    std::variant<Upload, UploadError> result;
    if (multipart) {
      const std::string boundary = type.hasParameter("boundary") ? type.getParameter("boundary") : std::string();
      if (boundary.empty() || boundary.size() > 70)
        return UploadError{400, "malformed-multipart", "multipart/form-data without a valid boundary", true};
      result = read_multipart(body, boundary, max_bytes);
      // Poco ends a multipart body at end of file as quietly as at its closing delimiter, so a
      // cut-off upload would pass as a shorter file. Read to the end and demand the delimiter.
      char sink[4096];
      while (body.read(sink, sizeof sink) || body.gcount() > 0) {
      }
      std::string_view tail = limited.tail();
      while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r' || tail.back() == ' ' || tail.back() == '\t'))
        tail.remove_suffix(1);
      if (std::holds_alternative<Upload>(result) && !limited.exceeded() && !limited.broken() &&
          !tail.ends_with("--" + boundary + "--"))
        return UploadError{400, "malformed-multipart", "the upload is cut off (no closing boundary)", false};
    } else {
      Upload upload;
      upload.untrusted_filename = shape.filename_header;
      const Poco::URI uri(shape.uri);
      for (const auto& [key, value] : uri.getQueryParameters()) {
        if (key == "filename" && upload.untrusted_filename.empty()) upload.untrusted_filename = value;
        if (key == "profile") upload.requested_profile = value;
      }
      if (read_bounded(body, upload.bytes, max_bytes) == ReadEnd::over_limit) return too_large(max_bytes);
      result = std::move(upload);
    }
    // Checked after parsing whatever the parser concluded: a stream cut at the limit or by a
    // broken connection looks like a clean end of file to the layers above.
    if (limited.exceeded()) return too_large(max_bytes);
    if (limited.broken() ||
        (shape.content_length && limited.consumed() < *shape.content_length && std::holds_alternative<Upload>(result)))
      return UploadError{400, "incomplete", "the upload was interrupted before its end", true};
    if (auto* upload = std::get_if<Upload>(&result)) {
      if (upload->bytes.empty()) return UploadError{400, "empty", "the file is empty", false};
      upload->body_bytes = limited.consumed();
    }
    return result;
  } catch (const Poco::Exception& error) {
    if (limited.exceeded()) return too_large(max_bytes);
    return UploadError{400, "malformed-multipart", "the upload is malformed: " + error.message(), true};
  }
}

std::variant<Upload, UploadError> read_upload(Poco::Net::HTTPServerRequest& request, std::uint64_t max_bytes) {
  BodyShape shape;
  shape.content_type = request.getContentType();
  shape.filename_header = request.get("X-Filename", "");
  shape.uri = request.getURI();
  if (request.hasContentLength()) shape.content_length = static_cast<std::uint64_t>(request.getContentLength64());
  shape.chunked = request.getChunkedTransferEncoding();
  std::variant<Upload, UploadError> result = read_upload_body(request.stream(), shape, max_bytes);
  if (shape.chunked && std::holds_alternative<Upload>(result) && peer_closed(request))
    return UploadError{400, "incomplete", "the upload was interrupted before its end", false};
  return result;
}

}  // namespace mugai::transfer
