#include "ole2/compound_file.h"

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-memory.h>
#include <gsf/gsf-utils.h>

#include <array>
#include <memory>
#include <mutex>
#include <utility>

namespace mugai::sanitizers::ole2 {
namespace {

void ignore_log(const gchar*, GLogLevelFlags, const gchar*, gpointer) {}

// libgsf reports every oddity of a hostile file on stderr through g_log; the verdict carries
// what matters, so its chatter is dropped (it would also end up in the gateway's mail log).
void init_gsf() {
  static std::once_flag once;
  std::call_once(once, [] {
    gsf_init();
    const auto levels =
        static_cast<GLogLevelFlags>(G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION);
    for (const char* domain : {"libgsf", "libgsf:msole", "libgsf:utils"})
      g_log_set_handler(domain, levels, ignore_log, nullptr);
  });
}

void close_once(GsfOutput* output) {
  if (output && !gsf_output_is_closed(output)) gsf_output_close(output);
}

// GObject references, released on scope exit.
template <typename T>
class Ref {
 public:
  explicit Ref(T* object = nullptr) : object_(object) {}
  ~Ref() {
    if (object_) g_object_unref(object_);
  }
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
  Ref(Ref&& other) noexcept : object_(std::exchange(other.object_, nullptr)) {}
  Ref& operator=(Ref&&) = delete;
  T* get() const { return object_; }
  explicit operator bool() const { return object_ != nullptr; }

 private:
  T* object_;
};

GsfInfile* open_root(GsfInput* input, std::string& error) {
  GError* failure = nullptr;
  GsfInfile* root = input ? gsf_infile_msole_new(input, &failure) : nullptr;
  if (!root) error = failure && failure->message ? failure->message : "not an OLE2 compound file";
  if (failure) g_error_free(failure);
  return root;
}

struct Opened {
  std::string error;  // first: set while `root` is initialised
  Ref<GsfInput> input;
  Ref<GsfInfile> root;
  explicit Opened(std::string_view bytes)
      : input((init_gsf(), gsf_input_memory_new(reinterpret_cast<const guint8*>(bytes.data()),
                                                static_cast<gsf_off_t>(bytes.size()), FALSE))),
        root(open_root(input.get(), error)) {}
};

std::unique_ptr<Opened> open(std::string_view bytes) { return std::make_unique<Opened>(bytes); }

bool is_storage(GsfInput* child) {
  return GSF_IS_INFILE(child) && gsf_infile_num_children(GSF_INFILE(child)) >= 0;
}

struct Walker {
  const TreeBounds& bounds;
  const Context& context;
  Tree tree;

  bool walk(GsfInfile* storage, const std::string& prefix, int depth) {
    if (depth > bounds.max_depth) {
      tree.failure =
          Finding{"limit.ole2-depth", "storages nested deeper than " + std::to_string(bounds.max_depth)};
      return false;
    }
    const int count = gsf_infile_num_children(storage);
    for (int i = 0; i < count; ++i) {
      if (tree.entries.size() >= bounds.max_entries) {
        tree.failure =
            Finding{"limit.ole2-entries", "more than " + std::to_string(bounds.max_entries) + " entries"};
        return false;
      }
      if (context.expired()) {
        tree.failure = Finding{"limit.max-seconds", "deadline passed while reading the compound file"};
        return false;
      }
      const char* raw = gsf_infile_name_by_index(storage, i);
      Ref<GsfInput> child(gsf_infile_child_by_index(storage, i));
      if (!raw || !child) continue;
      Entry entry;
      entry.name = raw;
      entry.path = prefix.empty() ? entry.name : prefix + "/" + entry.name;
      entry.storage = is_storage(child.get());
      entry.size = entry.storage ? 0 : static_cast<std::uint64_t>(gsf_input_size(child.get()));
      entry.depth = depth;
      tree.entries.push_back(entry);
      if (entry.storage && !walk(GSF_INFILE(child.get()), entry.path, depth + 1)) return false;
    }
    return true;
  }
};

struct Copier {
  const std::function<bool(const Entry&)>& drop;
  const TreeBounds& bounds;
  const Context& context;
  std::uint64_t copied = 0;
  std::string error;

  bool copy_stream(GsfInput* in, GsfOutput* out) {
    std::array<guint8, 64 * 1024> buffer{};
    gsf_off_t left = gsf_input_size(in);
    while (left > 0) {
      const gsf_off_t chunk = std::min<gsf_off_t>(left, static_cast<gsf_off_t>(buffer.size()));
      if (!gsf_input_read(in, static_cast<size_t>(chunk), buffer.data())) {
        error = "a stream could not be read";
        return false;
      }
      copied += static_cast<std::uint64_t>(chunk);
      if (copied > bounds.max_total_bytes) {
        error = "streams larger than the size limit";
        return false;
      }
      if (!gsf_output_write(out, static_cast<size_t>(chunk), buffer.data())) {
        error = "a stream could not be written";
        return false;
      }
      left -= chunk;
    }
    return true;
  }

  bool copy(GsfInfile* in, GsfOutfile* out, const std::string& prefix, int depth) {
    if (depth > bounds.max_depth) {
      error = "storages nested too deeply";
      return false;
    }
    guint8 clsid[16];
    if (gsf_infile_msole_get_class_id(GSF_INFILE_MSOLE(in), clsid))
      gsf_outfile_msole_set_class_id(GSF_OUTFILE_MSOLE(out), clsid);
    const int count = gsf_infile_num_children(in);
    for (int i = 0; i < count; ++i) {
      if (context.expired()) {
        error = "deadline passed while rewriting";
        return false;
      }
      const char* raw = gsf_infile_name_by_index(in, i);
      Ref<GsfInput> child(gsf_infile_child_by_index(in, i));
      if (!raw || !child) continue;
      Entry entry;
      entry.name = raw;
      entry.path = prefix.empty() ? entry.name : prefix + "/" + entry.name;
      entry.storage = is_storage(child.get());
      entry.depth = depth;
      if (drop(entry)) continue;
      Ref<GsfOutput> target(gsf_outfile_new_child(out, raw, entry.storage ? TRUE : FALSE));
      if (!target) {
        error = "could not create " + entry.path;
        return false;
      }
      const bool ok = entry.storage
                          ? copy(GSF_INFILE(child.get()), GSF_OUTFILE(target.get()), entry.path, depth + 1)
                          : copy_stream(child.get(), target.get());
      close_once(target.get());
      if (!ok) return false;
    }
    return true;
  }
};

}  // namespace

Tree read_tree(std::string_view bytes, const TreeBounds& bounds, const Context& context) {
  const std::unique_ptr<Opened> opened = open(bytes);
  Walker walker{bounds, context, {}};
  if (!opened->root) {
    walker.tree.failure = Finding{"ole2.corrupt", opened->error};
    return walker.tree;
  }
  walker.walk(opened->root.get(), "", 0);
  return walker.tree;
}

std::optional<std::string> read_root_stream(std::string_view bytes, const char* name,
                                            std::uint64_t max_bytes) {
  const std::unique_ptr<Opened> opened = open(bytes);
  if (!opened->root) return std::nullopt;
  Ref<GsfInput> stream(gsf_infile_child_by_name(opened->root.get(), name));
  if (!stream || is_storage(stream.get())) return std::nullopt;
  const gsf_off_t size = gsf_input_size(stream.get());
  if (size < 0 || static_cast<std::uint64_t>(size) > max_bytes) return std::nullopt;
  std::string out(static_cast<std::size_t>(size), '\0');
  if (size > 0 && !gsf_input_read(stream.get(), out.size(), reinterpret_cast<guint8*>(out.data())))
    return std::nullopt;
  return out;
}

std::optional<std::string> rewrite_without(std::string_view bytes,
                                           const std::function<bool(const Entry&)>& drop,
                                           const TreeBounds& bounds, const Context& context,
                                           std::string& error) {
  const std::unique_ptr<Opened> opened = open(bytes);
  if (!opened->root) {
    error = opened->error;
    return std::nullopt;
  }
  Ref<GsfOutput> sink(gsf_output_memory_new());
  Ref<GsfOutfile> root(gsf_outfile_msole_new(sink.get()));
  if (!root) {
    error = "libgsf could not start a compound file";
    return std::nullopt;
  }
  Copier copier{drop, bounds, context, 0, {}};
  const bool ok = copier.copy(opened->root.get(), root.get(), "", 0);
  close_once(GSF_OUTPUT(root.get()));
  if (!ok) {
    error = copier.error;
    return std::nullopt;
  }
  close_once(sink.get());
  const guint8* data = gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(sink.get()));
  const gsf_off_t size = gsf_output_size(sink.get());
  if (!data || size <= 0) {
    error = "libgsf wrote nothing";
    return std::nullopt;
  }
  return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

}  // namespace mugai::sanitizers::ole2
