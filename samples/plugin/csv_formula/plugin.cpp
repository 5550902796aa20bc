// The mugai plug-in wrapper (ABI v1, mugai/plugin.h) around csv_formula::defuse: the one exported
// symbol is mugai_plugin_v1(). Nothing here throws across the C boundary.
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "csv_formula.h"
#include "mugai/plugin.h"

namespace {

// Everything the result points into, freed by free_result.
struct Owned {
  std::string output;
  std::string reason;
  std::string detail;
  mugai_plugin_finding finding{};
};

int32_t sanitize(const mugai_plugin_input* input, mugai_plugin_result* result) {
  if (input == nullptr || result == nullptr) return 1;
  *result = mugai_plugin_result{};
  Owned* owned = new (std::nothrow) Owned;
  if (owned == nullptr) return 1;
  result->plugin_private = owned;
  try {
    const std::string_view bytes(reinterpret_cast<const char*>(input->bytes), input->size);
    csv_formula::Defused defused = csv_formula::defuse(bytes);
    if (!defused.ok) {
      owned->reason = "not readable as CSV: " + defused.error;
      result->reason = owned->reason.c_str();
      result->action = MUGAI_PLUGIN_REMOVED;
      return 0;
    }
    if (defused.cells_changed == 0) {
      owned->reason = "no formula cells";
      result->reason = owned->reason.c_str();
      result->action = MUGAI_PLUGIN_KEPT;
      return 0;
    }
    if (defused.output.size() > input->max_output_bytes) {
      owned->reason = "output over the size limit";
      result->reason = owned->reason.c_str();
      return 1;
    }
    owned->output = std::move(defused.output);
    owned->reason = std::to_string(defused.cells_changed) + " formula cell(s) defused with a leading apostrophe";
    owned->detail = owned->reason;
    owned->finding = {"csv-formula.defused", owned->detail.c_str()};
    result->action = MUGAI_PLUGIN_SANITIZED;
    result->output = reinterpret_cast<uint8_t*>(owned->output.data());
    result->output_size = owned->output.size();
    result->content_type = "text/csv";
    result->reason = owned->reason.c_str();
    result->findings = &owned->finding;
    result->finding_count = 1;
    return 0;
  } catch (...) {
    return 1;
  }
}

void free_result(mugai_plugin_result* result) {
  if (result == nullptr) return;
  delete static_cast<Owned*>(result->plugin_private);
  *result = mugai_plugin_result{};
}

const char* const kTypes[] = {"text/csv", "text/plain", "application/csv", nullptr};
const char* const kActions[] = {"strip-active", nullptr};

const mugai_plugin_v1_table kTable{MUGAI_PLUGIN_ABI_VERSION, sizeof(mugai_plugin_v1_table), "csv-formula",
                                   kTypes, kActions, sanitize, free_result};

}  // namespace

extern "C" __attribute__((visibility("default"))) const mugai_plugin_v1_table* mugai_plugin_v1(void) {
  return &kTable;
}
