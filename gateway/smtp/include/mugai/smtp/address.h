// Parsing of the path arguments of MAIL FROM and RCPT TO (RFC 5321 §4.1.2), strict where a lax
// reading would let two programs disagree about the recipient: angle brackets required, ASCII
// only (no SMTPUTF8 is offered), lengths bounded (§4.5.3.1), source routes accepted and dropped.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mugai::smtp {

struct ParsedPath {
  enum class Status { ok, syntax, bad_address, non_ascii };
  Status status = Status::syntax;
  std::string address;  // local@domain with the domain in lower case; "" = null path <>
  std::string domain;   // lower case; "" for <> and <postmaster>
  std::vector<std::pair<std::string, std::string>> parameters;  // KEYWORD (upper case), value
};

// `text` is what follows "FROM:" or "TO:". allow_null: <> is valid (MAIL only). allow_postmaster:
// the bare <postmaster> of §4.1.1.3 is valid (RCPT only).
ParsedPath parse_path(std::string_view text, bool allow_null, bool allow_postmaster);

}  // namespace mugai::smtp
