#include "auth.h"

#include <Poco/Base64Decoder.h>

#include <sstream>
#include <stdexcept>

#include "transfer_store.h"

namespace mugai::transfer {
namespace {

constexpr std::size_t kMaxSessions = 10'000;
// Offices reach the page through one NAT address: one person's typos must not lock out the
// whole office, while guessing from one address across many names stays bounded.
constexpr int kClientFailureFactor = 10;
constexpr std::size_t kMaxCredentialBytes = 1024;

std::optional<std::string> decode_base64(const std::string& text) {
  if (text.size() > kMaxCredentialBytes) return std::nullopt;
  try {
    std::istringstream in(text);
    Poco::Base64Decoder decoder(in);
    std::ostringstream out;
    out << decoder.rdbuf();
    return out.str();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

Authenticator::Authenticator(const std::vector<core::TransferUser>& users, int failures_per_minute,
                             int session_minutes)
    : failures_by_name_(failures_per_minute),
      failures_by_client_(failures_per_minute * kClientFailureFactor),
      session_lifetime_(session_minutes) {
  int iterations = kMinPbkdf2Iterations;
  for (const core::TransferUser& configured : users) {
    std::optional<PasswordHash> hash = parse_password_hash(configured.password_hash);
    if (!hash)
      throw std::runtime_error("transfer.users: the password_hash of user '" + configured.name +
                               "' cannot be decoded (make one with `mugai transfer hash-password`)");
    iterations = std::max(iterations, hash->iterations);
    users_.push_back({configured.name, std::move(*hash), configured.profiles});
  }
  decoy_.hash = *parse_password_hash(hash_password("decoy", iterations));
}

const User* Authenticator::find(const std::string& name) const {
  for (const User& user : users_)
    if (user.name == name) return &user;
  return nullptr;
}

AuthResult Authenticator::check_password(const std::string& name, const std::string& password,
                                         const std::string& client) {
  AuthResult result;
  result.claimed_name = name.substr(0, 64);
  if (name.empty()) return result;
  const std::string name_key = "user:" + result.claimed_name;
  const std::string client_key = "client:" + client;
  if (failures_by_name_.exceeded(name_key) || failures_by_client_.exceeded(client_key)) {
    result.status = AuthStatus::throttled;
    result.retry_after = std::max(failures_by_name_.retry_after_seconds(name_key),
                                  failures_by_client_.retry_after_seconds(client_key));
    return result;
  }
  const User* user = find(name);
  const bool matches = verify_password(user ? user->hash : decoy_.hash, password) && user;
  if (!matches) {
    failures_by_name_.record(name_key);
    failures_by_client_.record(client_key);
    result.status = AuthStatus::wrong;
    return result;
  }
  result.status = AuthStatus::ok;
  result.user = user;
  return result;
}

AuthResult Authenticator::check_basic(const std::string& authorization, const std::string& client) {
  AuthResult result;
  const std::string scheme = "Basic ";
  if (authorization.size() <= scheme.size() || authorization.compare(0, scheme.size(), scheme) != 0) return result;
  const std::optional<std::string> decoded = decode_base64(authorization.substr(scheme.size()));
  const std::size_t colon = decoded ? decoded->find(':') : std::string::npos;
  if (colon == std::string::npos) {
    result.status = AuthStatus::wrong;
    return result;
  }
  return check_password(decoded->substr(0, colon), decoded->substr(colon + 1), client);
}

std::string Authenticator::open_session(const User& user, const std::string& side) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(sessions_mutex_);
  std::erase_if(sessions_, [&](const auto& entry) { return entry.second.expires <= now; });
  if (sessions_.size() >= kMaxSessions) sessions_.erase(sessions_.begin());
  std::string token = TransferStore::new_id();
  sessions_[token] = {user.name, side, now + session_lifetime_};
  return token;
}

const User* Authenticator::session_user(const std::string& token, const std::string& side) {
  if (!TransferStore::is_valid_id(token)) return nullptr;
  std::lock_guard<std::mutex> lock(sessions_mutex_);
  const auto found = sessions_.find(token);
  if (found == sessions_.end()) return nullptr;
  if (found->second.expires <= std::chrono::steady_clock::now() || found->second.side != side) return nullptr;
  return find(found->second.user);
}

void Authenticator::close_session(const std::string& token) {
  std::lock_guard<std::mutex> lock(sessions_mutex_);
  sessions_.erase(token);
}

}  // namespace mugai::transfer
