#include "mugai/release/delivery.h"

#include <openssl/evp.h>

#include <ctime>

#include "mugai/smtp/transport_factory.h"

namespace mugai::release {
namespace {

std::string rfc5322_date() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &utc);
  return date;
}

std::string base64_lines(const std::string& bytes) {
  std::string out;
  for (std::size_t at = 0; at < bytes.size(); at += 57) {
    const std::size_t n = std::min<std::size_t>(57, bytes.size() - at);
    unsigned char encoded[80];
    const int length = EVP_EncodeBlock(encoded, reinterpret_cast<const unsigned char*>(bytes.data() + at),
                                       static_cast<int>(n));
    out.append(reinterpret_cast<const char*>(encoded), static_cast<std::size_t>(length));
    out += "\r\n";
  }
  return out;
}

// Header text from hostile sources (sender, subject) is not put into headers at all: only our
// own words and the hex ID. In the body, control characters are dropped.
std::string printable(const std::string& text) {
  std::string out;
  for (char c : text.substr(0, 300))
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) out += c;
  return out;
}

}  // namespace

DeliveryResult deliver_mail(const core::Config& config, const std::string& mail_from,
                            const std::vector<std::string>& recipients, const std::string& quarantine_id,
                            const std::string& message) {
  DeliveryResult result;
  std::string error;
  const std::shared_ptr<smtp::Transport> transport = smtp::make_transport(config.serve, error);
  if (!transport) {
    result.temporary = true;
    result.summary = error;
    return result;
  }
  smtp::Envelope envelope;
  envelope.mail_from = mail_from;
  envelope.recipients = recipients;
  const std::string trace = "Received: by " + config.serve.hostname + " (mugai quarantine release) id " +
                            quarantine_id.substr(0, 16) + ";\r\n\t" + rfc5322_date() + "\r\n";
  const smtp::TransportResult sent = transport->send(envelope, trace, message);
  result.accepted = sent.kind == smtp::TransportResult::Kind::accepted;
  result.temporary = sent.kind == smtp::TransportResult::Kind::temporary;
  result.summary = sent.summary();
  return result;
}

namespace {

std::string approval_needed_body(const core::Config& config, const ReleaseRecord& record,
                                 const core::QuarantineEntry& entry) {
  const std::string link = config.release.base_url.empty() ? "-" : config.release.base_url + "/#/approvals";
  return "【mugai】隔離ファイルの取り出し依頼があなたの承認を待っています。\n隔離ID: " + entry.id +
         "\n依頼者: " + printable(record.requester) + "\n差出人: " + printable(entry.sender) + "\n承認ページ: " + link +
         "\n\n[mugai] A release request is waiting for your approval.\nQuarantine ID: " + entry.id +
         "\nRequested by: " + printable(record.requester) + "\nSender: " + printable(entry.sender) +
         "\nApprovals page: " + link + "\n";
}

}  // namespace

std::string notification_mail(const core::Config& config, const ReleaseRecord& record,
                              const core::QuarantineEntry& entry, const std::string& what, const std::string& to) {
  const bool released = what == "released";
  const bool to_approver = what == "approval-needed";
  std::string body;
  if (to_approver) body = approval_needed_body(config, record, entry);
  else body += released ? "【mugai】隔離されていたファイルの取り出しが承認され、お届けしました。\n"
                   : "【mugai】隔離されているファイルの取り出し依頼は却下されました。\n";
  body += "隔離ID: " + entry.id + "\n差出人: " + printable(entry.sender) + "\n判断した人: " +
          printable(record.decided_by.empty() ? "-" : record.decided_by) + "\nコメント: " +
          printable(record.comment.empty() ? "-" : record.comment) + "\n\n";
  if (!to_approver) body += released ? "[mugai] Your release request was approved and the item has been delivered.\n"
                                    : "[mugai] Your release request was denied.\n";
  if (!to_approver) body += "Quarantine ID: " + entry.id + "\nSender: " + printable(entry.sender) + "\nDecided by: " +
          printable(record.decided_by.empty() ? "-" : record.decided_by) + "\nComment: " +
          printable(record.comment.empty() ? "-" : record.comment) + "\n";
  std::string crlf;
  for (char c : body) {
    if (c == '\n') crlf += "\r\n";
    else crlf += c;
  }
  std::string mail;
  mail += "From: " + config.release.notify_from + "\r\n";
  mail += "To: " + to + "\r\n";
  mail += std::string("Subject: [mugai] release request ") +
          (to_approver ? "waiting for your approval" : released ? "approved" : "denied") + " " + entry.id.substr(0, 12) +
          "\r\n";
  mail += "Date: " + rfc5322_date() + "\r\n";
  mail += "Message-ID: <release-" + what + "-" + entry.id.substr(0, 24) + "-" + random_hex(6) + "@" +
          config.serve.hostname + ">\r\n";
  mail += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n";
  mail += "X-Mugai-Release: " + what + "\r\n\r\n";
  mail += base64_lines(crlf);
  return mail;
}

}  // namespace mugai::release
