// CIDR parsing and matching with inet_pton (no hand-written address parsing).
#include "mugai/smtp/access.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace mugai::smtp {
namespace {

// Parses an address into 16 bytes (IPv4 in the first 4). Mapped IPv6 becomes IPv4.
bool parse_address(std::string_view text, bool& v6, std::array<std::uint8_t, 16>& bytes) {
  if (text.empty() || text.size() > 64) return false;
  const std::string copy(text);
  bytes.fill(0);
  in_addr v4{};
  if (inet_pton(AF_INET, copy.c_str(), &v4) == 1) {
    v6 = false;
    std::memcpy(bytes.data(), &v4, 4);
    return true;
  }
  in6_addr addr6{};
  if (inet_pton(AF_INET6, copy.c_str(), &addr6) != 1) return false;
  static constexpr std::uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(&addr6, kMappedPrefix, 12) == 0) {
    v6 = false;
    std::memcpy(bytes.data(), reinterpret_cast<const std::uint8_t*>(&addr6) + 12, 4);
    return true;
  }
  v6 = true;
  std::memcpy(bytes.data(), &addr6, 16);
  return true;
}

bool prefix_matches(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b,
                    int prefix) {
  const int whole = prefix / 8;
  if (std::memcmp(a.data(), b.data(), static_cast<std::size_t>(whole)) != 0) return false;
  const int rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (a[static_cast<std::size_t>(whole)] & mask) == (b[static_cast<std::size_t>(whole)] & mask);
}

}  // namespace

std::optional<NetworkList> NetworkList::parse(const std::vector<std::string>& cidrs,
                                              std::string& error) {
  NetworkList list;
  for (const std::string& entry : cidrs) {
    const std::size_t slash = entry.find('/');
    Network network;
    if (!parse_address(std::string_view(entry).substr(0, slash), network.v6, network.bytes)) {
      error = "not an IP address or network: '" + entry + "'";
      return std::nullopt;
    }
    const bool written_as_v6 = entry.substr(0, slash).find(':') != std::string::npos;
    const int max_prefix = written_as_v6 ? 128 : 32;
    network.prefix = network.v6 ? 128 : 32;
    if (slash != std::string::npos) {
      const char* begin = entry.data() + slash + 1;
      const char* end = entry.data() + entry.size();
      const auto [stop, status] = std::from_chars(begin, end, network.prefix);
      if (begin == end || stop != end || status != std::errc() || network.prefix < 0 ||
          network.prefix > max_prefix) {
        error = "bad prefix length in '" + entry + "'";
        return std::nullopt;
      }
      // A mapped address written with an IPv6 prefix (::ffff:10.0.0.0/104) means IPv4 /8.
      if (!network.v6 && written_as_v6) {
        if (network.prefix < 96) {
          error = "prefix of an IPv4-mapped network must be at least 96: '" + entry + "'";
          return std::nullopt;
        }
        network.prefix -= 96;
      }
    }
    list.networks_.push_back(network);
  }
  return list;
}

bool NetworkList::contains(std::string_view address) const {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};
  if (!parse_address(address, v6, bytes)) return false;
  for (const Network& network : networks_)
    if (network.v6 == v6 && prefix_matches(network.bytes, bytes, network.prefix)) return true;
  return false;
}

std::string normalise_ip(std::string_view address) {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};
  if (!parse_address(address, v6, bytes) || v6) return std::string(address);
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, bytes.data(), text, sizeof text);
  return text;
}

}  // namespace mugai::smtp
