/* mugai plug-in ABI, version 1 (DESIGN.md §3, sanitizers/plugin/README.md).
 *
 * A plug-in is a shared object exporting ONE function, mugai_plugin_v1(), that returns a pointer
 * to a static table. mugai loads every *.so in the configured `plugin_dir` with
 * Poco::SharedLibrary, refuses a table whose abi_version is not MUGAI_PLUGIN_ABI_VERSION, and
 * makes the plug-in a module that profile rules name (`module: <name>`). sanitize() only ever
 * runs inside the isolated workers (gateway/worker): it may crash or hang, it only costs that
 * worker and gives the message a 451.
 *
 * Rules for sanitize(): the input is hostile; never read past size; return within the time you
 * are given (the worker is killed otherwise); never write outside the result; output at most
 * max_output_bytes. Strings you return are UTF-8 and live until free_result() is called.
 * This header is plain C (C99 and C++ both compile it); the ABI never changes within a version:
 * a new field means MUGAI_PLUGIN_ABI_VERSION 2 and mugai_plugin_v2().
 */
#ifndef MUGAI_PLUGIN_H
#define MUGAI_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MUGAI_PLUGIN_ABI_VERSION 1u

/* What sanitize() did with the input. */
typedef enum mugai_plugin_action {
  MUGAI_PLUGIN_KEPT = 0,      /* output = input unchanged (output may be NULL) */
  MUGAI_PLUGIN_SANITIZED = 1, /* output holds the cleaned bytes */
  MUGAI_PLUGIN_REMOVED = 2,   /* the part is dropped (reason says why) */
  MUGAI_PLUGIN_REJECTED = 3   /* the part is refused; the profile decides about the message */
} mugai_plugin_action;

typedef struct mugai_plugin_option { /* from the profile rule's `options:` map */
  const char* key;
  const char* value;
} mugai_plugin_option;

typedef struct mugai_plugin_finding { /* code: stable, "<plugin>.<what>"; detail: for people */
  const char* code;
  const char* detail;
} mugai_plugin_finding;

typedef struct mugai_plugin_input {
  const uint8_t* bytes;          /* decoded content; NOT NUL-terminated */
  size_t size;
  const char* filename;          /* decoded UTF-8 name as sent (hostile), may be "" */
  const char* declared_type;     /* lower-case type/subtype from the sender, may be "" */
  const char* detected_type;     /* libmagic's MIME type of bytes */
  const char* action;            /* the rule's action, e.g. "strip-active" */
  const mugai_plugin_option* options;
  size_t option_count;
  uint64_t max_output_bytes;     /* larger output is an error (the part is removed) */
} mugai_plugin_input;

typedef struct mugai_plugin_result { /* filled by sanitize(), released by free_result() */
  int32_t action;                /* a mugai_plugin_action */
  uint8_t* output;
  size_t output_size;
  const char* content_type;      /* of output, e.g. "text/csv"; NULL = unchanged */
  const char* reason;            /* one short sentence for the report and the notice */
  mugai_plugin_finding* findings;
  size_t finding_count;
  void* plugin_private;          /* for free_result() */
} mugai_plugin_result;

typedef struct mugai_plugin_v1_table {
  uint32_t abi_version;          /* MUGAI_PLUGIN_ABI_VERSION */
  uint32_t table_size;           /* sizeof(mugai_plugin_v1_table) */
  const char* name;              /* module name for profiles: [a-z0-9-], 1..40, unique */
  const char* const* mime_types; /* NULL-terminated detected types handled, e.g. "text/csv"; "text/" + "*" = any text */
  const char* const* actions;    /* NULL-terminated profile actions supported: "strip-active" */
  /* 0 = result filled in; anything else = failure (the part is removed, reason from result). */
  int32_t (*sanitize)(const mugai_plugin_input* input, mugai_plugin_result* result);
  void (*free_result)(mugai_plugin_result* result);
} mugai_plugin_v1_table;

/* The one exported entry point. */
typedef const mugai_plugin_v1_table* (*mugai_plugin_v1_entry)(void);
#define MUGAI_PLUGIN_ENTRY_SYMBOL "mugai_plugin_v1"

#ifdef __cplusplus
}
#endif

#endif /* MUGAI_PLUGIN_H */
