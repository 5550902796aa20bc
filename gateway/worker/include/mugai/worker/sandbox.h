// What a worker does to itself before it reads its first job (gateway/worker/README.md):
//   1. limits: RLIMIT_AS (serve.worker_memory_mb), RLIMIT_CPU (hard: a lifetime budget; the soft
//      limit is re-armed per job by arm_cpu_limit), RLIMIT_CORE 0, RLIMIT_NOFILE 256;
//   2. its private scratch directory (made by the pool, removed by the pool when the worker ends;
//      mode 0700, owned by the worker user) as working directory, TMPDIR and HOME;
//   3. root only: drop supplementary groups, gid and uid to serve.worker_user (setresuid: no way back);
//   4. PR_SET_NO_NEW_PRIVS; Landlock (when the kernel has it): no file or directory may be
//      created, written, truncated, renamed or removed outside the scratch directory (/dev/null
//      and /dev/shm excepted); then a seccomp filter (libseccomp) that makes these calls fail with EACCES:
//      socket(AF_INET|AF_INET6|AF_PACKET|AF_NETLINK|AF_VSOCK, ...), io_uring_setup (its
//      IORING_OP_SOCKET would bypass the socket rule), ptrace, process_vm_readv/writev, bpf,
//      perf_event_open, kexec_load, init_module, finit_module.
// Every step that fails is fatal: a worker that is not confined never takes a job.
#pragma once

#include <cstdint>
#include <string>

namespace mugai::worker {

struct SandboxSettings {
  std::uint64_t memory_bytes = 0;     // 0 = no RLIMIT_AS (ASan builds)
  std::uint64_t cpu_seconds_per_job = 120;
  std::uint32_t jobs_per_cpu_budget = 32;  // lifetime RLIMIT_CPU hard = per_job * this
  std::string user = "nobody";
  std::string scratch_dir;  // absolute, exists
};

// "" on success, else what failed. Leaves the process in its scratch directory.
std::string enter_sandbox(const SandboxSettings& settings);

// Whether this kernel offers Landlock (write confinement); without it only the user confines.
bool write_confinement_available();

// Before each job: soft RLIMIT_CPU = CPU used so far + per-job seconds. false when the lifetime
// budget (the hard limit) cannot hold another job: the worker retires after this one.
bool arm_cpu_limit(std::uint64_t cpu_seconds_per_job);

// Exit status of a worker whose allocation failed (new_handler), seen as killed-by-limit.
inline constexpr int kExitOutOfMemory = 86;

}  // namespace mugai::worker
