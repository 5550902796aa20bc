#!/usr/bin/env bash
# Runs libFuzzer targets of the fuzz flavour (scripts/build.sh fuzz: clang, ASan+UBSan) for a
# bounded time each, after replaying their seed corpora. Any crash, leak, sanitizer report or
# timeout fails (exit non-zero); the crashing input is left in build-fuzz/fuzz-artifacts/.
#   scripts/fuzz.sh [SECONDS] [TARGET...]            (default 15 s, every target)
#   MUGAI_FUZZ_PLUGIN=/path/my_plugin.so scripts/fuzz.sh 600 fuzz_plugin   (a vendor's plug-in)
#   FUZZ_SEED=N fixes libFuzzer's seed (CI uses 1); unset, every run explores differently.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
shift || true
dir=build-fuzz
[ -d "$dir" ] || { echo "fuzz.sh: build the fuzz flavour first: scripts/build.sh fuzz" >&2; exit 64; }
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for bin in "$dir"/fuzz/fuzz_* "$dir"/fuzz/*/fuzz_*; do
    [ -f "$bin" ] && [ -x "$bin" ] && [[ "$bin" != *_replay ]] && targets+=("$(basename "$bin")")
  done
fi
# Full unwinding on malloc: LSan suppressions of library-internal leaks (lsan.supp) match only
# when the stack reaches past glib's allocators into the library that leaked.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:suppressions=$PWD/scripts/sanitizer/asan.supp}:fast_unwind_on_malloc=0
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/sanitizer/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$dir/fuzz-artifacts"
for target in "${targets[@]}"; do
  bin=$(find "$dir/fuzz" -name "$target" -type f -perm -u+x | head -n 1)
  [ -n "$bin" ] || { echo "fuzz.sh: no target $target in $dir" >&2; exit 64; }
  name=${target#fuzz_}
  seeds=fuzz/corpus/$name
  case "$target" in
    fuzz_smtp_session) seeds=fuzz/smtp/corpus; dict=fuzz/dict/smtp.dict ;;
    fuzz_transfer_upload) seeds=fuzz/transfer/corpus; dict= ;;
    fuzz_pipeline) dict=fuzz/dict/mime.dict ;;
    fuzz_pdf) dict=fuzz/dict/pdf.dict ;;
    *) dict= ;;
  esac
  work=$(mktemp -d)  # new coverage goes here, the checked-in seeds stay as they are
  args=(-max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 -print_final_stats=1
        -artifact_prefix="$dir/fuzz-artifacts/$target-")
  # A fixed seed (CI sets FUZZ_SEED) makes a short run follow the same mutations each time, so a
  # landing gate fails on code changes, not on luck; exploratory runs leave it unset (random).
  [ -n "${FUZZ_SEED:-}" ] && args+=(-seed="$FUZZ_SEED")
  [ -n "$dict" ] && args+=(-dict="$dict")
  echo "== fuzz $target for ${seconds}s (seeds $seeds${dict:+, dict $dict})"
  # libFuzzer replays every seed first (a crashing seed fails at once), then mutates.
  if ! "$bin" "${args[@]}" "$work" "$seeds" > "$work.log" 2>&1; then
    tail -n 60 "$work.log"
    echo "fuzz.sh: $target FAILED; input in $dir/fuzz-artifacts/" >&2
    rm -rf "$work" "$work.log"
    exit 1
  fi
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)|cov: ' "$work.log" | tail -n 5
  rm -rf "$work" "$work.log"
done
