// MUGAI_WORKER_ASAN is defined in AddressSanitizer builds (gcc or clang): there RLIMIT_AS cannot
// be applied (the shadow memory needs terabytes of address space), and the pool bounds a
// worker's memory with ASan's hard_rss_limit_mb instead.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define MUGAI_WORKER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MUGAI_WORKER_ASAN 1
#endif
#endif
