// `mugai serve` installs its worker pool here so uploads are sanitised in isolated workers like
// mail (gateway/worker). nullptr (the default) = in this process, for unit tests.
#pragma once

namespace mugai::worker {
class WorkerPool;
}

namespace mugai::transfer {

void use_worker_pool(worker::WorkerPool* pool);

}  // namespace mugai::transfer
