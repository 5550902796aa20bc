#include "message_walker.h"

#include "header_policy.h"
#include "mugai/core/digest.h"
#include "mugai/core/file_type.h"
#include "part_processor.h"

namespace mugai::core {
namespace {

std::string param(const mime::Node& node, std::string_view name) {
  const auto found = node.type_params.find(name);
  return found == node.type_params.end() ? std::string() : found->second;
}

bool is_inline_text(const mime::Node& node) {
  return (node.content_type == "text/plain" || node.content_type == "text/html") &&
         node.disposition != "attachment" && node.filename.empty();
}

std::string removed_body_placeholder(const PartReport& part) {
  return "[本文の一部を削除しました / part of the body was removed: " + part.reason + "]";
}

}  // namespace

bool MessageWalker::out_of_budget() {
  if (rejected()) return true;
  if (context_.expired()) {
    reject("limit.max-seconds", "processing took longer than " +
                                    std::to_string(context_.limits.max_seconds) + " s");
    return true;
  }
  return false;
}

void MessageWalker::reject(std::string code, std::string reason) {
  if (rejected()) return;
  rejection_code_ = std::move(code);
  rejection_reason_ = std::move(reason);
}

void MessageWalker::walk(const mime::Node& node) {
  if (out_of_budget()) return;
  for (const Finding& repair : node.repairs)
    if (!node.children.empty() || node.is_multipart())
      report_.findings.push_back({repair.code, node.path + ": " + repair.detail});
  if (node.is_message()) return walk_message(node);
  if (!node.is_multipart()) return walk_leaf(node);
  if (node.content_type == "multipart/alternative") return walk_alternative(node);
  if (node.content_type == "multipart/related") return walk_related(node);
  if (node.content_type == "multipart/signed") return walk_signed(node);
  if (node.content_type == "multipart/encrypted") {
    for (const mime::Node& child : node.children)
      skip(child, "encrypted content cannot be inspected");
    return;
  }
  for (const mime::Node& child : node.children) walk(child);
}

void MessageWalker::walk_alternative(const mime::Node& node) {
  // Prefer the sender's own plain text; otherwise the HTML (or related tree) converted.
  const mime::Node* chosen = nullptr;
  for (const mime::Node& child : node.children)
    if (child.content_type == "text/plain" && is_inline_text(child) && !child.body.empty()) {
      chosen = &child;
      break;
    }
  if (!chosen)
    for (const mime::Node& child : node.children)
      if (child.content_type == "text/html" || child.content_type == "multipart/related" ||
          child.content_type == "text/plain") {
        chosen = &child;
        break;
      }
  if (!chosen && !node.children.empty()) chosen = &node.children.front();
  for (const mime::Node& child : node.children) {
    if (&child == chosen)
      walk(child);
    else
      skip(child, "alternative version not used: " + chosen->content_type + " version kept");
  }
}

void MessageWalker::walk_related(const mime::Node& node) {
  if (node.children.empty()) return;
  // RFC 2387: the root is the part named by start=, else the first.
  const std::string start = param(node, "start");
  const mime::Node* root = &node.children.front();
  if (!start.empty())
    for (const mime::Node& child : node.children)
      for (const mime::Header& header : child.headers)
        if (header.name == "Content-ID" && header.raw_value.find(start) != std::string::npos) root = &child;
  walk(*root);
  for (const mime::Node& child : node.children)
    if (&child != root) walk(child);
}

void MessageWalker::walk_signed(const mime::Node& node) {
  if (node.children.empty()) return;
  walk(node.children.front());
  for (std::size_t i = 1; i < node.children.size(); ++i)
    skip(node.children[i], "signature removed: the signed content was changed by sanitisation");
}

void MessageWalker::walk_message(const mime::Node& node) {
  const std::vector<mime::Header>& headers =
      node.children.empty() ? node.headers : node.children.front().headers;
  std::string block = "---------- 転送されたメッセージ / Forwarded message ----------\n";
  for (std::string_view name : {"From", "Date", "Subject", "To"}) {
    const std::string value = first_header_text(headers, name);
    if (!value.empty()) block += std::string(name) + ": " + value + "\n";
  }
  body_segments_.push_back(std::move(block));
  for (const mime::Node& child : node.children) walk(child);
}

void MessageWalker::walk_leaf(const mime::Node& node) {
  // Bytes under an unknown Content-Transfer-Encoding mean something different to every reader:
  // what we would inspect is not what the recipient's client would decode.
  for (const Finding& repair : node.repairs)
    if (repair.code == "mime.unknown-transfer-encoding")
      return skip(node, "unknown transfer encoding: the content cannot be inspected reliably");
  process(node.path, node.body, node.content_type, param(node, "charset"), node.filename,
          is_inline_text(node), 0);
  if (!report_.parts.empty() && report_.parts.back().path == node.path)
    report_.parts.back().findings.insert(report_.parts.back().findings.begin(), node.repairs.begin(),
                                         node.repairs.end());
}

void MessageWalker::process(const std::string& path, std::string_view bytes,
                            const std::string& declared_type, const std::string& charset,
                            const std::string& filename, bool is_body, int depth) {
  if (out_of_budget()) return;
  if (++leaves_ > context_.limits.max_parts) {
    reject("limit.max-parts", "more than " + std::to_string(context_.limits.max_parts) + " parts");
    return;
  }
  LeafInput input{path, bytes, declared_type, charset, filename, is_body};
  LeafResult result = process_leaf(input, profile_, context_);
  result.report.role = is_body ? "body" : "attachment";
  if (result.rejects_message) reject("policy." + result.report.detected_class, result.report.reason);

  if (result.delivered) {
    DeliveredContent& content = *result.delivered;
    if (is_body && content.content_type == "text/plain") {
      body_segments_.push_back(std::move(content.bytes));
    } else {
      attachments_.push_back({content.content_type, content.charset,
                              content.filename.empty() ? "part-" + path + ".txt" : content.filename,
                              std::move(content.bytes)});
    }
  } else if (is_body) {
    body_segments_.push_back(removed_body_placeholder(result.report));
  }
  std::vector<Extracted> extracted = std::move(result.extracted);
  report_.parts.push_back(std::move(result.report));

  if (static_cast<std::uint32_t>(depth) >= context_.limits.max_depth && !extracted.empty()) {
    reject("limit.max-depth", "content nested deeper than " + std::to_string(context_.limits.max_depth));
    return;
  }
  int index = 0;
  for (const Extracted& item : extracted)
    process(path + ".u" + std::to_string(++index), item.bytes, item.declared_type, "", item.filename,
            false, depth + 1);
}

void MessageWalker::skip(const mime::Node& node, const std::string& reason) {
  if (!node.children.empty()) {
    for (const mime::Node& child : node.children) skip(child, reason);
    return;
  }
  PartReport part;
  part.path = node.path;
  part.role = "attachment";
  part.declared_type = node.content_type;
  part.filename = node.filename;
  const FileType detected = identify(node.body);
  part.detected_type = detected.mime;
  part.detected_class = std::string(to_string(detected.cls));
  part.action = Action::removed;
  part.module = "pipeline";
  part.reason = reason;
  part.size_before = node.body.size();
  part.sha256_before = sha256_hex(node.body);
  part.findings = node.repairs;
  report_.parts.push_back(std::move(part));
}

}  // namespace mugai::core
