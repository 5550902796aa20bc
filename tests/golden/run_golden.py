#!/usr/bin/python3
"""Golden test: runs `mugai sanitize` on every sample (samples/mail, samples/files and the inputs
generated at test time) and compares each result with tests/golden/expected/<case>.json.

Fails on: a sample without an expectation (or an expectation without its sample), a run longer
than 20 s, a sanitizer report on stderr, an exit code other than 0/2, and any difference from the
expectation (see golden_lib.py for the format).

  run_golden.py --mugai PATH --out DIR [--case NAME ...] [--update]

--update writes the current results into the expectation files as a starting point: new files get
a full draft, existing ones only their exit / rejection_code / parts_exact corrected. Review every
change by hand: an expectation states what issue 3 demands, not what the code happens to do.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden_lib  # noqa: E402


def draft(input_name, run):
    report = run.report or {}
    expectation = {
        "review": "draft written by run_golden.py --update: check every value against issue 3",
        "input": input_name,
    }
    if input_name.startswith("files/") or input_name == "generated/eicar.com":
        expectation["mode"] = "file"
    expectation["exit"] = run.exit
    if run.exit == 2:
        expectation["rejection_code"] = report.get("rejection_code")
    expectation["parts_exact"] = [[p.get("path"), p.get("action")] for p in report.get("parts", [])]
    return expectation


def update(expectation, run):
    """Corrects the machine-checkable keys of an existing expectation; returns what changed."""
    report = run.report or {}
    changes = []
    if not golden_lib._matches(run.exit, expectation.get("exit", 0)):
        changes.append("exit %s -> %s" % (expectation.get("exit"), run.exit))
        expectation["exit"] = run.exit
    if run.exit == 2 and "rejection_code" in expectation and \
            not golden_lib._matches(report.get("rejection_code"), expectation["rejection_code"]):
        changes.append("rejection_code -> %s" % report.get("rejection_code"))
        expectation["rejection_code"] = report.get("rejection_code")
    if "parts_exact" in expectation:
        current = [[p.get("path"), p.get("action")] for p in report.get("parts", [])]
        if sorted(current) != sorted(expectation["parts_exact"]):
            changes.append("parts_exact -> %s" % current)
            expectation["parts_exact"] = current
    return changes


def write_expectation(case, expectation):
    expectation = {k: v for k, v in expectation.items() if k != "case"}
    path = os.path.join(golden_lib.EXPECTED, case + ".json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(golden_lib.dump_expectation(expectation))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mugai", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--case", action="append", help="only these cases (repeatable)")
    parser.add_argument("--update", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    golden_lib.write_generated(args.out)

    expectations = golden_lib.load_expectations()
    inputs = golden_lib.sample_inputs()
    failures = {}
    by_input = {}
    for case, expectation in expectations.items():
        if expectation.get("input") not in inputs:
            failures[case] = ["expectation names input %r, which is no sample" % expectation.get("input")]
        by_input.setdefault(expectation.get("input"), []).append(case)
    for input_name in inputs:
        if input_name not in by_input:
            if args.update:
                by_input[input_name] = [golden_lib.case_name(input_name)]
            else:
                failures[golden_lib.case_name(input_name)] = [
                    "sample %s has no expectation in tests/golden/expected/" % input_name]

    ran = 0
    for input_name in inputs:
        for case in by_input.get(input_name, []):
            if args.case and case not in args.case:
                continue
            expectation = expectations.get(case)
            mode = (expectation or {}).get("mode") or (
                "file" if input_name.startswith("files/") or input_name == "generated/eicar.com" else "mail")
            run = golden_lib.run_sanitize(args.mugai, input_name, mode, args.out, case)
            ran += 1
            if args.update:
                if expectation is None:
                    write_expectation(case, draft(input_name, run))
                    print("NEW   %s (draft: review it)" % case)
                else:
                    changes = update(expectation, run)
                    if changes:
                        write_expectation(case, expectation)
                        print("UPDATED %s: %s" % (case, "; ".join(changes)))
            problems = golden_lib.check_run(expectation or {"exit": [0, 2]}, run)
            if problems:
                failures[case] = problems
                print("FAIL  %-45s exit=%s" % (case, run.exit))
                for problem in problems:
                    print("        - " + problem)
            else:
                print("ok    %-45s exit=%s %s" % (case, run.exit,
                                                   (run.report or {}).get("rejection_code") or ""))

    print("\n%d runs, %d failing cases; outputs and reports in %s" % (ran, len(failures), args.out))
    if failures:
        print("failing: " + ", ".join(sorted(failures)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
