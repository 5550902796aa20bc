#include "http_response.h"

#include <sys/socket.h>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <chrono>
#include <ostream>

namespace mugai::transfer {
namespace {

constexpr std::size_t kLingerBytes = 4 << 20;
constexpr int kLingerSeconds = 2;

}  // namespace

void set_security_headers(Poco::Net::HTTPServerResponse& response) {
  response.set("Cache-Control", "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "no-referrer");
  // The page loads only its own scripts and styles: an injected name can never run script.
  response.set("Content-Security-Policy",
               "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
}

void send_bytes(Poco::Net::HTTPServerResponse& response, int status, std::string_view content_type,
                std::string_view body) {
  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  response.setContentType(std::string(content_type));
  set_security_headers(response);
  response.setContentLength64(static_cast<Poco::Int64>(body.size()));
  // Written and flushed now (not when the handler returns): linger_and_close() may follow.
  std::ostream& out = response.send();
  out.write(body.data(), static_cast<std::streamsize>(body.size()));
  out.flush();
}

void send_json(Poco::Net::HTTPServerResponse& response, int status, const nlohmann::json& body) {
  send_bytes(response, status, "application/json; charset=utf-8",
             body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void send_error(Poco::Net::HTTPServerResponse& response, int status, std::string_view code, std::string_view message) {
  send_json(response, status, {{"error", code}, {"message", message}});
}

void linger_and_close(Poco::Net::HTTPServerRequest& request) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  if (!impl) return;
  try {
    Poco::Net::StreamSocket& socket = impl->socket();
    socket.shutdownSend();
    socket.setReceiveTimeout(Poco::Timespan(0, 200'000));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kLingerSeconds);
    char sink[16 * 1024];
    std::size_t drained = 0;
    while (drained < kLingerBytes && std::chrono::steady_clock::now() < deadline) {
      int got = 0;
      try {
        got = socket.receiveBytes(sink, sizeof sink);
      } catch (const Poco::TimeoutException&) {
        continue;
      }
      if (got <= 0) break;
      drained += static_cast<std::size_t>(got);
    }
  } catch (const std::exception&) {
    // The client went away: nothing left to do.
  }
}

bool peer_closed(Poco::Net::HTTPServerRequest& request) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  if (!impl) return false;
  try {
    Poco::Net::StreamSocket& socket = impl->socket();
    if (!socket.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ)) return false;
    char byte = 0;
    return ::recv(socket.impl()->sockfd(), &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
  } catch (const std::exception&) {
    return true;
  }
}

std::string printable(std::string_view text, std::size_t max_chars) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (out.size() >= max_chars) {
      out += "...";
      break;
    }
    if (c >= 0x20 && c < 0x7F && c != '%') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

std::string attachment_disposition(std::string_view utf8_name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string fallback, encoded;
  for (unsigned char c : utf8_name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                       c == '-' || c == '_';
    fallback.push_back(plain || c == ' ' ? static_cast<char>(c) : '_');
    if (plain) {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[c >> 4]);
      encoded.push_back(kHex[c & 0x0F]);
    }
  }
  if (fallback.empty()) fallback = "file";
  return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace mugai::transfer
