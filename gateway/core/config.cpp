// Profile selection: which profile sanitises a message, from its envelope. One message is
// sanitised once, so with mixed recipients it gets the strictest of their profiles: a lenient
// recipient added to the envelope must never loosen what a protected recipient receives.
#include "mugai/core/config.h"

#include <algorithm>

namespace mugai::embedded {
extern const std::string_view notice_template;
}  // namespace mugai::embedded

namespace mugai::core {
namespace {

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// "<User@Example.JP.>" -> "user@example.jp": envelopes arrive with brackets, any case and the odd
// trailing root dot; none of these may let an address slip past its select rule.
std::string normalise_address(std::string_view address) {
  while (!address.empty() && (address.front() == ' ' || address.front() == '\t' || address.front() == '<'))
    address.remove_prefix(1);
  while (!address.empty() && (address.back() == ' ' || address.back() == '\t' || address.back() == '>'))
    address.remove_suffix(1);
  while (!address.empty() && address.back() == '.') address.remove_suffix(1);
  std::string result(address);
  std::transform(result.begin(), result.end(), result.begin(), lower_ascii);
  return result;
}

std::string_view domain_of(std::string_view address) {
  const std::size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view() : address.substr(at + 1);
}

// `example.jp` matches example.jp and mail.example.jp, never badexample.jp.
bool domain_matches(std::string_view domain, std::string_view rule_domain) {
  if (domain.empty() || rule_domain.empty()) return false;
  if (domain == rule_domain) return true;
  return domain.size() > rule_domain.size() && domain.ends_with(rule_domain) &&
         domain[domain.size() - rule_domain.size() - 1] == '.';
}

bool rule_matches(const SelectRule& rule, std::string_view sender, std::string_view recipient) {
  if (!rule.recipient.empty()) return !recipient.empty() && recipient == rule.recipient;
  if (!rule.recipient_domain.empty()) return domain_matches(domain_of(recipient), rule.recipient_domain);
  if (!rule.sender.empty()) return !sender.empty() && sender == rule.sender;
  if (!rule.sender_domain.empty()) return domain_matches(domain_of(sender), rule.sender_domain);
  return false;
}

// The profile name for one recipient ("" for none): first matching rule, else the default.
std::string_view profile_name_for(const Config& config, std::string_view sender, std::string_view recipient) {
  std::string_view fallback;
  for (const SelectRule& rule : config.select) {
    if (rule.is_default) {
      if (fallback.empty()) fallback = rule.profile;
      continue;
    }
    if (rule_matches(rule, sender, recipient)) return rule.profile;
  }
  return fallback;
}

// True when `candidate` is stricter than `current` (ties: smaller name, so the answer does not
// depend on recipient order).
bool stricter(const Profile& candidate, const Profile* current) {
  if (!current) return true;
  if (candidate.strictness != current->strictness) return candidate.strictness > current->strictness;
  return candidate.name < current->name;
}

const Profile& deny_everything_profile() {
  static const Profile profile = [] {
    Profile p;
    p.name = "deny-all";
    p.strictness = 1 << 30;
    return p;
  }();
  return profile;
}

}  // namespace

std::string_view default_notice_template() { return embedded::notice_template; }

const Profile& select_profile(const Config& config, std::string_view sender,
                              const std::vector<std::string>& recipients) {
  const std::string from = normalise_address(sender);
  std::vector<std::string> to;
  for (const std::string& recipient : recipients) to.push_back(normalise_address(recipient));
  if (to.empty()) to.emplace_back();  // the sender alone decides

  const Profile* chosen = nullptr;
  bool every_recipient_resolved = true;
  for (const std::string& recipient : to) {
    const auto found = config.profiles.find(profile_name_for(config, from, recipient));
    if (found == config.profiles.end()) {
      every_recipient_resolved = false;
      continue;
    }
    if (stricter(found->second, chosen)) chosen = &found->second;
  }
  if (chosen && every_recipient_resolved) return *chosen;

  // A config that was not validated (built in code) may lack rules or name missing profiles:
  // fall back to the strictest profile there is rather than to anything looser.
  for (const auto& [name, profile] : config.profiles)
    if (stricter(profile, chosen)) chosen = &profile;
  return chosen ? *chosen : deny_everything_profile();
}

}  // namespace mugai::core
