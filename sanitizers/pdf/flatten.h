// `flatten` (画像化) for PDFs: the document is first rewritten by strip-active (so the renderer
// never sees JavaScript, embedded files or encryption), then poppler's `pdftoppm` renders every
// page to JPEG at `dpi` as a subprocess (libreoffice/sandboxed_process.h: private directory, no
// network, process group killed at the deadline), and qpdf builds a new PDF with one page per
// image (a DCTDecode image XObject drawn over the original MediaBox). Page count and page sizes
// are kept; text, links, forms and metadata are gone by construction.
#pragma once

#include <string_view>

#include "pdf/pdf_options.h"
#include "pdf/strip_active.h"

namespace mugai::sanitizers::pdf {

PdfResult flatten(std::string_view bytes, const PdfOptions& options, const Context& context);

}  // namespace mugai::sanitizers::pdf
