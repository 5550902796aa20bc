// Frames between the daemon and a worker: exact round trips, and every way a peer can misbehave
// (too long, closes early, stalls) ends in a named status, never a hang or a huge allocation.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "mugai/worker/frame.h"

using mugai::worker::FrameStatus;
using mugai::worker::read_frame;
using mugai::worker::write_frame;

namespace {

struct Pair {
  int a = -1, b = -1;
  Pair() {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    a = fds[0];
    b = fds[1];
  }
  ~Pair() {
    if (a >= 0) ::close(a);
    if (b >= 0) ::close(b);
  }
};

auto soon() { return std::chrono::steady_clock::now() + std::chrono::milliseconds(200); }

}  // namespace

TEST_CASE("frames round-trip exactly, binary and empty payloads included") {
  Pair pair;
  const std::string binary("\0\x01\xff\r\n ok", 7);
  REQUIRE(write_frame(pair.a, binary));
  REQUIRE(write_frame(pair.a, ""));
  std::string got;
  REQUIRE(read_frame(pair.b, got, 1024, soon()) == FrameStatus::ok);
  CHECK(got == binary);
  REQUIRE(read_frame(pair.b, got, 1024, soon()) == FrameStatus::ok);
  CHECK(got.empty());
}

TEST_CASE("two frames written at once arrive whole, also when larger than the socket buffer") {
  Pair pair;
  std::string big(3 * 1024 * 1024, '\0');  // several times a socketpair's buffer: partial sendmsg()
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 + i / 4096);
  std::string header = "{\"job\":1}";
  std::string first, second;
  std::thread reader([&] {
    const auto later = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    CHECK(read_frame(pair.b, first, 1024, later) == FrameStatus::ok);
    CHECK(read_frame(pair.b, second, big.size(), later) == FrameStatus::ok);
  });
  CHECK(mugai::worker::write_frames(pair.a, header, big));
  reader.join();
  CHECK(first == header);
  CHECK(second == big);
}

TEST_CASE("a frame longer than the reader allows is refused before allocation") {
  Pair pair;
  REQUIRE(write_frame(pair.a, std::string(100, 'x')));
  std::string got;
  CHECK(read_frame(pair.b, got, 99, soon()) == FrameStatus::too_large);
  CHECK(got.empty());
}

TEST_CASE("a peer that closes mid-frame gives closed, one that stalls gives timeout") {
  {
    Pair pair;
    const char partial[] = {0, 0, 0, 0, 0, 0, 0, 10, 'a', 'b'};
    REQUIRE(::write(pair.a, partial, sizeof partial) == static_cast<ssize_t>(sizeof partial));
    ::close(pair.a);
    pair.a = -1;
    std::string got;
    CHECK(read_frame(pair.b, got, 1024, soon()) == FrameStatus::closed);
  }
  {
    Pair pair;
    std::string got;
    CHECK(read_frame(pair.b, got, 1024, soon()) == FrameStatus::timeout);
  }
}
