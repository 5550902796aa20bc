// The embedded default transport: each sanitised message becomes one file in a directory, written
// to a temporary name, fsync'ed and renamed, so a reader never sees half a message and a crash
// never leaves one under a final name. Names are unique (time, content hash, process, counter):
// two identical messages in the same second are two files, never one overwriting the other.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "mugai/smtp/transport.h"

namespace mugai::smtp {

class Outbox : public Transport {
 public:
  explicit Outbox(std::string directory);
  // Creates the directory (and its tmp/) if needed; false and `error` when it cannot be used.
  bool prepare(std::string& error) const;
  // File: "Return-Path: <sender>" and "X-Mugai-Envelope-To: <a>, <b>" lines, then the message.
  TransportResult send(const Envelope& envelope, std::string_view trace, std::string_view body) override;
  const std::string& directory() const { return directory_; }

 private:
  std::string directory_;
  std::atomic<std::uint64_t> counter_{0};
};

}  // namespace mugai::smtp
