#!/usr/bin/python3
"""Oracle test: every message `mugai sanitize` delivers is re-read by three parsers that are not
mugai's own code path, and checked against issue 3's rebuild rules.

For every mail sample (committed and generated at test time) it runs mugai itself (independent of
the golden test's order) and, when the message is delivered:
  (a) Python's email (policy.default): no exception, no defect on the message, parts or headers;
  (b) mimetic and GMime (tests/oracle/*_reader.cpp): they parse it, GMime warns about nothing, and
      both see the same tree of content types as Python;
  (c) no text/html part (lgwan-strict), every line CRLF and <= 998 octets, headers 7-bit, exactly
      one From, the notice in Japanese and English at the top, X-Mugai-Verdict/-Profile, and the
      expected Japanese strings (expectation "oracle_strings", else "text_contains") in the
      decoded body;
  (d) idempotence: sanitising the output again delivers it with every part kept.

  run_oracle.py --mugai PATH --mimetic-reader PATH --gmime-reader PATH --out DIR [--case NAME ...]
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "golden"))
sys.path.insert(0, HERE)
import golden_lib  # noqa: E402
import oracle_checks  # noqa: E402

PROFILE = "lgwan-strict"


def second_pass(mugai, case, out_dir):
    """Sanitising mugai's own output must change nothing: delivered, every part kept."""
    work_dir = os.path.join(out_dir, "second-pass")
    os.makedirs(os.path.join(work_dir, "generated"), exist_ok=True)
    source = os.path.join(out_dir, case + ".out")
    target = os.path.join(work_dir, "generated", case + ".eml")
    with open(source, "rb") as f, open(target, "wb") as g:
        g.write(f.read())
    run = golden_lib.run_sanitize(mugai, "generated/%s.eml" % case, "mail", work_dir, case)
    if run.timed_out or run.exit != 0:
        return ["second pass over the output: exit %s %s" % (run.exit, run.stderr.strip()[:300])]
    changed = [(p.get("path"), p.get("action"), p.get("reason")) for p in (run.report or {}).get("parts", [])
               if p.get("action") != "kept"]
    return ["second pass over the output changed parts: %s" % changed] if changed else []


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mugai", required=True)
    parser.add_argument("--mimetic-reader", required=True)
    parser.add_argument("--gmime-reader", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--case", action="append")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    golden_lib.write_generated(args.out)

    failures = {}
    checked = 0
    for case, expectation in sorted(golden_lib.load_expectations().items()):
        if args.case and case not in args.case:
            continue
        if expectation.get("mode", "mail") != "mail" or not expectation.get("input", "").endswith(".eml"):
            continue
        run = golden_lib.run_sanitize(args.mugai, expectation["input"], "mail", args.out, case)
        if run.timed_out or run.exit not in (0, 2):
            failures[case] = ["run failed: exit %s, timed out %s: %s" % (run.exit, run.timed_out,
                                                                        run.stderr.strip()[:300])]
        elif run.exit == 2 or (run.report or {}).get("kind") == "file":
            print("skip  %-45s (%s)" % (case, "rejected" if run.exit == 2 else "handled as a file"))
            continue
        else:
            strings = golden_lib.expand(expectation.get("oracle_strings", expectation.get("text_contains", [])))
            problems = oracle_checks.check_message(run.output, run.output_path, PROFILE, strings,
                                                   args.mimetic_reader, args.gmime_reader)
            problems += second_pass(args.mugai, case, args.out)
            checked += 1
            if problems:
                failures[case] = problems
        if case in failures:
            print("FAIL  %s" % case)
            for problem in failures[case][:25]:
                print("        - " + problem)
        else:
            print("ok    %s" % case)

    print("\n%d delivered messages checked, %d failing; outputs in %s" % (checked, len(failures), args.out))
    if checked == 0:
        print("nothing was checked: no sample was delivered")
        return 1
    if failures:
        print("failing: " + ", ".join(sorted(failures)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
