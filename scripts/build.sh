#!/usr/bin/env bash
# Configures and builds one flavour of mugai.
#   scripts/build.sh [release|asan|fuzz] [TARGET...]   (default release, all targets)
#     -> build/, build-asan/, build-fuzz/
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=${1:-release}
shift || true
targets=()
for target in "$@"; do targets+=(--target "$target"); done
jobs=$(nproc)
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/mugai-ccache}
# Worktrees and clean clones share cache hits: paths are hashed relative to the checkout.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
case "$flavour" in
  # Test builds compile in the test-only fault module (sanitizers/testfault): never ship these.
  release) dir=build; args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DMUGAI_TEST_MODULES=ON) ;;
  asan)    dir=build-asan; args=(-DCMAKE_BUILD_TYPE=Debug -DMUGAI_SANITIZE=ON -DMUGAI_TEST_MODULES=ON) ;;
  fuzz)    dir=build-fuzz; args=(-DCMAKE_BUILD_TYPE=Debug -DMUGAI_SANITIZE=ON -DMUGAI_FUZZ=ON
                                 -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++) ;;
  *) echo "usage: scripts/build.sh [release|asan|fuzz]" >&2; exit 64 ;;
esac
cmake -S . -B "$dir" -G Ninja "${args[@]}" >/dev/null
cmake --build "$dir" -j "$jobs" "${targets[@]}"
echo "$dir"
