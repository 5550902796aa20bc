#include "mugai/worker/sandbox.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/landlock.h>
#include <sys/syscall.h>
#include <linux/if_ether.h>
#include <pwd.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

namespace mugai::worker {
namespace {

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

[[noreturn]] void out_of_memory() { std::_Exit(kExitOutOfMemory); }

std::string set_limit(int resource, rlim_t soft, rlim_t hard, const char* name) {
  const rlimit limit{soft, hard};
  return ::setrlimit(resource, &limit) == 0 ? "" : errno_text(std::string("setrlimit ") + name);
}

std::string drop_privileges(const std::string& user) {
  if (::geteuid() != 0) return "";
  errno = 0;
  const passwd* entry = ::getpwnam(user.c_str());
  if (entry == nullptr) return "serve.worker_user " + user + ": no such user";
  if (entry->pw_uid == 0) return "serve.worker_user " + user + " is root";
  if (::setgroups(0, nullptr) != 0) return errno_text("setgroups");
  if (::setresgid(entry->pw_gid, entry->pw_gid, entry->pw_gid) != 0) return errno_text("setresgid");
  if (::setresuid(entry->pw_uid, entry->pw_uid, entry->pw_uid) != 0) return errno_text("setresuid");
  if (::setuid(0) == 0) return "could still regain root after dropping privileges";
  return "";
}

std::string install_seccomp() {
  using Context = std::unique_ptr<void, decltype(&seccomp_release)>;
  Context filter(seccomp_init(SCMP_ACT_ALLOW), &seccomp_release);
  if (!filter) return "seccomp_init failed";
  const auto deny = SCMP_ACT_ERRNO(EACCES);
  for (const int family : std::array{AF_INET, AF_INET6, AF_PACKET, AF_NETLINK, AF_VSOCK}) {
    // Spelled out rather than SCMP_A0(): that macro is a C compound literal, which clang refuses
    // in C++ with -Wpedantic.
    const scmp_arg_cmp first_argument{0, SCMP_CMP_EQ, static_cast<scmp_datum_t>(family), 0};
    if (seccomp_rule_add(filter.get(), deny, SCMP_SYS(socket), 1, first_argument) != 0)
      return "seccomp rule for socket()";
  }
  for (const int call : std::array{SCMP_SYS(io_uring_setup), SCMP_SYS(ptrace), SCMP_SYS(process_vm_readv),
                                   SCMP_SYS(process_vm_writev), SCMP_SYS(bpf), SCMP_SYS(perf_event_open),
                                   SCMP_SYS(kexec_load), SCMP_SYS(init_module), SCMP_SYS(finit_module)})
    if (seccomp_rule_add(filter.get(), deny, call, 0) != 0) return "seccomp rule for a denied call";
  if (const int rc = seccomp_load(filter.get()); rc != 0) return "seccomp_load: " + std::string(std::strerror(-rc));
  return "";
}

// Landlock ABI 3 (Linux 6.2); Debian 12's kernel headers predate it. The value is kernel ABI.
constexpr std::uint64_t kLandlockTruncate = 1ULL << 14;

long landlock_abi() {
  return ::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
}

bool allow_beneath(int ruleset, const char* path, std::uint64_t access) {
  const int fd = ::open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) return false;
  landlock_path_beneath_attr rule{};
  rule.allowed_access = access;
  rule.parent_fd = fd;
  const long rc = ::syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
  ::close(fd);
  return rc == 0;
}

// Landlock: creating, changing, renaming or removing anything outside the scratch directory is
// refused (EACCES); writing /dev/null and /dev/shm stays possible. Reading is not restricted.
// "" on success or when the kernel has no Landlock (then only the user confines writes).
std::string restrict_writes(const std::string& scratch_dir) {
  const long abi = landlock_abi();
  if (abi < 1) return "";
  std::uint64_t writes = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
                         LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
                         LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
                         LANDLOCK_ACCESS_FS_MAKE_SYM;
  if (abi >= 2) writes |= LANDLOCK_ACCESS_FS_REFER;
  if (abi >= 3) writes |= kLandlockTruncate;
  landlock_ruleset_attr attributes{};
  attributes.handled_access_fs = writes;
  const int ruleset = static_cast<int>(::syscall(SYS_landlock_create_ruleset, &attributes, sizeof attributes, 0));
  if (ruleset < 0) return errno_text("landlock_create_ruleset");
  std::uint64_t file_writes = LANDLOCK_ACCESS_FS_WRITE_FILE;
  if (abi >= 3) file_writes |= kLandlockTruncate;
  bool ok = allow_beneath(ruleset, scratch_dir.c_str(), writes);
  allow_beneath(ruleset, "/dev/null", file_writes);  // absent in odd containers: then not allowed
  allow_beneath(ruleset, "/dev/shm", writes);
  // Writing (not creating) under /proc: the LibreOffice runner writes its user namespace's
  // uid_map/gid_map/setgroups there; as an unprivileged user only the process's own files are
  // writable anyway.
  allow_beneath(ruleset, "/proc", file_writes);
  // LibreOffice binds its single-instance pipe (a UNIX socket) in /tmp whatever TMPDIR says:
  // sockets may be created and removed there, regular files, directories and links may not.
  allow_beneath(ruleset, "/tmp", LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_REMOVE_FILE);
  if (ok && ::syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) ok = false;
  const std::string problem = ok ? "" : errno_text("landlock");
  ::close(ruleset);
  return problem;
}

}  // namespace

bool write_confinement_available() { return landlock_abi() >= 1; }

std::string enter_sandbox(const SandboxSettings& settings) {
  const std::string& scratch_dir = settings.scratch_dir;
  std::set_new_handler(out_of_memory);
  std::string problem;
  if (settings.memory_bytes != 0 && !(problem = set_limit(RLIMIT_AS, settings.memory_bytes, settings.memory_bytes, "RLIMIT_AS")).empty())
    return problem;
  const rlim_t budget = settings.cpu_seconds_per_job * settings.jobs_per_cpu_budget;
  if (!(problem = set_limit(RLIMIT_CPU, settings.cpu_seconds_per_job, budget, "RLIMIT_CPU")).empty()) return problem;
  if (!(problem = set_limit(RLIMIT_CORE, 0, 0, "RLIMIT_CORE")).empty()) return problem;
  if (!(problem = set_limit(RLIMIT_NOFILE, 256, 256, "RLIMIT_NOFILE")).empty()) return problem;

  if (scratch_dir.empty() || scratch_dir.front() != '/') return "the scratch directory must be an absolute path";
  if (::geteuid() == 0) {
    const passwd* entry = ::getpwnam(settings.user.c_str());
    if (entry == nullptr) return "serve.worker_user " + settings.user + ": no such user";
    if (::chown(scratch_dir.c_str(), entry->pw_uid, entry->pw_gid) != 0) return errno_text("chown scratch");
  }
  if (::chmod(scratch_dir.c_str(), 0700) != 0) return errno_text("chmod scratch");
  if (::chdir(scratch_dir.c_str()) != 0) return errno_text("chdir scratch");
  ::setenv("TMPDIR", scratch_dir.c_str(), 1);
  ::setenv("HOME", scratch_dir.c_str(), 1);
  if (!(problem = drop_privileges(settings.user)).empty()) return problem;
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno_text("PR_SET_NO_NEW_PRIVS");
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return errno_text("PR_SET_DUMPABLE");
  if (!(problem = restrict_writes(scratch_dir)).empty()) return problem;
  return install_seccomp();
}

bool arm_cpu_limit(std::uint64_t cpu_seconds_per_job) {
  rusage used{};
  rlimit limit{};
  if (::getrusage(RUSAGE_SELF, &used) != 0 || ::getrlimit(RLIMIT_CPU, &limit) != 0) return false;
  const std::uint64_t spent = static_cast<std::uint64_t>(used.ru_utime.tv_sec + used.ru_stime.tv_sec) + 1;
  const std::uint64_t wanted = spent + cpu_seconds_per_job;
  if (limit.rlim_max != RLIM_INFINITY && wanted > limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;  // this job still gets what is left, then the worker retires
    ::setrlimit(RLIMIT_CPU, &limit);
    return false;
  }
  limit.rlim_cur = wanted;
  return ::setrlimit(RLIMIT_CPU, &limit) == 0;
}

}  // namespace mugai::worker
