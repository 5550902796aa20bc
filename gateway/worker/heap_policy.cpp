#include "mugai/worker/heap_policy.h"

#include <malloc.h>

#include "mugai/worker/asan_build.h"

namespace mugai::worker {

void bound_heap_growth() {
#ifndef MUGAI_WORKER_ASAN  // ASan has its own allocator
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
}

void release_free_heap() {
#ifndef MUGAI_WORKER_ASAN
  malloc_trim(0);
#endif
}

}  // namespace mugai::worker
