// Throughput of sanitise() on one core, in process: no sockets, no disk. Two workloads:
//   small  - generated Japanese ISO-2022-JP text mails of 2-4 KB (the bulk of municipal mail)
//   attach - mails with base64 attachments (PDF-like and JPEG-like bytes, 0.5-2 MB each)
//   dir    - every *.eml of a directory (e.g. the shared bench kit's mix), one pass each,
//            with the time each message took and, given the kit's manifest.tsv, the time per class
// usage: mugai_bench_sanitize [small|attach|all] [seconds per workload, default 5]
//        mugai_bench_sanitize dir DIRECTORY [passes, default 1]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
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

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// file name -> class ("text", "html", "attach") from the kit's manifest.tsv, if there is one.
std::map<std::string, std::string> manifest_classes(const std::filesystem::path& directory) {
  std::map<std::string, std::string> classes;
  std::ifstream in(directory / "manifest.tsv");
  std::string line;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    const auto second = line.find('\t', tab + 1);
    classes[line.substr(0, tab)] = line.substr(tab + 1, second == std::string::npos ? second : second - tab - 1);
  }
  return classes;
}

int run_directory(const std::filesystem::path& directory, int passes) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory))
    if (entry.path().extension() == ".eml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  const auto classes = manifest_classes(directory);
  const auto& config = mugai::core::embedded_config();
  const auto& profile = config.profiles.at("lgwan-strict");
  struct Timing {
    double seconds = 0;
    std::size_t messages = 0, bytes = 0, delivered = 0;
  };
  std::map<std::string, Timing> per_class;
  std::vector<std::pair<double, std::string>> slowest;
  for (int pass = 0; pass < passes; ++pass) {
    for (const auto& file : files) {
      const std::string mail = read_file(file);  // Request::input is a view
      mugai::core::Request request;
      request.input = mail;
      const auto start = Clock::now();
      const bool delivered = mugai::core::sanitise(request, config, profile).delivered;
      const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
      const auto found = classes.find(file.filename().string());
      for (const std::string& name : {found == classes.end() ? std::string("unlisted") : found->second,
                                      std::string("all")}) {
        Timing& timing = per_class[name];
        timing.seconds += seconds;
        ++timing.messages;
        timing.bytes += mail.size();
        timing.delivered += delivered;
      }
      if (pass == 0) slowest.emplace_back(seconds, file.filename().string());
    }
  }
  std::sort(slowest.rbegin(), slowest.rend());
  for (std::size_t i = 0; i < std::min<std::size_t>(10, slowest.size()); ++i)
    std::printf("slow %-12s %8.1f ms\n", slowest[i].second.c_str(), slowest[i].first * 1000);
  for (const auto& [name, timing] : per_class)
    std::printf("class %-8s messages=%zu delivered=%zu cpu-seconds=%.2f ms/msg=%.2f msg/s(one core)=%.0f MB/s=%.1f\n",
                name.c_str(), timing.messages, timing.delivered, timing.seconds, timing.seconds * 1000 / timing.messages,
                timing.messages / timing.seconds, timing.bytes / timing.seconds / 1e6);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string which = argc > 1 ? argv[1] : "all";
  if (which == "dir") {
    if (argc < 3) {
      std::fprintf(stderr, "usage: mugai_bench_sanitize dir DIRECTORY [passes]\n");
      return 64;
    }
    return run_directory(argv[2], argc > 3 ? std::max(1, std::atoi(argv[3])) : 1);
  }
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
