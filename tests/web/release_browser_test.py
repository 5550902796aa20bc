#!/usr/bin/python3
"""End-to-end browser test of the release pages (issue 9): a mail with a ZipCrypto ZIP and one
with an xlsm go through `mugai serve` to a real downstream; the recipient opens the link from
the notice in headless Debian chromium (playwright-core from npm), enters a wrong then the right
password, the superior approves the ZIP and an administrator the xlsm (partner profile: the
original, held by rule). Then: the sink received each release exactly once (the ZIP's sanitised
members, the xlsm unchanged), `mugai audit verify` passes, a second release is refused.

usage: release_browser_test.py --mugai PATH"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "release"))
import release_lib as lib  # noqa: E402
from release_lib import PASSWORD, USERS, Gateway, check  # noqa: E402
from browser_test import ensure_node_modules  # noqa: E402

CLIENT = "client@example.com"
PARTNER = "keiri@trusted-partner.example.co.jp"
TANAKA = "tanaka@city.example.jp"


def run(mugai):
    ensure_node_modules()
    gateway = Gateway(mugai)
    try:
        zip_id, first = gateway.send_and_get_id(lib.mail(CLIENT, TANAKA, "quote", "見積書.zip", lib.ppap_zip()),
                                                CLIENT, TANAKA)
        notice = lib.body_text(first)
        check("原本の確認・取り出しの依頼" in notice and "下のリンク先で取り出しを依頼し" in notice, notice[:1500])
        check("request it on the page linked below" in notice, notice[:3000])
        workbook = lib.xlsm()
        xlsm_id, _ = gateway.send_and_get_id(lib.mail(PARTNER, TANAKA, "book", "集計.xlsm", workbook), PARTNER, TANAKA)
        settings = {"base_url": gateway.base_url, "zip_id": zip_id, "xlsm_id": xlsm_id, "users": USERS,
                    "ppap_password": PASSWORD}
        done = subprocess.run(["node", os.path.join(HERE, "release_browser_test.js")], cwd=HERE,
                              env=dict(os.environ, MUGAI_TEST=json.dumps(settings)),
                              capture_output=True, text=True, timeout=240)
        check(done.returncode == 0, "browser run failed: %s\n%s" % (done.stderr[-3000:], "".join(gateway.stderr)))
        seen = json.loads(done.stdout.strip().splitlines()[-1])
        print(json.dumps(seen, ensure_ascii=False, indent=1))
        check(not seen["pageErrors"], "JavaScript errors: %r" % seen["pageErrors"])
        check(seen["title"] == "隔離された原本", seen["title"])
        check(seen["sender"] == CLIENT and seen["sha256"] == zip_id, (seen["sender"], seen["sha256"]))
        check("見積書.zip" in seen["held"] and "held" in seen["held"], seen["held"])
        check(seen["stateBefore"] == "依頼なし", seen["stateBefore"])
        check(seen["wrongPassword"] == "パスワードが違います。", seen["wrongPassword"])
        check(seen["stateAfterPassword"] == "承認待ち", seen["stateAfterPassword"])
        check("承認待ち" not in seen["tanakaNav"] and "Approvals" in seen["satoNav"], (seen["tanakaNav"], seen["satoNav"]))
        check(seen["zipApproval"] == "Approved and delivered.", seen["zipApproval"])
        check("原本の取り出しを依頼できます" in seen["xlsmExplain"], seen["xlsmExplain"])
        check(not seen["satoSeesXlsm"], "a superior was offered an admin-only approval")
        check(seen["xlsmApproval"] == "Approved and delivered.", seen["xlsmApproval"])
        check(seen["finalState"] == "お届け済み" and "sato" in seen["finalStatus"], (seen["finalState"], seen["finalStatus"]))
        check(not seen["requestButtonAfter"], "a released item offers another request")
        check(seen["suzuki"].startswith("No such quarantined item"), seen["suzuki"])

        released = gateway.released_messages(zip_id)
        check(len(released) == 1, "zip released %d times" % len(released))
        members = lib.zip_members(lib.parse(released[0][2]))
        check(members == {"見積書.txt": lib.MEMO}, "sanitised members: %r" % list(members))
        released = gateway.released_messages(xlsm_id)
        check(len(released) == 1, "xlsm released %d times" % len(released))
        check([p.get_content() for p in lib.parse(released[0][2]).iter_attachments()] == [workbook], "xlsm changed")
        status, body = gateway.request(zip_id)
        check(status == 409 and body["error"] == "already-released", (status, body))
        gateway.stop()
        gateway.verify_audit()
        attempts = [line["outcome"] for line in gateway.release_audit("password-attempt")]
        check(attempts == ["wrong-password", "opened"], attempts)
    finally:
        gateway.cleanup()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mugai", required=True)
    args = parser.parse_args()
    try:
        run(args.mugai)
    except lib.Failure as failure:
        print("FAIL: %s" % failure)
        return 1
    print("ok release browser test")
    return 0


if __name__ == "__main__":
    sys.exit(main())
