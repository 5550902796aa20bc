// A shared object without the entry point (some other library dropped into plugin_dir).
extern "C" __attribute__((visibility("default"))) int not_a_plugin(void) { return 42; }
