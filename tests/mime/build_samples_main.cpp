// Writes build() outputs for check_build_outputs.py: <n>.eml plus <n>.expect (UTF-8 lines:
// "body\t<text with \n as \\n>", "file\t<name>", "rfc2047-names" when that option is on), so
// Python's email can be the independent reader.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "mugai/mime/build.h"

using mugai::mime::OutAttachment;
using mugai::mime::OutMessage;

namespace {

std::string escaped(const std::string& text) {
  std::string out;
  for (const char c : text)
    out += c == '\n' ? std::string("\\n") : c == '\r' ? std::string() : std::string(1, c);
  return out;
}

std::vector<OutMessage> samples() {
  std::vector<OutMessage> out;
  OutMessage japanese;
  japanese.headers = {{"From", "山田 太郎 <taro@example.jp>"},
                      {"To", "\"Suzuki, Ichiro\" <ichiro@example.jp>, 髙橋 ① <t@example.jp>"},
                      {"Cc", "日本語のみ"},
                      {"Subject", "【重要】請求書の送付について ① ㈱ 𠮷野家 " + std::string(100, 'x')},
                      {"Message-ID", "<abc@example.jp>"},
                      {"X-Mugai-Verdict", "delivered"}};
  japanese.body_utf8 = "お世話になっております。\n① ㈱ 髙﨑\n";
  japanese.body_charset = "utf-8";
  std::string long_name;
  for (int i = 0; i < 30; ++i) long_name += "請求書𠮷";
  japanese.attachments = {{"application/pdf", "", "請求書.pdf", "%PDF-1.4\n"},
                          {"application/pdf", "", long_name + ".pdf", "%PDF-1.4\n"},
                          {"text/plain", "utf-8", "memo (copy) \"1\".txt", "text\n"},
                          {"application/octet-stream", "", "", "nameless"}};
  out.push_back(japanese);
  OutMessage old_clients = japanese;
  old_clients.rfc2047_names_for_old_clients = true;
  out.push_back(old_clients);

  OutMessage jis;
  jis.headers = {{"From", "a@example.jp"}, {"Subject", "ISO-2022-JP"}};
  jis.body_utf8 = "こんにちは、世界。\n";  // Python has no NEC row 13 (test_mime checks that with ICU)
  jis.body_charset = "iso-2022-jp";
  out.push_back(jis);

  OutMessage fallback = jis;
  fallback.body_utf8 = "𠮷野家 😀\n" + std::string(3000, 'a') + "\n";
  out.push_back(fallback);

  OutMessage hostile;
  hostile.headers = {{"Subject", "a\r\nBcc: x@example.jp"},
                     {"References", std::string(2000, 'r')},
                     {"To", "ユーザー@例え.jp"}};
  hostile.body_utf8 = "plain";
  out.push_back(hostile);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 1;
  }
  int index = 0;
  for (const OutMessage& message : samples()) {
    ++index;
    const std::string base = std::string(argv[1]) + "/" + std::to_string(index);
    std::ofstream(base + ".eml", std::ios::binary) << mugai::mime::build(message);
    std::ofstream expect(base + ".expect", std::ios::binary);
    std::string body = message.body_utf8;
    if (!body.empty() && body.back() != '\n') body += "\n";
    expect << "body\t" << escaped(body) << "\n";
    for (const OutAttachment& attachment : message.attachments)
      expect << "file\t" << attachment.filename << "\n";
    if (message.rfc2047_names_for_old_clients) expect << "rfc2047-names\n";
  }
  return 0;
}
