#include "mugai/sanitizer.h"

#include <array>
#include <utility>

namespace mugai {
namespace {

constexpr std::array<std::pair<Action, std::string_view>, 6> kActionNames{{
    {Action::kept, "kept"},
    {Action::converted, "converted"},
    {Action::sanitized, "sanitized"},
    {Action::removed, "removed"},
    {Action::rejected, "rejected"},
    {Action::held, "held"},
}};

constexpr std::array<std::pair<TypeClass, std::string_view>, 19> kClassNames{{
    {TypeClass::text, "text"},
    {TypeClass::html, "html"},
    {TypeClass::pdf, "pdf"},
    {TypeClass::ooxml, "ooxml"},
    {TypeClass::ole2, "ole2"},
    {TypeClass::image, "image"},
    {TypeClass::archive, "archive"},
    {TypeClass::disk_image, "disk-image"},
    {TypeClass::message, "message"},
    {TypeClass::executable, "executable"},
    {TypeClass::script, "script"},
    {TypeClass::svg, "svg"},
    {TypeClass::calendar, "calendar"},
    {TypeClass::ichitaro, "ichitaro"},
    {TypeClass::docuworks, "docuworks"},
    {TypeClass::jw_cad, "jw-cad"},
    {TypeClass::cad_exchange, "cad-exchange"},
    {TypeClass::other, "other"},
    {TypeClass::unknown, "unknown"},
}};

template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& [candidate, name] : table)
    if (candidate == value) return name;
  return "unknown";
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& table,
                             std::string_view text) {
  for (const auto& [value, name] : table)
    if (name == text) return value;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Action action) { return name_of(kActionNames, action); }
std::optional<Action> action_from_string(std::string_view text) { return value_of(kActionNames, text); }
std::string_view to_string(TypeClass cls) { return name_of(kClassNames, cls); }
std::optional<TypeClass> type_class_from_string(std::string_view text) {
  return value_of(kClassNames, text);
}

}  // namespace mugai
