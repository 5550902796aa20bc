// A v1 plug-in table as a Sanitizer: converts the C input/result, checks everything the plug-in
// hands back (action in range, output size, strings), and always calls free_result.
#include <cstring>
#include <string>
#include <vector>

#include "plugin_loader.h"

namespace mugai::sanitizers::plugin {
namespace {

bool valid_name(const char* name) {
  if (name == nullptr) return false;
  const std::size_t size = std::strlen(name);
  if (size == 0 || size > 40) return false;
  for (std::size_t i = 0; i < size; ++i) {
    const char c = name[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

std::string text(const char* value, std::size_t limit = 1000) {
  if (value == nullptr) return "";
  return std::string(value, strnlen(value, limit));
}

bool type_matches(std::string_view pattern, std::string_view mime) {
  if (pattern.ends_with("/*")) return mime.starts_with(pattern.substr(0, pattern.size() - 1));
  return pattern == mime;
}

// Name, types and actions as the table declares them; what rules are checked against.
class DescribedModule : public Sanitizer {
 public:
  explicit DescribedModule(PluginDescription description) : description_(std::move(description)) {}

  std::string_view name() const override { return description_.name; }

  bool handles(const FileType& type) const override {
    for (const std::string& pattern : description_.mime_types)
      if (type_matches(pattern, type.mime)) return true;
    return false;
  }

  bool supports(std::string_view action) const override {
    for (const std::string& known : description_.actions)
      if (known == action) return true;
    return false;
  }

  // Only reached if a process that described the plug-in ran the pipeline itself: fail closed.
  Outcome run(const Part&, std::string_view, const ModuleOptions&, Context&) const override {
    Outcome outcome;
    outcome.action = Action::removed;
    outcome.reason = description_.name + ": plug-ins run only in the isolated workers";
    outcome.findings.push_back({"module.error", "plug-in not loaded in this process"});
    return outcome;
  }

 protected:
  PluginDescription description_;
};

class PluginModule final : public DescribedModule {
 public:
  explicit PluginModule(const mugai_plugin_v1_table& table) : DescribedModule(describe(table)), table_(table) {}

  Outcome run(const Part& in, std::string_view action, const ModuleOptions& options, Context& context) const override {
    std::vector<mugai_plugin_option> c_options;
    for (const auto& [key, value] : options) c_options.push_back({key.c_str(), value.c_str()});
    const std::string action_text(action);
    mugai_plugin_input input{};
    input.bytes = reinterpret_cast<const uint8_t*>(in.bytes.data());
    input.size = in.bytes.size();
    input.filename = in.filename.c_str();
    input.declared_type = in.declared_type.c_str();
    input.detected_type = in.detected.mime.c_str();
    input.action = action_text.c_str();
    input.options = c_options.data();
    input.option_count = c_options.size();
    input.max_output_bytes = context.limits.max_decoded_bytes;

    mugai_plugin_result result{};
    const int32_t status = table_.sanitize(&input, &result);
    Outcome outcome = convert(status, result, in, input.max_output_bytes);
    table_.free_result(&result);
    return outcome;
  }

 private:
  Outcome convert(int32_t status, const mugai_plugin_result& result, const Part& in, uint64_t max_output) const {
    Outcome outcome;
    outcome.reason = text(result.reason);
    for (std::size_t i = 0; result.findings != nullptr && i < result.finding_count && i < 1000; ++i)
      outcome.findings.push_back({text(result.findings[i].code, 100), text(result.findings[i].detail)});
    const auto removed = [&](std::string why) {
      outcome.action = Action::removed;
      outcome.bytes.clear();
      outcome.reason = description_.name + ": " + why;
      return outcome;
    };
    if (status != 0) return removed("failed" + (outcome.reason.empty() ? std::string() : " (" + outcome.reason + ")"));
    switch (result.action) {
      case MUGAI_PLUGIN_KEPT:
        outcome.action = Action::kept;
        outcome.bytes = std::string(in.bytes);
        outcome.content_type = in.detected.mime;
        break;
      case MUGAI_PLUGIN_SANITIZED:
        if (result.output == nullptr && result.output_size != 0) return removed("output missing");
        if (result.output_size > max_output) return removed("output larger than allowed");
        outcome.action = Action::sanitized;
        outcome.bytes.assign(reinterpret_cast<const char*>(result.output), result.output_size);
        outcome.content_type = result.content_type ? text(result.content_type, 200) : in.detected.mime;
        break;
      case MUGAI_PLUGIN_REMOVED: outcome.action = Action::removed; break;
      case MUGAI_PLUGIN_REJECTED: outcome.action = Action::rejected; break;
      default: return removed("unknown action " + std::to_string(result.action));
    }
    if (outcome.content_type.starts_with("text/")) outcome.charset = "utf-8";
    if (outcome.reason.empty()) outcome.reason = description_.name + ": " + std::string(to_string(outcome.action));
    return outcome;
  }

  mugai_plugin_v1_table table_;
};

bool valid_word(const std::string& word) {
  return !word.empty() && word.size() <= 200 &&
         word.find_first_of(std::string_view("\0\r\n", 3)) == std::string::npos;
}

}  // namespace

std::string table_problem(const mugai_plugin_v1_table* table) {
  if (table == nullptr) return "mugai_plugin_v1() returned NULL";
  if (table->abi_version != MUGAI_PLUGIN_ABI_VERSION)
    return "plug-in ABI version " + std::to_string(table->abi_version) + ", this mugai supports version " +
           std::to_string(MUGAI_PLUGIN_ABI_VERSION) + " only (mugai/plugin.h); rebuild the plug-in against it";
  if (table->table_size < sizeof(mugai_plugin_v1_table)) return "table_size smaller than the v1 table";
  if (!valid_name(table->name)) return "name must be 1-40 characters of [a-z0-9-]";
  if (table->mime_types == nullptr || table->mime_types[0] == nullptr) return "no mime_types";
  if (table->actions == nullptr || table->actions[0] == nullptr) return "no actions";
  if (table->sanitize == nullptr || table->free_result == nullptr) return "sanitize or free_result missing";
  return "";
}

std::unique_ptr<Sanitizer> make_plugin_module(const mugai_plugin_v1_table& table) {
  return std::make_unique<PluginModule>(table);
}

PluginDescription describe(const mugai_plugin_v1_table& table) {
  PluginDescription description;
  description.name = text(table.name, 100);
  for (const char* const* type = table.mime_types; type && *type && description.mime_types.size() < 100; ++type)
    description.mime_types.push_back(text(*type, 200));
  for (const char* const* action = table.actions; action && *action && description.actions.size() < 100; ++action)
    description.actions.push_back(text(*action, 200));
  return description;
}

std::string description_problem(const PluginDescription& description) {
  if (!valid_name(description.name.c_str())) return "name must be 1-40 characters of [a-z0-9-]";
  if (description.mime_types.empty() || description.mime_types.size() > 100) return "no mime_types (or over 100)";
  if (description.actions.empty() || description.actions.size() > 100) return "no actions (or over 100)";
  for (const auto* list : {&description.mime_types, &description.actions})
    for (const std::string& word : *list)
      if (!valid_word(word)) return "a mime type or action is empty, too long or has control characters";
  return "";
}

std::unique_ptr<Sanitizer> make_described_module(PluginDescription description) {
  return std::make_unique<DescribedModule>(std::move(description));
}

}  // namespace mugai::sanitizers::plugin
