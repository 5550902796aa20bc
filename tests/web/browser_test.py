#!/usr/bin/python3
"""End-to-end browser test of the file-transfer page: `mugai serve` on loopback, headless Debian
chromium driven by playwright-core from npm (installed here with `npm ci` when node_modules is
missing). Checks what the page showed and the files it downloaded.

The docm case depends on the ooxml module (issue "documents"): with it (--ooxml 1, set by CMake
when the target mugai_sanitizer_ooxml exists) the docm must come back as a docx without
word/vbaProject.bin and the report table must list the removed macro; without it the docm is
refused (no module can strip ooxml) and the page must say that this type is not allowed.

usage: browser_test.py --mugai PATH --ooxml 0|1
"""
import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "transfer"))
import fixtures  # noqa: E402
from transfer_lib import USERS, Failure, Gateway, check  # noqa: E402

TEXT = "お知らせ\n来週の会議は 10 時からです。\n".encode("utf-8")


def ensure_node_modules():
    if os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")):
        return
    done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, capture_output=True, text=True)
    check(done.returncode == 0, "npm ci failed (is the npm registry reachable?): %s" % done.stderr[-2000:])


def run(mugai, ooxml):
    ensure_node_modules()
    workdir = tempfile.mkdtemp(prefix="mugai-web-")
    paths = fixtures.write_all(os.path.join(workdir, "in"))
    paths["notice.txt"] = os.path.join(workdir, "in", "notice.txt")
    with open(paths["notice.txt"], "wb") as f:
        f.write(TEXT)
    out_dir = os.path.join(workdir, "downloads")
    os.makedirs(out_dir)
    gateway = Gateway(mugai, {}, workdir)
    try:
        settings = {
            "upload_url": "http://127.0.0.1:%d/" % gateway.upload_port,
            "download_url": "http://127.0.0.1:%d/" % gateway.download_port,
            "user": "alice", "password": USERS["alice"],
            "docm": paths["report.docm"], "exe": paths["setup.exe"], "text": paths["notice.txt"],
            "out_dir": out_dir, "ooxml": ooxml, "max_upload_bytes": gateway.settings["max_upload_bytes"],
        }
        done = subprocess.run(["node", os.path.join(HERE, "transfer_browser_test.js")], cwd=HERE,
                              env=dict(os.environ, MUGAI_TEST=json.dumps(settings)),
                              capture_output=True, text=True, timeout=240)
        check(done.returncode == 0, "browser run failed: %s\n%s" % (done.stderr[-3000:], "".join(gateway.stderr)))
        seen = json.loads(done.stdout.strip().splitlines()[-1])
        print(json.dumps(seen, ensure_ascii=False, indent=1))
        verify(seen, ooxml)
        gateway.stop()
        gateway.verify_audit()
        downloads = [line for line in gateway.audit_lines()
                     if line.get("event") == "transfer-request" and line.get("path", "").endswith("/file")]
        check(downloads and all(line["side"] == "download" and line["user"] == "alice" for line in downloads),
              "downloads not audited on the LGWAN side: %r" % downloads)
    finally:
        if gateway.proc.poll() is None:
            gateway.proc.kill()
        gateway.cleanup()


def verify(seen, ooxml):
    check(not seen.get("pageErrors"), "JavaScript errors: %r" % seen.get("pageErrors"))
    check(seen["loginTitleJa"] == "ファイル無害化", "Japanese UI not shown: %r" % seen["loginTitleJa"])
    check(seen["loginTitleEn"] == "Log in", "English fallback not shown: %r" % seen["loginTitleEn"])
    check(seen["sideBadge"] == "LGWAN 側", "download page not marked LGWAN side: %r" % seen["sideBadge"])

    exe = seen["exe"]
    check(exe["verdict"] == "rejected", "exe not refused: %r" % exe)
    check("実行ファイル（プログラム）は持ち込めません" in exe["verdictText"], "exe refusal not in plain words: %r" % exe["verdictText"])
    check(exe["rows"] and exe["rows"][0][3] == "拒否", "exe row: %r" % exe["rows"])

    text = seen["text"]
    check(text["verdict"] == "delivered" and not text["downloadLinkOnUploadSide"], "text upload: %r" % text)
    check(text["progressSeen"], "the progress bar never received an upload progress event")
    check(len({seen["docm"]["id"], exe["id"], text["id"]}) == 3 and all(len(i) == 32 for i in (exe["id"], text["id"])),
          "transfer IDs shown: %r" % [seen["docm"]["id"], exe["id"], text["id"]])
    with open(seen["textDownload"]["path"], "rb") as f:
        check(f.read() == TEXT, "downloaded text differs")
    check(seen["textDownload"]["name"] == "notice.txt", "download name: %r" % seen["textDownload"]["name"])

    check(seen["dropped"].get("verdict") == "delivered", "drag and drop: %r" % seen["dropped"])
    check(seen["tooBig"].get("error", "").startswith("ファイルが大きすぎます（上限 1.0 MB）"), "too big: %r" % seen["tooBig"])

    docm = seen["docm"]
    if ooxml:
        check(docm["verdict"] == "delivered", "docm not sanitised: %r" % docm)
        check(any(("vba" in " ".join(row).lower() or "macro" in " ".join(row).lower() or "マクロ" in " ".join(row))
                  for row in docm["rows"]), "the removed macro is not listed: %r" % docm["rows"])
        download = seen["docxDownload"]
        check(download["name"].endswith(".docx"), "sanitised docm not named .docx: %r" % download["name"])
        with zipfile.ZipFile(download["path"]) as archive:
            names = archive.namelist()
            check("word/document.xml" in names and not [n for n in names if "vbaproject" in n.lower()],
                  "the docx still has a VBA project: %r" % names)
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
            check("macroEnabled" not in types, "content types still macro-enabled")
    else:
        # Until the ooxml module is merged: default deny, shown as a refused type.
        check(docm["verdict"] == "rejected", "docm delivered without an ooxml module: %r" % docm)
        check("この種類のファイル（ooxml）は許可されていません" in docm["verdictText"], "docm refusal: %r" % docm["verdictText"])
        check(docm["rows"] and docm["rows"][0][1] == "report.docm" and docm["rows"][0][3] == "拒否", "docm row: %r" % docm["rows"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mugai", required=True)
    parser.add_argument("--ooxml", type=int, choices=(0, 1), required=True)
    args = parser.parse_args()
    print("ooxml module present: %s -> checking %s" % (bool(args.ooxml), "docm -> docx, macro removed" if args.ooxml
                                                        else "docm refused (default deny)"))
    try:
        run(args.mugai, bool(args.ooxml))
    except Failure as failure:
        print("FAIL:", failure)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
