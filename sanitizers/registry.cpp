#include "mugai/registry.h"

#include <array>
#include <memory>
#include <mutex>
#include <vector>

#include "archive/archive_sanitizer.h"
#include "html/html_sanitizer.h"
#include "image/image_sanitizer.h"
#include "ole2/ole2_sanitizer.h"
#include "ooxml/ooxml_sanitizer.h"
#include "pdf/pdf_sanitizer.h"
#include "text/text_sanitizer.h"
#ifdef MUGAI_TEST_MODULES
#include "testfault/testfault_sanitizer.h"
#endif

namespace mugai::sanitizers {
namespace {

// The one list of built-in modules, in the order module_for() tries them.
const text::TextSanitizer kText;
const html::HtmlSanitizer kHtml;
const archive::ArchiveSanitizer kArchive;
const pdf::PdfSanitizer kPdf;
const image::ImageSanitizer kImage;
const ooxml::OoxmlSanitizer kOoxml;
const ole2::Ole2Sanitizer kOle2;
#ifdef MUGAI_TEST_MODULES
// Test builds only: a module that crashes, loops or allocates on a magic input (README.md).
const testfault::TestFaultSanitizer kTestFault;
constexpr std::array<const Sanitizer*, 8> kModules{&kText, &kHtml, &kPdf, &kImage, &kOoxml, &kOle2, &kArchive, &kTestFault};
#else
constexpr std::array<const Sanitizer*, 7> kModules{&kText, &kHtml, &kPdf, &kImage, &kOoxml, &kOle2, &kArchive};
#endif

// Run-time modules (plug-ins). Registered while a configuration loads (start-up, SIGHUP) and
// looked up by session threads: guarded. Never removed, so returned pointers stay valid.
struct RuntimeModules {
  std::mutex mutex;
  std::vector<std::unique_ptr<Sanitizer>> modules;
};

RuntimeModules& runtime() {
  static RuntimeModules instance;
  return instance;
}

}  // namespace

std::span<const Sanitizer* const> builtin_modules() { return kModules; }

std::vector<const Sanitizer*> all_modules() {
  std::vector<const Sanitizer*> modules(kModules.begin(), kModules.end());
  std::lock_guard lock(runtime().mutex);
  for (const auto& module : runtime().modules) modules.push_back(module.get());
  return modules;
}

const Sanitizer* find_module(std::string_view name) {
  for (const Sanitizer* module : kModules)
    if (module->name() == name) return module;
  std::lock_guard lock(runtime().mutex);
  for (const auto& module : runtime().modules)
    if (module->name() == name) return module.get();
  return nullptr;
}

bool register_runtime_module(std::unique_ptr<Sanitizer> module) {
  if (!module || find_module(module->name()) != nullptr) return false;
  std::lock_guard lock(runtime().mutex);
  runtime().modules.push_back(std::move(module));
  return true;
}

const Sanitizer* module_for(const FileType& type, std::string_view action) {
  for (const Sanitizer* module : kModules)
    if (module->handles(type) && module->supports(action)) return module;
  return nullptr;
}

}  // namespace mugai::sanitizers
