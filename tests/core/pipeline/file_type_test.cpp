#include <catch2/catch.hpp>

#include <string>

#include "mugai/core/file_type.h"

using mugai::TypeClass;
using mugai::core::identify;

namespace {

// A minimal PE: MZ header whose e_lfanew points at a "PE\0\0" signature and a COFF header.
std::string minimal_pe() {
  std::string pe(512, '\0');
  pe[0] = 'M';
  pe[1] = 'Z';
  pe[0x3C] = static_cast<char>(0x80);
  pe.replace(0x80, 4, std::string("PE\0\0", 4));
  pe[0x84] = static_cast<char>(0x4C);  // i386
  pe[0x85] = static_cast<char>(0x01);
  pe[0x86] = 1;                        // one section
  pe[0x94] = static_cast<char>(0xE0);  // optional header size
  pe[0x96] = 0x02;                     // executable image
  pe[0x98] = 0x0B;                     // PE32 magic 0x10B
  pe[0x99] = 0x01;
  return pe;
}

}  // namespace

TEST_CASE("executables are recognised by content", "[file_type]") {
  CHECK(identify(minimal_pe()).cls == TypeClass::executable);
  std::string elf = std::string("\x7F" "ELF\x02\x01\x01", 7) + std::string(57, '\0');
  elf[16] = 2;  // ET_EXEC
  elf[18] = 0x3E;
  CHECK(identify(elf).cls == TypeClass::executable);
}

TEST_CASE("common document and archive types", "[file_type]") {
  CHECK(identify("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n").cls == TypeClass::pdf);
  CHECK(identify(std::string("PK\x05\x06", 4) + std::string(18, '\0')).cls == TypeClass::archive);
  CHECK(identify("\x89PNG\r\n\x1A\n" + std::string("\0\0\0\rIHDR", 8) + std::string(17, '\0')).cls ==
        TypeClass::image);
  CHECK(identify("Hello, this is plain text.\n").cls == TypeClass::text);
  CHECK(identify("<html><body><p>hi</p></body></html>\n").cls == TypeClass::html);
  CHECK(identify("#!/bin/sh\nrm -rf /\n").cls == TypeClass::script);
  CHECK(identify("").cls == TypeClass::text);
}

TEST_CASE("MIME names map to classes", "[file_type]") {
  using mugai::core::classify_mime;
  CHECK(classify_mime("application/vnd.openxmlformats-officedocument.wordprocessingml.document") ==
        TypeClass::ooxml);
  CHECK(classify_mime("application/vnd.ms-excel.sheet.macroEnabled.12") == TypeClass::ooxml);
  CHECK(classify_mime("application/x-iso9660-image") == TypeClass::disk_image);
  CHECK(classify_mime("image/svg+xml") == TypeClass::svg);  // its own class: crosses only rasterised
  CHECK(classify_mime("application/x-ms-shortcut") == TypeClass::executable);
  CHECK(classify_mime("application/octet-stream") == TypeClass::unknown);
  CHECK(classify_mime("application/x-foo") == TypeClass::other);
}
