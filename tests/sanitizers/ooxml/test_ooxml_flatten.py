#!/usr/bin/python3
"""ooxml `flatten` end to end (PDF化): a macro-enabled Word file becomes a PDF through LibreOffice
and then the pdf module; checked with independent tools (file, pdftotext, pikepdf).

usage: test_ooxml_flatten.py MUGAI SAMPLES_DIR WORK_DIR
"""
import json
import os
import shutil
import subprocess
import sys

import pikepdf

ACTIVE_KEYS = ("/JS", "/JavaScript", "/OpenAction", "/AA", "/Launch", "/EmbeddedFiles", "/URI")


def main():
    mugai, samples, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    config = subprocess.run([mugai, "config", "show"], check=True, capture_output=True, text=True).stdout
    rule = "      - { match: ooxml,      action: strip-active }"
    if rule not in config:
        print("FAIL: the lgwan-strict ooxml rule is not where this test expects it")
        return 1
    config = config.replace(rule, "      - { match: ooxml,      action: flatten }")
    config_path = os.path.join(work, "flatten.yaml")
    with open(config_path, "w", encoding="utf-8") as f:
        f.write(config)
    output, report_path = os.path.join(work, "out.pdf"), os.path.join(work, "report.json")
    done = subprocess.run([mugai, "sanitize", "--config", config_path, "--no-quarantine", "--file",
                           os.path.join(samples, "macro.docm"), "-o", output, "--report", report_path],
                          capture_output=True, text=True, timeout=300)
    failures = []
    if done.returncode != 0:
        failures.append("exit %d: %s" % (done.returncode, done.stderr[-500:]))
    else:
        part = json.load(open(report_path, encoding="utf-8"))["parts"][0]
        codes = [f["code"] for f in part["findings"]]
        if part["action"] != "converted" or part.get("output_filename") != "macro.pdf":
            failures.append("report: %s -> %s" % (part["action"], part.get("output_filename")))
        if "ooxml.vba-project" not in codes:
            failures.append("the removed macro is not reported: %s" % codes)
        mime = subprocess.run(["file", "--brief", "--mime-type", output], capture_output=True, text=True).stdout
        if mime.strip() != "application/pdf":
            failures.append("file says %s" % mime.strip())
        text = subprocess.run(["pdftotext", output, "-"], capture_output=True, text=True).stdout
        for expected in ("Quarterly figures ABC-123", "予算説明資料"):
            if expected not in text:
                failures.append("text %r lost in the PDF" % expected)
        with pikepdf.open(output) as pdf:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Dictionary):
                    found = [key for key in ACTIVE_KEYS if key in obj]
                    if found:
                        failures.append("active keys left in the PDF: %s" % found)
                        break
    for failure in failures:
        print("FAIL:", failure)
    if not failures:
        print("PASS ooxml flatten: docm -> PDF, macro reported, text kept, no active keys")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
