// Who is asking: HTTP Basic (API clients) or a session cookie (the web page), checked against the
// static users of `transfer.users` (salted PBKDF2 hashes). Failed attempts are limited per user
// name (N a minute: guessing one account from anywhere) and per client address (10 N: guessing
// many accounts from one address, without one person's typos locking out an office behind one
// NAT address); while a limit is exceeded even the right password is answered 429.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mugai/core/config.h"
#include "mugai/transfer/password_hash.h"
#include "rate_limiter.h"

namespace mugai::transfer {

struct User {
  std::string name;
  PasswordHash hash;
  std::vector<std::string> profiles;  // first = default
};

enum class AuthStatus { ok, missing, wrong, throttled };

struct AuthResult {
  AuthStatus status = AuthStatus::missing;
  const User* user = nullptr;
  std::string claimed_name;  // for the audit log, also on failure
  int retry_after = 0;       // seconds, when throttled
};

class Authenticator {
 public:
  // Throws std::runtime_error naming the user whose password_hash cannot be decoded.
  Authenticator(const std::vector<core::TransferUser>& users, int failures_per_minute, int session_minutes);

  // Checks a user name and password (constant work whether or not the user exists).
  AuthResult check_password(const std::string& name, const std::string& password, const std::string& client);
  // "Basic base64(user:password)".
  AuthResult check_basic(const std::string& authorization, const std::string& client);

  // Sessions: an unguessable token (128 random bits) valid for session_minutes on one side.
  std::string open_session(const User& user, const std::string& side);
  const User* session_user(const std::string& token, const std::string& side);
  void close_session(const std::string& token);

 private:
  struct Session {
    std::string user;
    std::string side;
    std::chrono::steady_clock::time_point expires;
  };

  const User* find(const std::string& name) const;

  std::vector<User> users_;
  User decoy_;  // verified against when the name is unknown, so timing does not reveal names
  RateLimiter failures_by_name_;
  RateLimiter failures_by_client_;
  std::chrono::minutes session_lifetime_;
  std::mutex sessions_mutex_;
  std::map<std::string, Session> sessions_;
};

}  // namespace mugai::transfer
