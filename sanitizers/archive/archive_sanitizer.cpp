#include "archive/archive_sanitizer.h"

#include <exception>
#include <new>

#include "archive/archive_options.h"
#include "archive/archive_reader.h"
#include "archive/expansion_guard.h"
#include "archive/member_path.h"
#include "archive/zip_writer.h"

namespace mugai::sanitizers::archive {
namespace {

// Fixed time for repacked members: the original times carry no value for the recipient and
// would make the output depend on hostile metadata. 2000-01-01T00:00:00Z.
constexpr long long kRepackTime = 946'684'800;

Outcome verdict(Action action, std::string reason, std::vector<Finding> findings) {
  Outcome out;
  out.action = action;
  out.reason = std::move(reason);
  out.findings = std::move(findings);
  return out;
}

std::string base_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// "docs.7z" -> "docs.zip", "memo.tar.gz" -> "memo.zip", "x" -> "x.zip".
std::string repacked_name(const std::string& original) {
  std::string stem = original.empty() ? "archive" : original;
  for (std::string_view suffix : {".gz", ".bz2", ".xz", ".zst", ".lz", ".lzma", ".tgz", ".tbz2", ".txz"})
    if (stem.size() > suffix.size() && stem.ends_with(suffix)) {
      stem.resize(stem.size() - suffix.size());
      break;
    }
  const std::size_t dot = stem.rfind('.');
  if (dot != std::string::npos && dot > 0) stem.resize(dot);
  return stem + ".zip";
}

// The name a single compressed file (memo.txt.gz) stands for.
std::string raw_member_name(const std::string& archive_name) {
  const std::size_t dot = archive_name.rfind('.');
  if (dot == std::string::npos || dot == 0) return archive_name.empty() ? "file" : archive_name + ".out";
  return archive_name.substr(0, dot);
}

class Expander {
 public:
  Expander(const Part& in, const ArchiveOptions& options, Context& context)
      : in_(in), options_(options), context_(context), guard_(context, in.bytes.size()) {}

  Outcome run() {
    if (!context_.recurse || !context_.record)
      return verdict(Action::removed, "archive removed: members cannot be inspected outside the pipeline",
                     {{"archive.no-recursion", "no recursion hook"}});
    ArchiveReader reader(in_.bytes, context_.passwords);
    if (!reader.opened()) return unreadable(reader);
    std::optional<ZipWriter> writer;
    if (options_.repack == Repack::zip) writer.emplace();

    for (;;) {
      EntryHeader header;
      const Step step = reader.next(header);
      if (step == Step::end) break;
      if (step == Step::error) {
        if (reader.has_encrypted_entries() || mentions_encryption(reader.error())) return encrypted(reader);
        return damaged(reader);
      }
      // Directories count too: a million empty directory entries is also a bomb (of headers).
      if (std::optional<Breach> breach = guard_.count_entry()) return breached(*breach);
      if (header.kind == EntryKind::directory) continue;  // recreated from member paths
      if (reader.is_raw() && !reader.is_compressed())
        return verdict(Action::removed, "archive removed: not a format mugai can open (" + in_.detected.mime + ")",
                       {{"archive.unsupported-format", in_.detected.description}});
      if (header.encrypted && (context_.passwords.empty() || !reader.can_decrypt())) return encrypted(reader);
      decrypted_ = decrypted_ || header.encrypted;

      std::vector<Finding> findings;
      Extracted member;
      const std::string decoded = reader.is_raw() ? raw_member_name(in_.filename)
                                                  : decode_member_name(header.raw_path, findings);
      member.filename = relative_member_path(decoded, findings);
      if (member.filename.empty()) member.filename = "unnamed";
      // Same name twice (or differing in case only, as Windows sees it): the later one renamed.
      const std::string unique = raw_names_.claim(member.filename);
      if (unique != member.filename) {
        findings.push_back({"archive.duplicate-name", "'" + member.filename + "' renamed '" + unique + "'"});
        member.filename = unique;
      }
      ++total_;

      if (header.kind != EntryKind::file) {
        skip_link_or_device(header, member, std::move(findings));
        continue;
      }
      if (header.raw_path.size() > context_.limits.max_member_path_bytes) {
        findings.push_back({"limit.max-member-path-bytes", std::to_string(header.raw_path.size()) + " bytes"});
        member.filename = base_name(member.filename);
        removed(member, "removed: path length " + std::to_string(header.raw_path.size()) + " > " +
                            std::to_string(context_.limits.max_member_path_bytes) + " bytes",
                std::move(findings));
        continue;
      }

      // Stream the data: every block is counted before it is kept.
      guard_.start_member(reader.consumed());
      if (header.declared_size > 0)
        member.bytes.reserve(static_cast<std::size_t>(
            std::min<std::uint64_t>(static_cast<std::uint64_t>(header.declared_size), context_.limits.max_member_bytes)));
      for (;;) {
        const void* block = nullptr;
        const la_ssize_t got = reader.read_block(block);
        if (got == 0) break;
        if (got < 0) {
          if (header.encrypted || mentions_encryption(reader.error())) return encrypted(reader);
          return damaged(reader);
        }
        if (std::optional<Breach> breach = guard_.add(static_cast<std::uint64_t>(got), reader.consumed()))
          return breached(*breach);
        member.bytes.append(static_cast<const char*>(block), static_cast<std::size_t>(got));
      }

      MemberVerdict result = context_.recurse(member);
      for (Finding& finding : findings) member_findings_.push_back(std::move(finding));
      if (result.breach) return breached(Breach{result.breach->code, result.breach->detail});
      if (result.rejects_message) {
        Outcome out = verdict(Action::rejected, "archive member " + member.filename + " is not accepted: " + result.reason,
                              std::move(member_findings_));
        out.rejects_message = true;
        return out;
      }
      if (!delivers(result.action)) continue;
      const std::string stored = names_.claim(result.filename.empty() ? member.filename : result.filename);
      if (stored != result.filename)
        member_findings_.push_back({"archive.duplicate-name", "'" + result.filename + "' stored as '" + stored + "'"});
      ++delivered_;
      if (reader.is_raw()) {
        single_ = std::move(result);  // a lone .gz/.bz2/.xz file: delivered as what it holds
        single_->filename = stored;
      } else if (writer) {
        if (!writer->add(stored, result.bytes, kRepackTime))
          return verdict(Action::removed, "archive removed: repacking failed", {{"archive.repack-error", writer->error()}});
      } else {
        attached_.push_back({stored, result.content_type, result.bytes});
      }
    }
    return finish(reader, writer);
  }

 private:
  static bool delivers(Action action) {
    return action == Action::kept || action == Action::converted || action == Action::sanitized;
  }

  static bool mentions_encryption(const std::string& error) {
    return error.find("ncrypt") != std::string::npos || error.find("assphrase") != std::string::npos ||
           error.find("password") != std::string::npos;
  }

  void removed(const Extracted& member, std::string reason, std::vector<Finding> findings) {
    context_.record(member, Action::removed, std::move(reason), std::move(findings));
  }

  void skip_link_or_device(const EntryHeader& header, const Extracted& member, std::vector<Finding> findings) {
    switch (header.kind) {
      case EntryKind::symlink:
        findings.push_back({"archive.symlink", "link to '" + header.link_target + "' not followed"});
        return removed(member, "removed: symbolic link (never followed)", std::move(findings));
      case EntryKind::hardlink:
        findings.push_back({"archive.hardlink", "hard link to '" + header.link_target + "' not followed"});
        return removed(member, "removed: hard link (never followed)", std::move(findings));
      case EntryKind::device:
        findings.push_back({"archive.device", "device file"});
        return removed(member, "removed: device file", std::move(findings));
      default:
        findings.push_back({"archive.special-file", "FIFO, socket or unknown member type"});
        return removed(member, "removed: not a regular file", std::move(findings));
    }
  }

  Outcome unreadable(const ArchiveReader& reader) {
    return verdict(Action::removed, "archive removed: not a format mugai can open",
                   {{"archive.unreadable", reader.error()}});
  }

  Outcome damaged(const ArchiveReader& reader) {
    return verdict(Action::removed, "archive removed: damaged or unsupported (" + reader.format_name() + ")",
                   {{"archive.damaged", reader.error()}});
  }

  Outcome breached(const Breach& breach) {
    std::vector<Finding> findings = std::move(member_findings_);
    findings.push_back({breach.code, breach.reason});
    return verdict(Action::removed, breach.reason, std::move(findings));
  }

  // Encrypted content cannot be inspected: the profile decides (hold = stays in quarantine, the
  // recipient's notice explains how to ask for it with the password).
  Outcome encrypted(const ArchiveReader& reader) {
    std::vector<Finding> findings = std::move(member_findings_);
    findings.push_back({"archive.encrypted", "password-protected " + reader.format_name() + " archive"});
    if (!context_.passwords.empty()) {
      const std::string error = reader.error();
      const bool unsupported = !reader.can_decrypt() || error.find("not supported") != std::string::npos;
      findings.push_back({unsupported ? "archive.decryption-unsupported" : "archive.password-incorrect",
                          unsupported ? "libarchive cannot decrypt " + reader.format_name() + ": " + error
                                      : "the given password does not open the archive"});
      return verdict(Action::held,
                     unsupported ? "encrypted " + reader.format_name() + " archive: mugai cannot decrypt this format"
                                 : "password-protected archive: the password is not correct",
                     std::move(findings));
    }
    switch (options_.encrypted) {
      case EncryptedPolicy::remove:
        return verdict(Action::removed, "password-protected archive removed: its content cannot be inspected",
                       std::move(findings));
      case EncryptedPolicy::reject_message: {
        Outcome out = verdict(Action::rejected, "password-protected archives are not accepted", std::move(findings));
        out.rejects_message = true;
        return out;
      }
      case EncryptedPolicy::hold:
        break;
    }
    return verdict(Action::held, "password-protected archive held in quarantine: its content cannot be inspected",
                   std::move(findings));
  }

  Outcome finish(const ArchiveReader& reader, std::optional<ZipWriter>& writer) {
    std::vector<Finding> findings = std::move(member_findings_);
    if (decrypted_)
      findings.push_back({"archive.decrypted", "password-protected archive opened with the password given at release"});
    const std::size_t dropped = total_ - delivered_;
    if (delivered_ == 0)
      return verdict(Action::removed,
                     total_ == 0 ? "archive removed: it holds no files" : "archive removed: none of its files may cross",
                     std::move(findings));
    Outcome out;
    out.action = Action::sanitized;
    out.findings = std::move(findings);
    if (single_) {
      out.bytes = std::move(single_->bytes);
      out.content_type = std::move(single_->content_type);
      out.filename = std::move(single_->filename);
      out.reason = "compressed file unpacked: " + single_->reason;
      return out;
    }
    const std::string counts = std::to_string(delivered_) + " of " + std::to_string(total_) + " files delivered" +
                               (dropped > 0 ? ", " + std::to_string(dropped) + " removed" : "");
    if (!writer) {
      out.action = Action::removed;
      out.reason = "archive (" + reader.format_name() + ") unpacked: " + std::to_string(delivered_) + " of " +
                   std::to_string(total_) + " files attached separately" +
                   (dropped > 0 ? ", " + std::to_string(dropped) + " removed" : "");
      out.extracted = std::move(attached_);
      return out;
    }
    std::optional<std::string> zip = writer->finish();
    if (!zip)
      return verdict(Action::removed, "archive removed: repacking failed", {{"archive.repack-error", writer->error()}});
    out.bytes = std::move(*zip);
    out.content_type = "application/zip";
    out.filename = repacked_name(in_.filename);
    out.reason = "archive (" + reader.format_name() + ") repacked as ZIP: " + counts;
    return out;
  }

  const Part& in_;
  const ArchiveOptions& options_;
  Context& context_;
  ExpansionGuard guard_;
  UniqueNames raw_names_;
  UniqueNames names_;
  std::optional<MemberVerdict> single_;
  std::vector<Finding> member_findings_;
  std::vector<Extracted> attached_;
  bool decrypted_ = false;
  std::size_t total_ = 0;
  std::size_t delivered_ = 0;
};

}  // namespace

bool ArchiveSanitizer::handles(const FileType& type) const {
  return type.cls == TypeClass::archive || type.cls == TypeClass::disk_image;
}

bool ArchiveSanitizer::supports(std::string_view action) const { return action == "extract-and-recurse"; }

Outcome ArchiveSanitizer::run(const Part& in, std::string_view action, const ModuleOptions& options,
                              Context& context) const {
  try {
    if (!supports(action))
      return verdict(Action::removed, "archive module cannot '" + std::string(action) + "'; part removed", {});
    std::string problem;
    const std::optional<ArchiveOptions> parsed = parse_options(options, problem);
    if (!parsed) return verdict(Action::removed, "archive removed: bad rule options", {{"module.options", problem}});
    Expander expander(in, *parsed, context);
    return expander.run();
  } catch (const std::bad_alloc&) {
    return verdict(Action::removed, "archive removed: out of memory while expanding", {{"module.error", "out of memory"}});
  } catch (const std::exception& error) {
    return verdict(Action::removed, "archive removed: module error", {{"module.error", error.what()}});
  } catch (...) {
    return verdict(Action::removed, "archive removed: module error", {{"module.error", "unknown exception"}});
  }
}

}  // namespace mugai::sanitizers::archive
