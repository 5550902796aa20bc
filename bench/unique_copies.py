#!/usr/bin/env python3
"""Makes a benchmark-kit mix in which no message repeats: COPIES copies of every message of an
existing mix (MIX_CACHE of ../shared/bench), each with one extra header line `X-Bench-Copy: N`,
so every copy has its own SHA-256. The kit cycles its message lists and sends the same bytes
again once a list is used up; mugai's quarantine then only appends a delivery line to an entry it
already has, which is cheaper than storing a new original (bench/README.md, "Unique messages").

    unique_copies.py --from /tmp/mixcache --out /tmp/mixuniq --copies 12

The manifest lists copy 1 of every message, then copy 2, ...: the kit's lists keep the mix's
order and proportions. 12 copies cover one run of the default workloads (small: 2,020 of the
2,160 text copies; mix: 620 of 3,600). Run `bench/smtp.sh` with REPEAT=1 (each repetition of a
run starts its lists from the beginning again); bench/smtp.sh starts a fresh mugai with an
empty quarantine on every call, so call it once per repetition.
"""
import argparse
import os
import shutil


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--from", dest="source", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--copies", type=int, default=12)
    args = ap.parse_args()
    with open(os.path.join(args.source, "manifest.tsv"), encoding="utf-8") as f:
        header, *rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    os.makedirs(args.out, exist_ok=True)
    out_rows = []
    for copy in range(1, args.copies + 1):
        for row in rows:
            name = row[0]
            with open(os.path.join(args.source, name), "rb") as f:
                raw = f.read()
            new_name = f"c{copy:02d}-{name}"
            data = b"X-Bench-Copy: %d\r\n" % copy + raw
            with open(os.path.join(args.out, new_name), "wb") as f:
                f.write(data)
            out_rows.append([new_name, row[1], str(len(data))] + row[3:])
    with open(os.path.join(args.out, "manifest.tsv"), "w", encoding="utf-8") as f:
        f.write("\t".join(header) + "\n")
        for row in out_rows:
            f.write("\t".join(row) + "\n")
    # The kit reuses a cache whose .params match its SEED and MIX_COUNT.
    shutil.copyfile(os.path.join(args.source, ".params"), os.path.join(args.out, ".params"))


if __name__ == "__main__":
    main()
