// Which clients may connect: a list of CIDR networks (IPv4 and IPv6). An IPv4 client seen on a
// dual-stack socket as ::ffff:a.b.c.d is matched as a.b.c.d, so an IPv4 rule cannot be bypassed
// (or an IPv6 rule accidentally widened) by the socket's address family.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mugai::smtp {

class NetworkList {
 public:
  // nullopt and `error` naming the bad entry when one does not parse ("10.0.0.0/33", "x").
  static std::optional<NetworkList> parse(const std::vector<std::string>& cidrs, std::string& error);
  bool contains(std::string_view address) const;  // false for anything that is not an address

 private:
  struct Network {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};
    int prefix = 0;
  };
  std::vector<Network> networks_;
};

// "::ffff:192.0.2.1" -> "192.0.2.1"; other addresses unchanged.
std::string normalise_ip(std::string_view address);

}  // namespace mugai::smtp
