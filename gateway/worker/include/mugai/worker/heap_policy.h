// glibc malloc settings for long-running processes that handle messages of up to tens of MB:
// without them a freed 7 MB buffer stays in its thread's arena (the daemon has a thread per
// session), so resident memory climbs to sessions x largest message and stays there.
#pragma once

namespace mugai::worker {

// Blocks of 1 MiB and more come from mmap and go back to the system when freed (a fixed
// threshold: glibc's sliding one would climb to 32 MiB after the first large free).
void bound_heap_growth();

// After a job: returns the free memory at the top of the heaps to the system.
void release_free_heap();

}  // namespace mugai::worker
