#!/usr/bin/env bash
# SMTP throughput and latency of `mugai serve` side by side with Postfix and the other reference
# systems of the shared benchmark kit, in one run on this machine (issue 4).
#
#   bench/smtp.sh [PROFILE]          # default lgwan-strict
#
# Starts mugai on 127.0.0.1:$MUGAI_PORT relaying to the kit's sink (127.0.0.1:$SINK_PORT),
# accepting @city.example.jp from 127.0.0.1, messages up to 10 MB, with every original
# quarantined and every message audited as in production; then runs the kit's run.sh with
# mugai's PID so its memory is sampled too. Everything the kit prints is kept in
# bench/results/smtp-<date>.txt (raw JSON lines beside it).
# Environment: BENCH_KIT (default ../shared/bench beside the checkout), MUGAI_PORT=2526,
# SINK_PORT=12525, MUGAI_WORKERS=4 (serve.workers), MUGAI_BIN (default build/gateway/cli/mugai, built if missing); anything
# run.sh reads (REPEAT, WORKLOADS, SYSTEMS, MIX_CACHE, ...) is passed through.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
profile=${1:-lgwan-strict}
kit=${BENCH_KIT:-$root/../shared/bench}
port=${MUGAI_PORT:-2526}
export SINK_PORT=${SINK_PORT:-12525}
[ -x "$kit/run.sh" ] || { echo "bench/smtp.sh: benchmark kit not found at $kit (set BENCH_KIT)" >&2; exit 66; }

bash "$kit/setup.sh"
mugai=${MUGAI_BIN:-$root/build/gateway/cli/mugai}
[ -x "$mugai" ] || bash "$root/scripts/build.sh" release >/dev/null

work=$(mktemp -d /tmp/mugai-bench-smtp.XXXXXX)
# The embedded profiles and limits, with a serve section for the kit's topology.
/usr/bin/python3 "$root/bench/bench_config.py" "$root/config/mugai.yaml" "$work/mugai.yaml" "$port" "$SINK_PORT" "$profile" "${MUGAI_WORKERS:-4}"
"$mugai" config check "$work/mugai.yaml" >/dev/null

(cd "$work" && exec "$mugai" serve --config "$work/mugai.yaml" >"$work/serve.log" 2>&1) &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q "listening on" "$work/serve.log" 2>/dev/null && break
  kill -0 $pid 2>/dev/null || { cat "$work/serve.log" >&2; exit 70; }
  sleep 0.1
done

mkdir -p "$root/bench/results"
stamp=$(date -u +%Y-%m-%d-%H%M)
out="$root/bench/results/smtp-$stamp"
SAVE_RESULTS="$out.jsonl" bash "$kit/run.sh" "$port" "$pid" 2>&1 | tee "$out.txt"
echo "mugai working directory (audit log, quarantine): $work"
echo "results: $out.txt"
