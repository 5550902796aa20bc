// Sample maker for the Office tests (not part of mugai): writes OLE2 compound files with libgsf.
//   ole_tool vba-project OUT CODE_FILE [MODULE]        vbaProject.bin (as in docm/xlsm)
//   ole_tool add-vba IN OUT STORAGE CODE_FILE [MODULE] IN + STORAGE/{VBA,PROJECT,PROJECTwm}
//                                                       (Word: Macros, Excel: _VBA_PROJECT_CUR)
//   ole_tool streams OUT NAME=FILE...                   a compound file with these root streams
//                                                       (\xNN in NAME for control characters)
// The VBA project follows MS-OVBA: _VBA_PROJECT (version 0xFFFF: no performance cache), a dir
// stream of records, a module stream holding the source, all in MS-OVBA compressed containers
// (chunks of literal tokens, which is valid compression: every flag byte says "8 literals").
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-stdio.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-stdio.h>
#include <gsf/gsf-utils.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void put16(std::string& out, std::uint16_t value) {
  out.push_back(static_cast<char>(value & 0xFF));
  out.push_back(static_cast<char>(value >> 8));
}

void put32(std::string& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

std::string utf16(const std::string& ascii) {
  std::string out;
  for (char c : ascii) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

void record(std::string& out, std::uint16_t id, const std::string& data) {
  put16(out, id);
  put32(out, static_cast<std::uint32_t>(data.size()));
  out += data;
}

std::string u32(std::uint32_t value) {
  std::string out;
  put32(out, value);
  return out;
}

std::string u16(std::uint16_t value) {
  std::string out;
  put16(out, value);
  return out;
}

// MS-OVBA 2.4.1 compressed container, literal tokens only. Chunks hold up to 4096 bytes of
// data; a literal-only chunk of 4096 bytes would exceed the 4098-byte chunk limit, so inputs
// are limited to one chunk's worth that fits (3640 bytes): enough for sample macros.
std::string compress(const std::string& data) {
  if (data.size() > 3640) {
    std::cerr << "ole_tool: source too long for a literal-only chunk\n";
    std::exit(1);
  }
  std::string payload;
  for (std::size_t at = 0; at < data.size(); at += 8) {
    payload.push_back('\0');  // flag byte: next 8 tokens are literals
    payload += data.substr(at, 8);
  }
  std::string out(1, '\x01');
  const std::uint16_t header = static_cast<std::uint16_t>((payload.size() + 2 - 3) | (0x3 << 12) | 0x8000);
  put16(out, header);
  return out + payload;
}

std::string dir_stream(const std::string& module) {
  std::string d;
  record(d, 0x0001, u32(1));        // PROJECTSYSKIND: win32
  record(d, 0x0002, u32(0x0409));   // PROJECTLCID
  record(d, 0x0014, u32(0x0409));   // PROJECTLCIDINVOKE
  record(d, 0x0003, u16(1252));     // PROJECTCODEPAGE
  record(d, 0x0004, "VBAProject");  // PROJECTNAME
  record(d, 0x0005, "");            // PROJECTDOCSTRING
  record(d, 0x0040, "");
  record(d, 0x0006, "");  // PROJECTHELPFILEPATH
  record(d, 0x003D, "");
  record(d, 0x0007, u32(0));  // PROJECTHELPCONTEXT
  record(d, 0x0008, u32(0));  // PROJECTLIBFLAGS
  put16(d, 0x0009);           // PROJECTVERSION: reserved size 4, major, minor
  put32(d, 4);
  put32(d, 1);
  put16(d, 0);
  record(d, 0x000C, "");  // PROJECTCONSTANTS
  record(d, 0x003C, "");
  record(d, 0x000F, u16(1));       // PROJECTMODULES: count
  record(d, 0x0013, u16(0xFFFF));  // PROJECTCOOKIE
  record(d, 0x0019, module);       // MODULENAME
  record(d, 0x0047, utf16(module));
  record(d, 0x001A, module);  // MODULESTREAMNAME
  record(d, 0x0032, utf16(module));
  record(d, 0x001C, "");  // MODULEDOCSTRING
  record(d, 0x0048, "");
  record(d, 0x0031, u32(0));       // MODULEOFFSET: source starts at byte 0 of the stream
  record(d, 0x001E, u32(0));       // MODULEHELPCONTEXT
  record(d, 0x002C, u16(0xFFFF));  // MODULECOOKIE
  record(d, 0x0021, "");           // MODULETYPE: procedural
  record(d, 0x002B, "");           // module terminator
  record(d, 0x0010, "");           // dir terminator
  return compress(d);
}

void write_stream(GsfOutfile* parent, const char* name, const std::string& bytes) {
  GsfOutput* stream = gsf_outfile_new_child(parent, name, FALSE);
  gsf_output_write(stream, bytes.size(), reinterpret_cast<const guint8*>(bytes.data()));
  gsf_output_close(stream);
  g_object_unref(stream);
}

void write_project(GsfOutfile* at, const std::string& code, const std::string& module) {
  GsfOutfile* vba = GSF_OUTFILE(gsf_outfile_new_child(at, "VBA", TRUE));
  write_stream(vba, "_VBA_PROJECT", std::string("\xCC\x61\xFF\xFF\x00\x00\x00", 7));
  write_stream(vba, "dir", dir_stream(module));
  write_stream(vba, module.c_str(), compress("Attribute VB_Name = \"" + module + "\"\r\n" + code));
  gsf_output_close(GSF_OUTPUT(vba));
  g_object_unref(vba);
  write_stream(at, "PROJECT",
               "ID=\"{00000000-0000-0000-0000-000000000000}\"\r\nModule=" + module +
                   "\r\nName=\"VBAProject\"\r\nHelpContextID=\"0\"\r\nVersionCompatible32=\"393222000\"\r\n"
                   "CMG=\"\"\r\nDPB=\"\"\r\nGC=\"\"\r\n\r\n[Host Extender Info]\r\n"
                   "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000\r\n");
  write_stream(at, "PROJECTwm", module + std::string(1, '\0') + utf16(module) + std::string(4, '\0'));
}

void copy_tree(GsfInfile* in, GsfOutfile* out) {
  guint8 clsid[16];
  if (gsf_infile_msole_get_class_id(GSF_INFILE_MSOLE(in), clsid))
    gsf_outfile_msole_set_class_id(GSF_OUTFILE_MSOLE(out), clsid);
  for (int i = 0; i < gsf_infile_num_children(in); ++i) {
    GsfInput* child = gsf_infile_child_by_index(in, i);
    const bool dir = GSF_IS_INFILE(child) && gsf_infile_num_children(GSF_INFILE(child)) >= 0;
    GsfOutput* target = gsf_outfile_new_child(out, gsf_infile_name_by_index(in, i), dir);
    if (dir) {
      copy_tree(GSF_INFILE(child), GSF_OUTFILE(target));
    } else {
      std::string bytes(static_cast<std::size_t>(gsf_input_size(child)), '\0');
      if (!bytes.empty()) gsf_input_read(child, bytes.size(), reinterpret_cast<guint8*>(bytes.data()));
      gsf_output_write(target, bytes.size(), reinterpret_cast<const guint8*>(bytes.data()));
    }
    gsf_output_close(target);
    g_object_unref(target);
    g_object_unref(child);
  }
}

std::string unescape(const std::string& name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '\\' && i + 3 < name.size() && name[i + 1] == 'x') {
      out.push_back(static_cast<char>(std::stoi(name.substr(i + 2, 2), nullptr, 16)));
      i += 3;
    } else {
      out.push_back(name[i]);
    }
  }
  return out;
}

GsfOutfile* new_compound_file(const char* path) {
  GError* error = nullptr;
  GsfOutput* sink = gsf_output_stdio_new(path, &error);
  if (!sink) {
    std::cerr << "ole_tool: cannot write " << path << "\n";
    std::exit(1);
  }
  GsfOutfile* root = gsf_outfile_msole_new(sink);
  g_object_unref(sink);
  return root;
}

void finish(GsfOutfile* root) {
  gsf_output_close(GSF_OUTPUT(root));
  g_object_unref(root);
}

}  // namespace

int main(int argc, char** argv) {
  gsf_init();
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "vba-project" && argc >= 4) {
    GsfOutfile* root = new_compound_file(argv[2]);
    write_project(root, read_file(argv[3]), argc > 4 ? argv[4] : "Module1");
    finish(root);
    return 0;
  }
  if (command == "add-vba" && argc >= 6) {
    GError* error = nullptr;
    GsfInput* input = gsf_input_stdio_new(argv[2], &error);
    GsfInfile* in = input ? gsf_infile_msole_new(input, &error) : nullptr;
    if (!in) {
      std::cerr << "ole_tool: " << argv[2] << " is not a compound file\n";
      return 1;
    }
    GsfOutfile* root = new_compound_file(argv[3]);
    copy_tree(in, root);
    GsfOutfile* storage = GSF_OUTFILE(gsf_outfile_new_child(root, argv[4], TRUE));
    write_project(storage, read_file(argv[5]), argc > 6 ? argv[6] : "Module1");
    gsf_output_close(GSF_OUTPUT(storage));
    g_object_unref(storage);
    finish(root);
    g_object_unref(in);
    g_object_unref(input);
    return 0;
  }
  if (command == "streams" && argc >= 4) {
    GsfOutfile* root = new_compound_file(argv[2]);
    for (int i = 3; i < argc; ++i) {
      const std::string spec = argv[i];
      const std::size_t eq = spec.find('=');
      write_stream(root, unescape(spec.substr(0, eq)).c_str(), read_file(spec.substr(eq + 1).c_str()));
    }
    finish(root);
    return 0;
  }
  std::cerr << "usage: ole_tool vba-project OUT CODE [MODULE] | add-vba IN OUT STORAGE CODE [MODULE] | "
               "streams OUT NAME=FILE...\n";
  return 2;
}
