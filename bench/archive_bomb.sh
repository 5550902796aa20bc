#!/bin/sh
# Peak memory and time to verdict of `mugai sanitize` on archive bombs that expand to 1 GiB
# (bench/README.md, "Archive bombs"). Not a test: run by hand on a quiet machine.
#   bench/archive_bomb.sh [MUGAI] [WORKDIR]
set -eu
MUGAI=${1:-build/gateway/cli/mugai}
WORK=${2:-$(mktemp -d /tmp/mugai-bomb-XXXXXX)}
mkdir -p "$WORK"

# 1 GiB of zeros as one ZIP member (deflate, ~1 MB) and as one tar.gz member; and ~1 GiB as
# 1,000 distinct entries overlapping on one 1 MiB kernel (D. Fifield's quoted overlap).
/usr/bin/python3 - "$WORK" "$(dirname "$0")/../samples/archives" <<'PY'
import gzip, io, os, sys, tarfile, zipfile
work = sys.argv[1]
sys.path.insert(0, sys.argv[2])
import generate  # samples/archives/generate.py: Fifield's quoted-overlap construction
with open(os.path.join(work, "bomb-1g-overlap.zip"), "wb") as f:
    f.write(generate.quoted_overlap_bomb(entries=1000, kernel_bytes=1 << 20))
chunk = b"\0" * (1 << 20)
with zipfile.ZipFile(os.path.join(work, "bomb-1g.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    info = zipfile.ZipInfo("zeros.bin", (2024, 4, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with z.open(info, "w", force_zip64=True) as member:
        for _ in range(1024):
            member.write(chunk)
class Zeros(io.RawIOBase):
    def __init__(self, n): self.left = n
    def readable(self): return True
    def readinto(self, b):
        n = min(len(b), self.left); b[:n] = bytes(n); self.left -= n; return n
with gzip.open(os.path.join(work, "bomb-1g.tar.gz"), "wb", compresslevel=9) as gz:
    with tarfile.open(fileobj=gz, mode="w") as t:
        info = tarfile.TarInfo("zeros.bin"); info.size = 1 << 30
        t.addfile(info, Zeros(1 << 30))
PY

# The embedded default (lgwan-strict: archives are expanded), and the same with the ratio check
# relaxed so that the size limits alone must hold the line.
cat > "$WORK/relaxed.yaml" <<'YAML'
limits: { max_expand_ratio: 10000, max_expand_bytes: 4294967296, max_member_bytes: 52428800,
          max_archive_entries: 100000 }
profiles:
  lgwan-strict:
    rules:
      - { match: archive, action: extract-and-recurse }
      - { match: any, action: remove }
select:
  - { default: lgwan-strict }
YAML

for config in default relaxed; do
  for bomb in bomb-1g.zip bomb-1g.tar.gz bomb-1g-overlap.zip; do
    set -- sanitize --no-quarantine --file --report "$WORK/report.json" -o /dev/null "$WORK/$bomb"
    [ "$config" = relaxed ] && set -- "$@" --config "$WORK/relaxed.yaml"
    /usr/bin/time -v "$MUGAI" "$@" 2> "$WORK/time.txt" || true
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.txt")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/time.txt")
    reason=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["parts"][0]["reason"])' "$WORK/report.json")
    printf '%-8s %-16s %6d KB %8s  %s\n' "$config" "$bomb" "$rss" "$wall" "$reason"
  done
done
