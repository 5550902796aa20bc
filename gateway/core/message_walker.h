// Walks a parsed MIME tree and decides, per structure, what becomes body text and what becomes
// an attachment: multipart/alternative keeps its text/plain version (HTML-only mail is converted,
// never lost), multipart/related keeps its root as body, multipart/signed loses a signature that
// no longer matches, message/rfc822 is inlined as a forwarded block. Leaves go to process_leaf.
#pragma once

#include <string>
#include <vector>

#include "mugai/core/config.h"
#include "mugai/core/report.h"
#include "mugai/mime/build.h"
#include "mugai/mime/tree.h"
#include "mugai/sanitizer.h"

namespace mugai::core {

class MessageWalker {
 public:
  MessageWalker(const Profile& profile, Context& context, Report& report)
      : profile_(profile), context_(context), report_(report) {}

  void walk(const mime::Node& node);

  bool rejected() const { return !rejection_code_.empty(); }
  const std::string& rejection_code() const { return rejection_code_; }
  const std::string& rejection_reason() const { return rejection_reason_; }
  const std::vector<std::string>& body_segments() const { return body_segments_; }
  std::vector<mime::OutAttachment>& attachments() { return attachments_; }

 private:
  void walk_alternative(const mime::Node& node);
  void walk_related(const mime::Node& node);
  void walk_signed(const mime::Node& node);
  void walk_message(const mime::Node& node);
  void walk_leaf(const mime::Node& node);
  void process(const std::string& path, std::string_view bytes, const std::string& declared_type,
               const std::string& charset, const std::string& filename, bool is_body, int depth);
  void skip(const mime::Node& node, const std::string& reason);
  void reject(std::string code, std::string reason);
  bool out_of_budget();

  const Profile& profile_;
  Context& context_;
  Report& report_;
  std::vector<std::string> body_segments_;
  std::vector<mime::OutAttachment> attachments_;
  std::string rejection_code_;
  std::string rejection_reason_;
  std::uint32_t leaves_ = 0;
};

}  // namespace mugai::core
