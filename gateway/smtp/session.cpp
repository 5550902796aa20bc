// ESMTP dialogue (RFC 5321, 1870 SIZE, 6152 8BITMIME, 2920 PIPELINING, 2034/3463 enhanced codes,
// 3207 STARTTLS). Replies and rules: gateway/smtp/README.md.
#include "mugai/smtp/session.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "mugai/smtp/address.h"

namespace mugai::smtp {
namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && upper(text.substr(0, prefix.size())) == prefix;
}

// Controls other than TAB in a command line have no business there (NUL injection, terminal
// escapes in logs); 8-bit bytes are judged per command (addresses: 553 5.6.7).
bool has_control_bytes(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && byte != '\t') || byte == 0x7f;
  });
}

bool parse_size(std::string_view digits, std::uint64_t& value) {
  if (digits.empty() || digits.size() > 20) return false;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (end != digits.data() + digits.size()) return false;
  if (error == std::errc::result_out_of_range) value = UINT64_MAX;  // over any limit: 552
  else if (error != std::errc()) return false;
  return true;
}

const Reply kSyntaxBareLine{500, "5.5.2", "Error: bare LF or CR in command; lines must end with CRLF"};
const Reply kLineTooLong{500, "5.5.2", "Error: line too long"};
const Reply kBadCharacters{500, "5.5.2", "Error: invalid characters in command"};
const Reply kUnknown{500, "5.5.2", "Error: command not recognized"};
const Reply kNotImplemented{502, "5.5.1", "Error: command not implemented"};
const Reply kOk{250, "2.0.0", "Ok"};

}  // namespace

Session::Session(const SessionSettings& settings, ConnectionInfo connection, SessionHandler& handler)
    : settings_(settings), connection_(std::move(connection)), handler_(handler) {}

std::string Session::greeting() const {
  return Reply{220, "", settings_.hostname + " ESMTP mugai"}.wire();
}

std::string Session::feed(std::string_view bytes) {
  std::string out;
  while (!bytes.empty() && state_ != State::closing && state_ != State::awaiting_tls) {
    if (state_ == State::data) {
      if (data_->take(bytes)) end_of_data(out);
      continue;
    }
    const std::optional<CommandLine> line = commands_.take(bytes);
    if (!line) break;
    ++lines_handled_;
    handle_line(*line, out);
  }
  if (state_ == State::awaiting_tls) commands_.clear();  // the rest of `bytes` is dropped too
  return out;
}

void Session::tls_started(std::string version, std::string cipher) {
  connection_.tls_version = std::move(version);
  connection_.tls_cipher = std::move(cipher);
  commands_.clear();
  reset_transaction();
  envelope_.helo.clear();
  envelope_.esmtp = false;
  helo_done_ = false;
  state_ = State::command;
}

std::string Session::timeout_reply() {
  std::string out;
  close_with(Reply{421, "4.4.2", settings_.hostname + " Error: timeout exceeded, closing connection"},
             out);
  return out;
}

std::string Session::shutdown_reply() {
  std::string out;
  close_with(Reply{421, "4.3.2", settings_.hostname + " Service shutting down, try again later"},
             out);
  return out;
}

void Session::handle_line(const CommandLine& line, std::string& out) {
  switch (line.status) {
    case CommandLine::Status::bare_lf:
    case CommandLine::Status::bare_cr:
      reply(kSyntaxBareLine, out);
      return;
    case CommandLine::Status::too_long:
      reply(kLineTooLong, out);
      return;
    case CommandLine::Status::ok:
      break;
  }
  if (has_control_bytes(line.text)) {
    reply(kBadCharacters, out);
    return;
  }
  const std::string_view text = line.text;
  const std::size_t space = text.find(' ');
  const std::string_view verb = text.substr(0, space);
  std::string_view argument = space == std::string_view::npos ? std::string_view{}
                                                              : text.substr(space + 1);
  while (!argument.empty() && argument.back() == ' ') argument.remove_suffix(1);
  command(verb, argument, out);
}

void Session::command(std::string_view verb_text, std::string_view argument, std::string& out) {
  const std::string verb = upper(verb_text);
  if (verb == "EHLO") return ehlo(argument, true, out);
  if (verb == "HELO") return ehlo(argument, false, out);
  if (verb == "MAIL") return mail(argument, out);
  if (verb == "RCPT") return rcpt(argument, out);
  if (verb == "DATA") return data(argument, out);
  if (verb == "STARTTLS") return starttls(argument, out);
  if (verb == "RSET") {
    if (!argument.empty()) return reply(Reply{501, "5.5.4", "Syntax: RSET"}, out);
    reset_transaction();
    junk(out);
    return reply(kOk, out);
  }
  if (verb == "NOOP") {
    junk(out);
    return reply(kOk, out);
  }
  if (verb == "QUIT") return close_with(Reply{221, "2.0.0", settings_.hostname + " closing connection"}, out);
  if (verb == "VRFY") {
    // RFC 5321 §3.5.3: 252 neither confirms nor denies; mailbox existence is not disclosed.
    junk(out);
    return reply(Reply{252, "2.5.2", "Cannot VRFY user, but will accept message and attempt delivery"},
                 out);
  }
  if (verb == "EXPN") return reply(Reply{502, "5.5.1", "Error: EXPN not available"}, out);
  if (verb == "HELP") {
    junk(out);
    return reply(Reply{214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY STARTTLS"},
                 out);
  }
  // A browser or proxy tricked into talking to us (cross-protocol attack): nothing it says is
  // mail, so the session ends at once rather than answering line after line.
  if (verb == "GET" || verb == "POST" || verb == "HEAD" || verb == "PUT" || verb == "CONNECT" ||
      verb == "USER") {
    Reply closing{421, "4.7.0", settings_.hostname + " Error: not an SMTP client, closing connection"};
    handler_.refused(connection_, envelope_, Refusal{"session", closing, printable_ascii(verb, 16), 0});
    return close_with(closing, out);
  }
  if (verb == "BDAT" || verb == "AUTH" || verb == "ETRN" || verb == "TURN" || verb == "ATRN" ||
      verb == "SEND" || verb == "SOML" || verb == "SAML" || verb == "VERB" || verb == "XCLIENT" ||
      verb == "XFORWARD")
    return reply(kNotImplemented, out);
  reply(kUnknown, out);
}

void Session::ehlo(std::string_view argument, bool extended, std::string& out) {
  if (argument.empty() || argument.find(' ') != std::string_view::npos ||
      std::any_of(argument.begin(), argument.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
    return reply(Reply{501, "5.5.4", extended ? "Syntax: EHLO hostname" : "Syntax: HELO hostname"}, out);
  if (helo_done_) junk(out);  // EHLO loops are junk after the first
  reset_transaction();  // RFC 5321 §4.1.4: EHLO is an implicit RSET
  helo_done_ = true;
  envelope_.helo = printable_ascii(argument, 255);
  envelope_.esmtp = extended;
  if (!extended) return reply(Reply{250, "", settings_.hostname}, out);
  std::vector<std::string> lines{settings_.hostname, "PIPELINING",
                                 "SIZE " + std::to_string(settings_.max_message_bytes), "8BITMIME",
                                 "ENHANCEDSTATUSCODES"};
  if (settings_.tls_available && !tls_active()) lines.emplace_back("STARTTLS");
  out += wire_multiline(250, lines);
}

void Session::mail(std::string_view argument, std::string& out) {
  if (!helo_done_) return reply(Reply{503, "5.5.1", "Error: send HELO/EHLO first"}, out);
  if (settings_.require_tls && !tls_active()) {
    return refuse("mail", Reply{530, "5.7.0", "Must issue a STARTTLS command first"}, "", out);
  }
  if (mail_given_) return reply(Reply{503, "5.5.1", "Error: nested MAIL command"}, out);
  if (!starts_with_nocase(argument, "FROM:"))
    return reply(Reply{501, "5.5.4", "Syntax: MAIL FROM:<address>"}, out);
  const ParsedPath path = parse_path(argument.substr(5), true, false);
  switch (path.status) {
    case ParsedPath::Status::ok: break;
    case ParsedPath::Status::syntax:
      return reply(Reply{501, "5.5.4", "Syntax: MAIL FROM:<address>"}, out);
    case ParsedPath::Status::bad_address:
      return reply(Reply{501, "5.1.7", "Bad sender address syntax"}, out);
    case ParsedPath::Status::non_ascii:
      return reply(Reply{553, "5.6.7", "Non-ASCII addresses are not accepted"}, out);
  }
  std::optional<std::uint64_t> size;
  bool body_8bit = false;
  for (const auto& [keyword, value] : path.parameters) {
    if (!envelope_.esmtp) return reply(Reply{555, "5.5.4", "Error: MAIL parameters need EHLO"}, out);
    if (keyword == "SIZE" && !size) {
      std::uint64_t declared = 0;
      if (!parse_size(value, declared)) return reply(Reply{501, "5.5.4", "Syntax: SIZE=octets"}, out);
      size = declared;
    } else if (keyword == "BODY" && (upper(value) == "7BIT" || upper(value) == "8BITMIME")) {
      body_8bit = upper(value) == "8BITMIME";
    } else {
      return reply(Reply{555, "5.5.4", "Error: unsupported MAIL parameter"}, out);
    }
  }
  // RFC 1870 §6.2: refuse at MAIL what would be refused after DATA, before the bytes are sent.
  if (size && *size > settings_.max_message_bytes) {
    const Reply refusal{552, "5.3.4", "Message size exceeds fixed maximum message size"};
    handler_.refused(connection_, envelope_, Refusal{"mail", refusal, path.address, *size});
    return reply(refusal, out);
  }
  mail_given_ = true;
  envelope_.mail_from = path.address;
  envelope_.declared_size = size;
  envelope_.body_8bitmime = body_8bit;
  reply(Reply{250, "2.1.0", "Ok"}, out);
}

bool Session::accepted_domain(const std::string& domain) const {
  return std::find(settings_.accepted_domains.begin(), settings_.accepted_domains.end(), domain) !=
         settings_.accepted_domains.end();
}

void Session::rcpt(std::string_view argument, std::string& out) {
  if (!mail_given_) return reply(Reply{503, "5.5.1", "Error: need MAIL command"}, out);
  if (!starts_with_nocase(argument, "TO:"))
    return reply(Reply{501, "5.5.4", "Syntax: RCPT TO:<address>"}, out);
  ParsedPath path = parse_path(argument.substr(3), false, true);
  switch (path.status) {
    case ParsedPath::Status::ok: break;
    case ParsedPath::Status::syntax:
      return reply(Reply{501, "5.5.4", "Syntax: RCPT TO:<address>"}, out);
    case ParsedPath::Status::bad_address:
      return reply(Reply{501, "5.1.3", "Bad recipient address syntax"}, out);
    case ParsedPath::Status::non_ascii:
      return reply(Reply{553, "5.6.7", "Non-ASCII addresses are not accepted"}, out);
  }
  if (!path.parameters.empty())
    return reply(Reply{555, "5.5.4", "Error: unsupported RCPT parameter"}, out);
  if (path.address == "postmaster" && !settings_.accepted_domains.empty()) {
    // RFC 5321 §4.5.1: <postmaster> must be accepted; it goes to our first accepted domain.
    path.domain = settings_.accepted_domains.front();
    path.address = "postmaster@" + path.domain;
  }
  // Never an open relay: only the configured domains, exactly (no subdomains, no literals).
  if (path.domain.empty() || !accepted_domain(path.domain))
    return refuse("rcpt", Reply{550, "5.7.1", "Relay access denied"}, path.address, out);
  if (std::find(envelope_.recipients.begin(), envelope_.recipients.end(), path.address) !=
      envelope_.recipients.end())
    return reply(Reply{250, "2.1.5", "Ok"}, out);  // duplicate: delivered once
  if (envelope_.recipients.size() >= settings_.max_recipients) {
    // RFC 5321 §4.5.3.1.10: 452 so the client sends the rest in another transaction.
    return refuse("rcpt", Reply{452, "4.5.3", "Error: too many recipients"}, path.address, out);
  }
  envelope_.recipients.push_back(std::move(path.address));
  reply(Reply{250, "2.1.5", "Ok"}, out);
}

void Session::data(std::string_view argument, std::string& out) {
  if (!argument.empty()) return reply(Reply{501, "5.5.4", "Syntax: DATA"}, out);
  if (!mail_given_) return reply(Reply{503, "5.5.1", "Error: need MAIL command"}, out);
  if (envelope_.recipients.empty())
    return reply(Reply{554, "5.5.1", "Error: no valid recipients"}, out);
  data_ = std::make_unique<DataReader>(settings_.max_message_bytes,
                                       envelope_.declared_size.value_or(0));
  state_ = State::data;
  reply(Reply{354, "", "End data with <CR><LF>.<CR><LF>"}, out);
}

void Session::starttls(std::string_view argument, std::string& out) {
  if (!settings_.tls_available) return reply(kNotImplemented, out);
  if (!argument.empty()) return reply(Reply{501, "5.5.4", "Syntax: STARTTLS"}, out);
  if (tls_active()) return reply(Reply{503, "5.5.1", "Error: TLS already active"}, out);
  if (in_transaction())
    return reply(Reply{503, "5.5.1", "Error: MAIL transaction in progress"}, out);
  reply(Reply{220, "2.0.0", "Ready to start TLS"}, out);
  state_ = State::awaiting_tls;
}

void Session::end_of_data(std::string& out) {
  state_ = State::command;
  const std::uint64_t size = data_->size();
  std::optional<Reply> refusal;
  // One verdict per message, most fundamental first. These replies are message verdicts, not
  // client errors: they do not count towards max_errors.
  if (data_->oversize())
    refusal = Reply{552, "5.3.4", "Message size exceeds fixed maximum message size"};
  // A bare CR is kept as a content byte: it never ended a line here, and the message relayed is
  // our rebuilt one, stuffed with canonical CRLF. Bare LF, the smuggling vector, is refused.
  else if (data_->bare_lf())
    refusal = Reply{550, "5.6.11", "Message refused: bare LF not allowed, lines must end with CRLF"};
  else if (data_->long_line())
    refusal = Reply{550, "5.6.0", "Message refused: line longer than 998 octets"};
  if (refusal) {
    handler_.refused(connection_, envelope_, Refusal{"data", *refusal, "", size});
    out += refusal->wire();
  } else {
    std::string message = std::move(data_->message());
    Reply result = handler_.deliver(connection_, envelope_, std::move(message));
    if (result.code < 200 || result.code > 599)  // a broken handler must not make us answer junk
      result = Reply{451, "4.3.0", "Error: internal error, try again later"};
    if (result.positive()) {
      ++messages_accepted_;
      junk_ = 0;
    }
    out += result.wire();
  }
  data_.reset();
  reset_transaction();
}

void Session::junk(std::string& out) {
  (void)out;
  if (++junk_ > kMaxJunkCommands) ++errors_;  // checked against max_errors in reply()
}

void Session::reply(const Reply& r, std::string& out) {
  out += r.wire();
  if (r.permanent()) ++errors_;
  if (errors_ >= settings_.max_errors && state_ != State::closing) {
    const Reply closing{421, "4.7.0", settings_.hostname + " Error: too many errors, closing connection"};
    handler_.refused(connection_, envelope_, Refusal{"session", closing, "", 0});
    close_with(closing, out);
  }
}

void Session::close_with(const Reply& r, std::string& out) {
  out += r.wire();
  state_ = State::closing;
  data_.reset();
}

void Session::reset_transaction() {
  mail_given_ = false;
  envelope_.mail_from.clear();
  envelope_.recipients.clear();
  envelope_.declared_size.reset();
  envelope_.body_8bitmime = false;
}

void Session::refuse(const std::string& stage, const Reply& r, std::string_view argument,
                     std::string& out) {
  handler_.refused(connection_, envelope_, Refusal{stage, r, printable_ascii(argument, 256), 0});
  reply(r, out);
}

}  // namespace mugai::smtp
