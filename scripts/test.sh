#!/usr/bin/env bash
# README command (2) and CI: installs dependencies, builds the release and the ASan+UBSan
# flavours, and runs every test in both. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:suppressions=$PWD/scripts/sanitizer/asan.supp}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/sanitizer/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
jobs=$(nproc)
for flavour in release asan; do
  echo "== build ($flavour)"
  dir=$(scripts/build.sh "$flavour" | tail -n 1)
  echo "== test ($flavour)"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 600
done
# Fuzz flavour (clang, ASan+UBSan, libFuzzer): replay every corpus, then each target for a short
# bounded time (scripts/fuzz.sh; FUZZ_SECONDS=0 skips the mutation runs). Any crash fails.
echo "== build (fuzz)"
scripts/build.sh fuzz fuzz_all > /dev/null
echo "== fuzz: replay corpora"
ctest --test-dir build-fuzz --output-on-failure -j "$jobs" --timeout 600 -R '^fuzz_replay:'
echo "== fuzz: bounded runs"
FUZZ_SEED=${FUZZ_SEED:-1} scripts/fuzz.sh "${FUZZ_SECONDS:-15}"
