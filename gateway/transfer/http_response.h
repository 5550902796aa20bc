// Small helpers for answers of the transfer listeners: JSON bodies, plain-word errors, security
// headers on every answer, and a bounded "lingering close" for answers sent before the request
// body was read (413, 401 on an upload), so the client reads our answer instead of a reset.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace mugai::transfer {

void set_security_headers(Poco::Net::HTTPServerResponse& response);
void send_bytes(Poco::Net::HTTPServerResponse& response, int status, std::string_view content_type,
                std::string_view body);
void send_json(Poco::Net::HTTPServerResponse& response, int status, const nlohmann::json& body);
// {"error": code, "message": message}
void send_error(Poco::Net::HTTPServerResponse& response, int status, std::string_view code, std::string_view message);

// Closes our sending side and discards what the client still sends, at most kLingerBytes or
// kLingerSeconds, then lets the server close the connection.
void linger_and_close(Poco::Net::HTTPServerRequest& request);

// True when the client has closed its sending side (a read would return end of file at once).
// Poco ends a chunked body at end of file as quietly as at its last chunk; this tells them apart
// for plain connections (a TLS close_notify still pending counts as "not closed").
bool peer_closed(Poco::Net::HTTPServerRequest& request);

// Printable ASCII for logs: other bytes as %XX, cut to max_chars.
std::string printable(std::string_view text, std::size_t max_chars = 256);

// Content-Disposition for a download: an ASCII fallback plus RFC 5987 filename* in UTF-8.
std::string attachment_disposition(std::string_view utf8_name);

}  // namespace mugai::transfer
