// The downstream SMTP client and its connection pool (rules in relay_client.h and README.md).
#include "mugai/smtp/relay_client.h"

#include "mugai/smtp/line_reader.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>

#include "mugai/smtp/reply.h"

namespace mugai::smtp {
namespace {

constexpr std::size_t kMaxReplyLine = 4096;   // RFC says 512; be lenient, but bounded
constexpr std::size_t kMaxReplyLines = 100;

struct ServerReply {
  int code = 0;
  std::string enhanced;
  std::string text;  // first line's text, printable ASCII
  std::vector<std::string> lines;  // all texts (EHLO keywords)
};

bool parse_enhanced(int code, std::string_view text, std::string& enhanced, std::string_view& rest) {
  // "d.ddd.ddd " with the class digit equal to the reply's (RFC 3463).
  std::size_t i = 0;
  if (text.size() < 6 || text[0] - '0' != code / 100 || text[1] != '.') return false;
  i = 2;
  for (int part = 0; part < 2; ++part) {
    const std::size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && i - start < 3) ++i;
    if (i == start) return false;
    if (part == 0) {
      if (i >= text.size() || text[i] != '.') return false;
      ++i;
    }
  }
  if (i < text.size() && text[i] != ' ') return false;
  enhanced = std::string(text.substr(0, i));
  rest = text.substr(std::min(text.size(), i + 1));
  return true;
}

}  // namespace

struct RelayClient::Connection {
  std::unique_ptr<Channel> channel;
  std::string input;  // bytes read but not yet consumed
  bool eight_bit = false;
  bool size = false;
  bool pipelining = false;   // RFC 2920: RSET, MAIL and RCPT go as one group
  bool reset_first = false;  // pooled: the next transaction starts with RSET
  Clock::time_point last_used;

  // Reads one complete (possibly multi-line) reply.
  IoStatus read_reply(ServerReply& reply, Clock::time_point deadline) {
    reply = ServerReply{};
    for (;;) {
      std::size_t lf;
      while ((lf = input.find('\n')) == std::string::npos) {
        if (input.size() > kMaxReplyLine) return IoStatus::error;
        char buffer[4096];
        std::size_t got = 0;
        const IoStatus status = channel->read(buffer, sizeof buffer, got, deadline);
        if (status != IoStatus::ok) return status;
        input.append(buffer, got);
      }
      std::string line = input.substr(0, lf);
      input.erase(0, lf + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[0])) ||
          !std::isdigit(static_cast<unsigned char>(line[1])) ||
          !std::isdigit(static_cast<unsigned char>(line[2])))
        return IoStatus::error;
      const int code = std::stoi(line.substr(0, 3));
      if (code < 200 || code > 599 || (reply.code != 0 && code != reply.code)) return IoStatus::error;
      reply.code = code;
      const bool last = line.size() == 3 || line[3] == ' ';
      if (!last && line[3] != '-') return IoStatus::error;
      const std::string text = line.size() > 4 ? line.substr(4) : std::string();
      if (reply.lines.empty()) {
        std::string_view rest = text;
        if (!parse_enhanced(code, text, reply.enhanced, rest)) rest = text;
        reply.text = printable_ascii(rest, 300);
      }
      reply.lines.push_back(printable_ascii(text, 300));
      if (reply.lines.size() > kMaxReplyLines) return IoStatus::error;
      if (last) return IoStatus::ok;
    }
  }

  IoStatus command(const std::string& line, ServerReply& reply, Clock::time_point deadline) {
    const IoStatus status = channel->write_all(line + "\r\n", deadline);
    if (status != IoStatus::ok) return status;
    return read_reply(reply, deadline);
  }

  // Several commands in one write; their replies are read in order by the caller.
  IoStatus send_group(const std::vector<std::string>& lines, Clock::time_point deadline) {
    std::string group;
    for (const std::string& line : lines) group += line + "\r\n";
    return channel->write_all(group, deadline);
  }
};

namespace {

TransportResult io_failure(IoStatus status, const std::string& stage) {
  TransportResult result;
  result.kind = TransportResult::Kind::temporary;
  result.stage = stage;
  result.timed_out = status == IoStatus::timeout;
  result.text = status == IoStatus::timeout ? "timeout waiting for the downstream"
                : status == IoStatus::closed ? "downstream closed the connection"
                                             : "connection to the downstream failed";
  return result;
}

TransportResult refused(const ServerReply& reply, const std::string& stage, bool always_temporary) {
  TransportResult result;
  result.kind = reply.code >= 500 && !always_temporary ? TransportResult::Kind::permanent
                                                       : TransportResult::Kind::temporary;
  result.code = reply.code;
  result.enhanced = reply.enhanced;
  result.text = reply.text;
  result.stage = stage;
  return result;
}

// A refused recipient: the reply names which one, for the sender's bounce.
TransportResult recipient_refused(const ServerReply& reply, const std::string& recipient) {
  TransportResult result = refused(reply, "rcpt", false);
  result.text = "<" + recipient + ">: " + result.text;
  return result;
}

Clock::time_point after(std::chrono::seconds timeout) { return Clock::now() + timeout; }

enum class GroupOutcome { accepted, refused, broken };

// Larger envelopes go one command at a time: a group whose replies outgrow the socket buffers
// while we are still writing it would stall both sides until the timeout (RFC 2920 §3.2).
constexpr std::size_t kMaxPipelinedRecipients = 100;

// RFC 2920: [RSET,] MAIL and every RCPT in one write, then their replies in order. DATA stays
// out of the group, so no content can follow a refused envelope. Every reply is read even after
// a refusal, so the connection stays in sync; the first refusal is the result.
GroupOutcome pipelined_envelope(RelayClient::Connection& connection, const std::string& mail,
                                const std::vector<std::string>& recipients, Clock::time_point deadline,
                                std::chrono::seconds timeout, TransportResult& result) {
  const bool reset = std::exchange(connection.reset_first, false);
  std::vector<std::string> group;
  if (reset) group.push_back("RSET");
  group.push_back(mail);
  for (const std::string& recipient : recipients) group.push_back("RCPT TO:<" + recipient + ">");
  IoStatus status = connection.send_group(group, deadline);
  if (status != IoStatus::ok) return result = io_failure(status, reset ? "rset" : "mail"), GroupOutcome::broken;
  ServerReply reply;
  if (reset) {
    status = connection.read_reply(reply, after(timeout));
    if (status != IoStatus::ok) return result = io_failure(status, "rset"), GroupOutcome::broken;
    if (reply.code != 250) return result = refused(reply, "rset", true), GroupOutcome::broken;
  }
  status = connection.read_reply(reply, after(timeout));
  if (status != IoStatus::ok) return result = io_failure(status, "mail"), GroupOutcome::broken;
  std::optional<TransportResult> refusal;
  if (reply.code != 250) refusal = refused(reply, "mail", false);
  for (const std::string& recipient : recipients) {
    status = connection.read_reply(reply, after(timeout));
    if (status != IoStatus::ok) return result = io_failure(status, "rcpt"), GroupOutcome::broken;
    if (!refusal && reply.code != 250 && reply.code != 251) refusal = recipient_refused(reply, recipient);
  }
  if (!refusal) return GroupOutcome::accepted;
  result = *refusal;
  return GroupOutcome::refused;
}

// Sends the content in bounded chunks (no second full copy of a large message); each chunk has
// its own deadline, so a downstream that stops reading is noticed within `timeout`.
IoStatus write_content(Channel& channel, std::string_view trace, std::string_view body,
                       std::chrono::seconds timeout) {
  constexpr std::size_t kChunk = 256 * 1024;
  DataStuffer stuffer;
  std::string out;
  out.reserve(kChunk + kChunk / 8 + 8);
  for (std::string_view piece : {trace, body}) {
    while (!piece.empty()) {
      const std::string_view part = piece.substr(0, kChunk);
      piece.remove_prefix(part.size());
      stuffer.feed(part, out);
      if (out.size() >= kChunk) {
        const IoStatus status = channel.write_all(out, after(timeout));
        if (status != IoStatus::ok) return status;
        out.clear();
      }
    }
  }
  stuffer.finish(out);
  return channel.write_all(out, after(timeout));
}

}  // namespace

void DataStuffer::feed(std::string_view piece, std::string& out) {
  const char* p = piece.data();
  const char* const end = p + piece.size();
  while (p < end) {
    if (after_cr_) {
      after_cr_ = false;
      if (*p == '\n') {  // the LF of a CRLF already written
        ++p;
        continue;
      }
    }
    if (*p == '\r' || *p == '\n') {
      out += "\r\n";
      after_cr_ = *p == '\r';
      line_start_ = true;
      ++p;
      continue;
    }
    if (line_start_ && *p == '.') out.push_back('.');
    const char* const stop = next_line_break(p, end);  // the rest of the line in one append
    out.append(p, static_cast<std::size_t>(stop - p));
    line_start_ = false;
    p = stop;
  }
}

void DataStuffer::finish(std::string& out) {
  if (!line_start_) out += "\r\n";
  out += ".\r\n";
  line_start_ = true;
  after_cr_ = false;
}

std::string stuff_for_data(std::string_view message) {
  std::string out;
  out.reserve(message.size() + message.size() / 64 + 8);
  DataStuffer stuffer;
  stuffer.feed(message, out);
  stuffer.finish(out);
  return out;
}

RelayClient::RelayClient(RelaySettings settings, TlsContext tls)
    : settings_(std::move(settings)), tls_(std::move(tls)) {}

RelayClient::~RelayClient() { close_idle(); }

std::unique_ptr<RelayClient> RelayClient::create(RelaySettings settings, std::string& error) {
  if (settings.host.empty() || settings.port < 1 || settings.port > 65535) {
    error = "downstream host and port are required";
    return nullptr;
  }
  settings.max_connections = std::max(settings.max_connections, 1);
  TlsContext tls;
  if (settings.starttls) {
    tls = make_client_tls_context(settings.ca_file, error);
    if (!tls) return nullptr;
  }
  return std::unique_ptr<RelayClient>(new RelayClient(std::move(settings), std::move(tls)));
}

std::unique_ptr<RelayClient::Connection> RelayClient::dial(TransportResult& failure) {
  const Clock::time_point deadline = after(settings_.timeout);
  std::string error;
  auto connection = std::make_unique<Connection>();
  connection->channel = Channel::connect(settings_.host, settings_.port, deadline, error);
  if (!connection->channel) {
    failure = TransportResult{};
    failure.kind = TransportResult::Kind::temporary;
    failure.stage = "connect";
    failure.text = printable_ascii(error, 300);
    failure.timed_out = Clock::now() >= deadline;
    return nullptr;
  }
  ServerReply reply;
  IoStatus status = connection->read_reply(reply, deadline);
  if (status != IoStatus::ok) return failure = io_failure(status, "greeting"), nullptr;
  // Refusals before any message (greeting, EHLO, STARTTLS) are about the link, not the message:
  // always temporary, so a misconfigured downstream never bounces mail.
  if (reply.code != 220) return failure = refused(reply, "greeting", true), nullptr;

  auto ehlo = [&](ServerReply& answer) -> bool {
    status = connection->command("EHLO " + settings_.helo_name, answer, deadline);
    if (status != IoStatus::ok) return failure = io_failure(status, "ehlo"), false;
    if (answer.code == 250) return true;
    status = connection->command("HELO " + settings_.helo_name, answer, deadline);
    if (status != IoStatus::ok) return failure = io_failure(status, "ehlo"), false;
    if (answer.code != 250) return failure = refused(answer, "ehlo", true), false;
    answer.lines.clear();
    return true;
  };
  auto has = [](const ServerReply& answer, std::string_view keyword) {
    return std::any_of(answer.lines.begin() + (answer.lines.empty() ? 0 : 1), answer.lines.end(),
                       [&](const std::string& line) {
                         std::string word = line.substr(0, line.find(' '));
                         for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                         return word == keyword;
                       });
  };
  if (!ehlo(reply)) return nullptr;
  if (settings_.starttls) {
    if (!has(reply, "STARTTLS")) {
      failure = TransportResult{};
      failure.stage = "starttls";
      failure.text = "downstream does not offer STARTTLS";
      return nullptr;
    }
    status = connection->command("STARTTLS", reply, deadline);
    if (status != IoStatus::ok) return failure = io_failure(status, "starttls"), nullptr;
    if (reply.code != 220) return failure = refused(reply, "starttls", true), nullptr;
    connection->input.clear();  // nothing the server sent before the handshake is trusted
    if (!connection->channel->start_tls_client(tls_.get(), settings_.host, deadline, error)) {
      failure = TransportResult{};
      failure.stage = "starttls";
      failure.text = printable_ascii(error, 300);
      return nullptr;
    }
    if (!ehlo(reply)) return nullptr;
  }
  connection->eight_bit = has(reply, "8BITMIME");
  connection->size = has(reply, "SIZE");
  connection->pipelining = has(reply, "PIPELINING");
  return connection;
}

std::unique_ptr<RelayClient::Connection> RelayClient::acquire(TransportResult& failure, bool& reused,
                                                              bool pooled_allowed) {
  const Clock::time_point deadline = after(settings_.timeout);
  for (;;) {
    std::unique_ptr<Connection> candidate;
    std::unique_ptr<Connection> replaced;  // closed outside the lock
    {
      std::unique_lock lock(mutex_);
      while (idle_.empty() && open_ >= settings_.max_connections) {
        if (slot_freed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
            open_ >= settings_.max_connections) {
          failure = TransportResult{};
          failure.stage = "connect";
          failure.timed_out = true;
          failure.text = "all downstream connections busy";
          return nullptr;
        }
      }
      if (!idle_.empty() && pooled_allowed) {
        candidate = std::move(idle_.back());
        idle_.pop_back();
      } else if (open_ < settings_.max_connections) {
        ++open_;  // reserve the slot, dial outside the lock
      } else {
        replaced = std::move(idle_.back());  // a fresh connection takes its slot (open_ unchanged)
        idle_.pop_back();
      }
    }
    if (!candidate) {
      reused = false;
      auto fresh = dial(failure);
      if (!fresh) {
        std::lock_guard lock(mutex_);
        --open_;
        slot_freed_.notify_one();
      }
      return fresh;
    }
    // A pooled connection starts its next transaction with RSET (with pipelining, in the same
    // write as MAIL), which proves it alive and in a clean state; a dead one fails before any
    // content, and send() retries on a fresh connection.
    if (Clock::now() - candidate->last_used < settings_.max_idle) {
      candidate->reset_first = true;
      reused = true;
      return candidate;
    }
    candidate.reset();
    std::lock_guard lock(mutex_);
    --open_;
  }
}

void RelayClient::release(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(mutex_);
  if (connection) {
    connection->last_used = Clock::now();
    idle_.push_back(std::move(connection));
  } else {
    --open_;
  }
  slot_freed_.notify_one();
}

TransportResult RelayClient::send(const Envelope& envelope, std::string_view trace, std::string_view message) {
  const auto eight_bit = [](std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  };
  const bool eight_bit_content = eight_bit(trace) || eight_bit(message);
  for (int attempt = 0;; ++attempt) {
    TransportResult result;
    bool reused = false;
    // A retry never takes another pooled connection: it may have died the same way.
    std::unique_ptr<Connection> connection = acquire(result, reused, attempt == 0);
    if (!connection) return result;

    // Runs the transaction; returns true when the connection is still in sync (reusable).
    bool content_sent = false;
    bool io_error = false;
    const auto transact = [&]() -> bool {
      const Clock::time_point deadline = after(settings_.timeout);
      ServerReply reply;
      std::string mail = "MAIL FROM:<" + envelope.mail_from + ">";
      if (eight_bit_content && connection->eight_bit) mail += " BODY=8BITMIME";
      if (connection->size) mail += " SIZE=" + std::to_string(trace.size() + message.size());
      IoStatus status = IoStatus::ok;
      if (connection->pipelining && envelope.recipients.size() <= kMaxPipelinedRecipients) {
        switch (pipelined_envelope(*connection, mail, envelope.recipients, deadline, settings_.timeout, result)) {
          case GroupOutcome::broken: return io_error = true, false;
          case GroupOutcome::refused: return true;  // the replies were all read: still in sync
          case GroupOutcome::accepted: break;
        }
      } else {
        if (std::exchange(connection->reset_first, false)) {  // pooled: see acquire()
          status = connection->command("RSET", reply, deadline);
          if (status != IoStatus::ok) return io_error = true, result = io_failure(status, "rset"), false;
          if (reply.code != 250) return io_error = true, result = refused(reply, "rset", true), false;
        }
        status = connection->command(mail, reply, deadline);
        if (status != IoStatus::ok) return io_error = true, result = io_failure(status, "mail"), false;
        if (reply.code != 250) return result = refused(reply, "mail", false), true;
        for (const std::string& recipient : envelope.recipients) {
          status = connection->command("RCPT TO:<" + recipient + ">", reply, after(settings_.timeout));
          if (status != IoStatus::ok) return io_error = true, result = io_failure(status, "rcpt"), false;
          if (reply.code != 250 && reply.code != 251) return result = recipient_refused(reply, recipient), true;
        }
      }
      status = connection->command("DATA", reply, after(settings_.timeout));
      if (status != IoStatus::ok) return io_error = true, result = io_failure(status, "data"), false;
      if (reply.code != 354) return result = refused(reply, "data", false), true;
      content_sent = true;
      status = write_content(*connection->channel, trace, message, settings_.timeout);
      if (status == IoStatus::ok) status = connection->read_reply(reply, after(settings_.timeout));
      if (status != IoStatus::ok) return result = io_failure(status, "end-of-data"), false;
      if (reply.code == 250) {
        result.kind = TransportResult::Kind::accepted;
        result.code = reply.code;
        result.enhanced = reply.enhanced;
        result.text = reply.text;
        result.stage = "end-of-data";
        return true;
      }
      result = refused(reply, "end-of-data", false);
      return true;
    };
    const bool in_sync = transact();
    if (in_sync && result.kind != TransportResult::Kind::accepted) {
      // Leave the downstream's transaction state clean (a refused RCPT leaves MAIL open there).
      ServerReply reply;
      if (!content_sent &&
          (connection->command("RSET", reply, after(settings_.timeout)) != IoStatus::ok || reply.code != 250))
        connection.reset();
    }
    release(in_sync ? std::move(connection) : nullptr);
    // A pooled connection can die between our RSET and MAIL (downstream idle timeout): one
    // retry on a fresh connection, but never once the content went out (no duplicates).
    if (io_error && reused && !content_sent && attempt == 0) continue;
    return result;
  }
}

void RelayClient::close_idle() {
  std::vector<std::unique_ptr<Connection>> closing;
  {
    std::lock_guard lock(mutex_);
    closing.swap(idle_);
    open_ -= static_cast<int>(closing.size());
  }
  for (auto& connection : closing) {
    ServerReply reply;
    connection->command("QUIT", reply, after(std::chrono::seconds(2)));
  }
}

}  // namespace mugai::smtp
