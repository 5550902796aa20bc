// Independent re-reader for the oracle test: parses one message with mimetic (not the parser mugai
// uses) and prints its MIME tree, one entity per line: "<depth>\t<type>/<subtype>", pre-order,
// message/rfc822 bodies descended into. Exit 0 = parsed, 1 = mimetic threw or found no entity,
// 64 = usage. Only ever run on mugai's OUTPUT: mimetic is not safe on hostile input (DESIGN §9).
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include <mimetic/mimetic.h>

namespace {

std::string lower(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

void print_tree(const mimetic::MimeEntity& entity, int depth) {
  const mimetic::ContentType& type = entity.header().contentType();
  std::string media = lower(std::string(type.type().c_str())) + "/" + lower(std::string(type.subtype().c_str()));
  if (media == "/") media = "text/plain";  // RFC 2045 default, as Python's email reports it
  std::cout << depth << '\t' << media << '\n';
  for (const mimetic::MimeEntity* child : entity.body().parts()) print_tree(*child, depth + 1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: mimetic_reader MESSAGE\n";
    return 64;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << "mimetic_reader: cannot open " << argv[1] << '\n';
    return 1;
  }
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    mimetic::MimeEntity entity(bytes.begin(), bytes.end());
    if (entity.header().empty()) {
      std::cerr << "mimetic_reader: no header fields parsed\n";
      return 1;
    }
    print_tree(entity, 0);
  } catch (const std::exception& error) {
    std::cerr << "mimetic_reader: " << error.what() << '\n';
    return 1;
  } catch (...) {
    std::cerr << "mimetic_reader: unknown exception\n";
    return 1;
  }
  return 0;
}
