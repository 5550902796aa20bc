// Length-prefixed frames over a stream socket (the socketpair between the daemon and a worker):
// an 8-byte big-endian length, then that many bytes. Reads are bounded (max_bytes) and, on the
// daemon's side, have a deadline: a worker can never make the daemon allocate or wait without end.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mugai::worker {

enum class FrameStatus { ok, closed, timeout, too_large, error };

// Writes the whole frame (MSG_NOSIGNAL: a dead peer is an error, never SIGPIPE).
bool write_frame(int fd, std::string_view payload);
// Two frames at once (a job's or an answer's header and bytes), in as few writes as the socket allows.
bool write_frames(int fd, std::string_view first, std::string_view second);

// Reads one frame into `payload`. `deadline` empty = wait as long as it takes (worker side).
FrameStatus read_frame(int fd, std::string& payload, std::uint64_t max_bytes,
                       std::optional<std::chrono::steady_clock::time_point> deadline);

}  // namespace mugai::worker
