// Second independent re-reader for the oracle test: parses one message with GMime 3 directly (not
// through mugai's adapter) and prints its MIME tree like mimetic_reader, "<depth>\t<type>/<subtype>",
// pre-order, message/rfc822 descended into. Every parser warning is printed as "!\t<code>\t<item>":
// a message mugai emits must give none. Exit 0 = parsed, 1 = GMime returned no message, 64 = usage.
#include <fcntl.h>

#include <cstdio>
#include <string>

#include <gmime/gmime.h>

namespace {

void on_warning(gint64 offset, GMimeParserWarning code, const gchar* item, gpointer) {
  std::printf("!\t%d\t%lld\t%s\n", static_cast<int>(code), static_cast<long long>(offset), item ? item : "");
}

std::string lower(const char* text) {
  std::string out = text ? text : "";
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

void print_tree(GMimeObject* object, int depth) {
  if (!object) return;
  GMimeContentType* type = g_mime_object_get_content_type(object);
  std::printf("%d\t%s/%s\n", depth, lower(g_mime_content_type_get_media_type(type)).c_str(),
              lower(g_mime_content_type_get_media_subtype(type)).c_str());
  if (GMIME_IS_MULTIPART(object)) {
    GMimeMultipart* multipart = GMIME_MULTIPART(object);
    const int count = g_mime_multipart_get_count(multipart);
    for (int i = 0; i < count; ++i) print_tree(g_mime_multipart_get_part(multipart, i), depth + 1);
  } else if (GMIME_IS_MESSAGE_PART(object)) {
    GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
    if (inner) print_tree(g_mime_message_get_mime_part(inner), depth + 1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: gmime_reader MESSAGE\n");
    return 64;
  }
  g_mime_init();
  GMimeStream* stream = g_mime_stream_fs_open(argv[1], O_RDONLY, 0, nullptr);
  if (!stream) {
    std::fprintf(stderr, "gmime_reader: cannot open %s\n", argv[1]);
    return 1;
  }
  GMimeParserOptions* options = g_mime_parser_options_new();
  g_mime_parser_options_set_warning_callback(options, on_warning, nullptr);
  GMimeParser* parser = g_mime_parser_new_with_stream(stream);
  GMimeMessage* message = g_mime_parser_construct_message(parser, options);
  int status = 0;
  if (!message || !g_mime_message_get_mime_part(message)) {
    std::fprintf(stderr, "gmime_reader: GMime returned no message\n");
    status = 1;
  } else {
    print_tree(g_mime_message_get_mime_part(message), 0);
  }
  if (message) g_object_unref(message);
  g_object_unref(parser);
  g_object_unref(stream);
  g_mime_parser_options_free(options);
  g_mime_shutdown();
  return status;
}
