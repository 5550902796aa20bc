// The last step of every `flatten`: the PDF LibreOffice wrote goes through the `pdf` module's
// strip-active (looked up in the registry by name), so a flattened Office file is held to the
// same rules as a PDF that arrived as such. Without a `pdf` module the result is removed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "libreoffice/soffice_runner.h"
#include "mugai/sanitizer.h"

namespace mugai::sanitizers::libreoffice {

// The removal verdict when no `pdf` module is registered (checked before LibreOffice runs, so
// no conversion is wasted), or nullopt when flatten can proceed.
std::optional<Outcome> without_pdf_module(std::string_view what);

// `what` names the source for reasons ("Word document"); `pdf_name` is the output file name.
Outcome finish_as_pdf(std::string pdf, std::string_view what, std::string pdf_name, Context& context);

// Outcome{removed} for a conversion that did not produce bytes, with a `libreoffice.*` finding.
Outcome conversion_failed(const ConversionResult& result, std::string_view what);

}  // namespace mugai::sanitizers::libreoffice
