// Throughput of sanitise() on one core, in process: no sockets, no disk. Two workloads:
//   small  - generated Japanese ISO-2022-JP text mails of 2-4 KB (the bulk of municipal mail)
//   attach - mails with base64 attachments (PDF-like and JPEG-like bytes, 0.5-2 MB each)
// usage: mugai_bench_sanitize [small|attach|all] [seconds per workload, default 5]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "mugai/core/config_loader.h"
#include "mugai/core/pipeline.h"

namespace {

using Clock = std::chrono::steady_clock;

// ISO-2022-JP line: JIS X 0208 kana/kanji rows chosen pseudo-randomly (valid row/cell pairs).
std::string jis_line(std::mt19937& random, int chars) {
  std::string line = "\x1B$B";
  std::uniform_int_distribution<int> row(0x30, 0x4F), cell(0x21, 0x7E), kana(0x21, 0x73);
  for (int i = 0; i < chars; ++i) {
    if (i % 3 == 0) {
      line.push_back(0x24);  // hiragana row
      line.push_back(static_cast<char>(kana(random)));
    } else {
      line.push_back(static_cast<char>(row(random)));
      line.push_back(static_cast<char>(cell(random)));
    }
  }
  return line + "\x1B(B\r\n";
}

std::string small_mail(std::mt19937& random, int index) {
  std::string mail =
      "From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <sender" + std::to_string(index) +
      "@example.co.jp>\r\nTo: staff@city.example.jp\r\n"
      "Subject: =?ISO-2022-JP?B?GyRCJCpMZCQkOWckbyQ7GyhC?= " + std::to_string(index) + "\r\n"
      "Date: Mon, 23 Nov 2026 10:00:00 +0900\r\nMessage-ID: <" + std::to_string(index) +
      "@bench.example>\r\nReceived: from a by b; Mon, 23 Nov 2026 10:00:00 +0900\r\n"
      "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n"
      "Content-Transfer-Encoding: 7bit\r\n\r\n";
  const int lines = 30 + index % 30;
  for (int i = 0; i < lines; ++i) mail += jis_line(random, 35);
  return mail;
}

std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve(bytes.size() * 4 / 3 + bytes.size() / 38 + 8);
  std::size_t column = 0;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const unsigned a = static_cast<unsigned char>(bytes[i]);
    const unsigned b = i + 1 < bytes.size() ? static_cast<unsigned char>(bytes[i + 1]) : 0;
    const unsigned c = i + 2 < bytes.size() ? static_cast<unsigned char>(bytes[i + 2]) : 0;
    out.push_back(kAlphabet[a >> 2]);
    out.push_back(kAlphabet[((a & 3) << 4) | (b >> 4)]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[((b & 15) << 2) | (c >> 6)] : '=');
    out.push_back(i + 2 < bytes.size() ? kAlphabet[c & 63] : '=');
    if ((column += 4) == 76) {
      out += "\r\n";
      column = 0;
    }
  }
  return out + "\r\n";
}

std::string attachment_mail(std::mt19937& random, int index, std::size_t& attachment_bytes) {
  std::uniform_int_distribution<std::size_t> size(512 * 1024, 2 * 1024 * 1024);
  std::string payload(size(random), '\0');
  for (char& c : payload) c = static_cast<char>(random());
  const bool pdf = index % 2 == 0;
  payload.replace(0, pdf ? 9 : 4, pdf ? "%PDF-1.7\n" : "\xFF\xD8\xFF\xE0");
  attachment_bytes = payload.size();
  return "From: sender@example.co.jp\r\nTo: staff@city.example.jp\r\nSubject: attach " +
         std::to_string(index) + "\r\nMIME-Version: 1.0\r\n"
         "Content-Type: multipart/mixed; boundary=\"bench\"\r\n\r\n--bench\r\n"
         "Content-Type: text/plain; charset=ISO-2022-JP\r\n\r\n" + jis_line(random, 20) +
         "--bench\r\nContent-Type: application/octet-stream; name=\"file" + std::to_string(index) +
         (pdf ? ".pdf" : ".jpg") + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64(payload) +
         "--bench--\r\n";
}

void run(const char* name, const std::vector<std::string>& mails, std::size_t payload_per_cycle,
         double seconds) {
  const auto& config = mugai::core::embedded_config();
  const auto& profile = config.profiles.at("lgwan-strict");
  std::size_t messages = 0, bytes = 0, payload = 0, delivered = 0;
  const auto start = Clock::now();
  const auto stop = start + std::chrono::duration<double>(seconds);
  while (Clock::now() < stop) {
    for (const std::string& mail : mails) {
      mugai::core::Request request;
      request.input = mail;
      delivered += mugai::core::sanitise(request, config, profile).delivered;
      ++messages;
      bytes += mail.size();
    }
    payload += payload_per_cycle;
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("%-7s messages=%zu delivered=%zu seconds=%.2f msg/s=%.0f MB/s(message)=%.1f",
              name, messages, delivered, elapsed, messages / elapsed, bytes / elapsed / 1e6);
  if (payload_per_cycle) std::printf(" MB/s(attachment data)=%.1f", payload / elapsed / 1e6);
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  const std::string which = argc > 1 ? argv[1] : "all";
  const double seconds = argc > 2 ? std::atof(argv[2]) : 5.0;
  std::mt19937 random(20261123);
  if (which == "small" || which == "all") {
    std::vector<std::string> mails;
    for (int i = 0; i < 200; ++i) mails.push_back(small_mail(random, i));
    run("small", mails, 0, seconds);
  }
  if (which == "attach" || which == "all") {
    std::vector<std::string> mails;
    std::size_t total = 0;
    for (int i = 0; i < 8; ++i) {
      std::size_t bytes = 0;
      mails.push_back(attachment_mail(random, i, bytes));
      total += bytes;
    }
    run("attach", mails, total, seconds);
  }
  return 0;
}
