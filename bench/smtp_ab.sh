#!/usr/bin/env bash
# Paired A/B of two mugai builds on one SMTP workload: A B A B ..., each run a fresh daemon with
# an empty quarantine and audit log, driven by the kit's load generator (smtp_load.py) into
# smtp-sink. The ratio is taken pair by pair, so a machine whose speed drifts (steal, other
# jobs) still gives a usable median; single kit runs here move by ±15 %.
#
#   bench/smtp_ab.sh A_BINARY B_BINARY [PAIRS]      # default 5 pairs
#
# Environment: MIX_CACHE (a gen_mix.py or unique_copies.py directory with manifest.tsv; default
# /tmp/mixcache), CLASS (text, html, attach or all; default text), COUNT (messages per run,
# default 2000), CONCURRENCY (default 8), PROFILE (default lgwan-strict), BENCH_KIT.
# Prints one line per run and the median A/B ratio of msg/s.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kit=${BENCH_KIT:-$root/../shared/bench}
a_bin=$(realpath "$1")
b_bin=$(realpath "$2")
pairs=${3:-5}
mix=${MIX_CACHE:-/tmp/mixcache}
class=${CLASS:-text}
count=${COUNT:-2000}
concurrency=${CONCURRENCY:-8}
profile=${PROFILE:-lgwan-strict}
port=2531
sink_port=12531
[ -f "$mix/manifest.tsv" ] || { echo "smtp_ab: no manifest.tsv in $mix (set MIX_CACHE)" >&2; exit 66; }
command -v smtp-sink >/dev/null || { echo "smtp_ab: smtp-sink missing (run $kit/setup.sh)" >&2; exit 69; }

work=$(mktemp -d /tmp/mugai-smtp-ab.XXXXXX)
sink_pid=
cleanup() {
  # run_one runs in a subshell (process substitution): its daemon is known by its PID file.
  [ -s "$work/daemon.pid" ] && kill -TERM "$(cat "$work/daemon.pid")" 2>/dev/null
  [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null && wait "$sink_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

awk -F'\t' -v dir="$mix" -v class="$class" 'NR > 1 && (class == "all" || $2 == class) { print dir "/" $1 }' \
  "$mix/manifest.tsv" >"$work/list"
[ -s "$work/list" ] || { echo "smtp_ab: no '$class' messages in $mix" >&2; exit 65; }

/usr/bin/python3 "$root/bench/bench_config.py" "$root/config/mugai.yaml" "$work/mugai.yaml" "$port" "$sink_port" "$profile"

user_option=()
[ "$(id -u)" = 0 ] && user_option=(-u nobody)  # smtp-sink refuses to run as root
smtp-sink -c "${user_option[@]}" -h ab-sink "127.0.0.1:$sink_port" 1024 >"$work/sink.out" 2>"$work/sink.err" &
sink_pid=$!
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$sink_port") 2>/dev/null && break
  kill -0 "$sink_pid" 2>/dev/null || { cat "$work/sink.err" >&2; exit 70; }
  sleep 0.1
done

run_one() {  # label binary pair -> prints msg/s
  # A directory of its own for each run, all deleted at exit: on this VM's ext4 without a
  # journal, inodes freed in the last minutes make every new file's inode allocation scan
  # past them, and deleting the previous run's quarantine cost the next run about a third of
  # its rate (bench/README.md, "Deleted files slow every new file on this VM").
  local label=$1 binary=$2 dir="$work/run-$3-$1"
  mkdir -p "$dir"
  (cd "$dir" && exec "$binary" serve --config "$work/mugai.yaml" >"$dir/serve.log" 2>&1) &
  local daemon_pid=$!
  echo "$daemon_pid" >"$work/daemon.pid"
  for _ in $(seq 100); do
    grep -q "listening on" "$dir/serve.log" 2>/dev/null && break
    sleep 0.1
  done
  /usr/bin/python3 "$kit/smtp_load.py" --port "$port" --list "$work/list" --count "$count" \
    --concurrency "$concurrency" --sink-out "$work/sink.out" --label "$label" >"$dir/result.json"
  kill -TERM "$daemon_pid" && wait "$daemon_pid" 2>/dev/null || true
  : >"$work/daemon.pid"
  /usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["ok"] + r["rejected"] == r["sent"] and r["errors"] == 0, r; print(r["msg_per_s"], r["p50_ms"], r["p99_ms"])' "$dir/result.json"
}

ratios=()
for pair in $(seq "$pairs"); do
  read -r a_rate a_p50 a_p99 < <(run_one A "$a_bin" "$pair")
  read -r b_rate b_p50 b_p99 < <(run_one B "$b_bin" "$pair")
  ratio=$(/usr/bin/python3 -c "print(round($a_rate / $b_rate, 3))")
  ratios+=("$ratio")
  echo "pair $pair: A $a_rate msg/s (p50 $a_p50, p99 $a_p99 ms)  B $b_rate msg/s (p50 $b_p50, p99 $b_p99 ms)  A/B $ratio"
done
/usr/bin/python3 -c 'import statistics,sys; v=[float(x) for x in sys.argv[1:]]; print("A/B msg/s: median %.3f, min %.3f, max %.3f over %d pairs" % (statistics.median(v), min(v), max(v), len(v)))' "${ratios[@]}"
