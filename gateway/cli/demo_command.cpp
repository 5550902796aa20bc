// mugai demo: README command (1)'s first half. Sanitises every mail in a folder (samples/mail by
// default) with the configured default profile and prints one line per mail plus where the
// outputs, reports and quarantined originals are.
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <vector>

#include "cli_support.h"
#include "commands.h"
#include "mugai/core/pipeline.h"
#include "mugai/core/quarantine.h"

namespace mugai::cli {
namespace {

namespace fs = std::filesystem;

std::string summarise_parts(const core::Report& report) {
  std::map<std::string, int> counts;
  for (const core::PartReport& part : report.parts) ++counts[std::string(to_string(part.action))];
  std::string text;
  for (const auto& [action, count] : counts) text += (text.empty() ? "" : ", ") + action + " " + std::to_string(count);
  return text.empty() ? "no parts" : text;
}

}  // namespace

int run_demo(const Args& args) {
  std::string config_path, samples = "samples/mail", out = "out";
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) config_path = args[++i];
    else if (args[i] == "--samples" && i + 1 < args.size()) samples = args[++i];
    else if (args[i] == "--out" && i + 1 < args.size()) out = args[++i];
    else {
      std::cerr << "usage: mugai demo [--config FILE] [--samples DIR] [--out DIR]\n";
      return kExitUsage;
    }
  }
  std::optional<core::Config> config = load_config_or_report(config_path);
  if (!config) return kExitConfig;
  std::vector<fs::path> mails;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(samples, error))
    if (entry.is_regular_file() && entry.path().extension() == ".eml") mails.push_back(entry.path());
  if (error) {
    std::cerr << "mugai demo: cannot read " << samples << ": " << error.message() << "\n";
    return kExitNoInput;
  }
  std::sort(mails.begin(), mails.end());
  fs::create_directories(out);
  core::Quarantine quarantine((fs::path(out) / "quarantine").string());
  const core::Profile& profile = core::select_profile(*config, "", {});
  int delivered = 0, rejected = 0;
  for (const fs::path& mail : mails) {
    std::optional<std::string> input = read_input(mail.string(), config->limits.max_message_bytes);
    if (!input) continue;
    core::Request request;
    request.input = *input;
    const core::Result result = core::sanitise(request, *config, profile);
    const fs::path output = fs::path(out) / mail.filename();
    const fs::path report = fs::path(out) / (mail.stem().string() + ".report.json");
    write_output(report.string(), result.report.to_json() + "\n");
    if (result.delivered) write_output(output.string(), result.output);
    core::QuarantineEntry entry;
    entry.id = result.report.quarantine_id;
    entry.kind = "message";
    entry.profile = profile.name;
    entry.verdict = result.report.verdict;
    entry.size = input->size();
    entry.subject = mail.filename().string();
    entry.report_json = result.report.to_json();
    quarantine.store(*input, entry);
    (result.delivered ? delivered : rejected)++;
    std::cout << std::left << std::setw(10) << result.report.verdict << std::setw(44)
              << mail.filename().string() << " " << summarise_parts(result.report);
    if (!result.delivered) std::cout << "  [" << result.report.rejection_code << ": " << result.report.reason << "]";
    std::cout << "\n";
  }
  std::cout << "\n" << mails.size() << " mails: " << delivered << " delivered, " << rejected
            << " rejected (profile " << profile.name << ")\n"
            << "sanitised mails and reports: " << fs::absolute(out).string() << "/\n"
            << "quarantined originals:       " << fs::absolute(quarantine.directory()).string()
            << "/  (mugai quarantine list --dir " << quarantine.directory() << ")\n";
  return 0;
}

}  // namespace mugai::cli
