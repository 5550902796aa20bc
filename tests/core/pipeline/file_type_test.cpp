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

TEST_CASE("Japanese text that libmagic guesses is a DOS .COM program is text", "[file_type]") {
  // "検査結果の報告" in CP932 starts 0x8C 0x9F (MOV r/m16, Sreg): libmagic 5.44 says
  // "DOS executable (COM), start instruction 0x8c9f8db8 8c8b89ca".
  const std::string cp932 = "\x8C\x9F\x8D\xB8\x8C\x8B\x89\xCA\x82\xCC\x95\xF1\x8D\x90\r\n"
                            "\x93\xF1\x8D\x73\x96\xDA\x82\xC5\x82\xB7\r\n";
  const mugai::FileType sjis = identify(cp932);
  CHECK(sjis.cls == TypeClass::text);
  CHECK(sjis.description.find("libmagic guessed: DOS executable (COM") != std::string::npos);
  // "検査" in EUC-JP starts 0xB8 (MOV AX, imm16).
  CHECK(identify("\xB8\xA1\xBA\xBA\r\n\xA5\xC6\xA5\xB9\xA5\xC8\r\n").cls == TypeClass::text);
}

TEST_CASE("a .COM guess with machine-code bytes stays executable", "[file_type]") {
  // The same first instruction followed by what a program has: control bytes, an INT 21h call.
  const std::string program = "\x8C\x9F\x8D\xB8\x8C\x8B\x89\xCA\xB4\x09\xBA\x0E\x01\xCD\x21\xB8\x00\x4C\xCD\x21";
  const mugai::FileType type = identify(program);
  CHECK(type.cls == TypeClass::executable);
  // A CP932 text whose bytes do not all decode is not given the benefit of the doubt.
  CHECK(identify("\x8C\x9F\x8D\xB8\x8C\x8B\x89\xCA\x82\xCC\x95\xF1\x8D\x90\xFF\xFF\r\n").cls != TypeClass::text);
}
