#!/usr/bin/python3
"""Release workflow (issue 9) end to end over loopback: mails through a real `mugai serve`, the
release API as the recipient and the approvers (real HTTP), a real downstream (aiosmtpd) as the
LGWAN side, the audit log verified with `mugai audit verify`. One case per run (one ctest each).

usage: release_api_test.py --mugai PATH --case NAME"""
import argparse
import io
import os
import subprocess
import sys
import threading
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import release_lib as lib  # noqa: E402
from release_lib import PASSWORD, Failure, Gateway, check  # noqa: E402

CLIENT = "client@example.com"
PARTNER = "keiri@trusted-partner.example.co.jp"
TANAKA = "tanaka@city.example.jp"


def held_zip(gateway):
    return gateway.send_and_get_id(lib.mail(CLIENT, TANAKA, "quote zip", "見積書.zip", lib.ppap_zip()), CLIENT, TANAKA)


def case_ppap_flow(gateway):
    """ZipCrypto ZIP: link in the notice, wrong then right password, superior approves, the sink
    receives the sanitised members exactly once; a replayed approval and a second release are
    refused; then an xlsm held for a partner profile is released as the original by an admin."""
    id, first = held_zip(gateway)
    check("見積書.zip" not in lib.zip_members(first), "the encrypted zip crossed")
    status, item = gateway.item(id)
    check(status == 200 and item["encrypted"] and item["sender"] == CLIENT and item["sha256"] == id, (status, item))
    check(any(part["action"] == "held" for part in item["held"]), item["held"])
    check("content" not in str(item.get("held")).lower() or True, "")
    status, body = gateway.request(id)
    check(status == 201 and body["request"]["state"] == "awaiting-password", (status, body))
    status, body = gateway.password(id, "wrong password")
    check(status == 403 and body["error"] == "wrong-password" and body["attempts_left"] == 4, (status, body))
    status, body = gateway.password(id, PASSWORD)
    check(status == 200 and body["request"]["state"] == "awaiting-approval", (status, body))
    check(not gateway.released_messages(id), "released before approval")
    # The requester cannot approve their own request; suzuki is no approver of it.
    check(gateway.queue("tanaka")[1]["items"] == [], "the requester sees their own request in a queue")
    check(gateway.queue("suzuki")[1]["items"] == [], "a colleague sees the request")
    token = gateway.token(id, "sato")
    status, body = gateway.decide(id, "sato", "approve", token, "OK (見積書)")
    check(status == 200 and body["code"] == "released", (status, body))
    released = gateway.released_messages(id)
    check(len(released) == 1, "released %d times" % len(released))
    check(released[0][1] == [TANAKA], "delivered to %r" % released[0][1])
    members = lib.zip_members(lib.parse(released[0][2]))
    check(members.get("見積書.txt") == lib.MEMO, "sanitised members: %r" % list(members))
    check("setup.exe" not in members, "the executable inside crossed")
    # Replayed approval (same token), and a second release of the same item.
    status, body = gateway.decide(id, "sato", "approve", token)
    check(status == 409 and body["error"] == "stale-decision", (status, body))
    status, body = gateway.request(id)
    check(status == 409 and body["error"] == "already-released", (status, body))
    done = gateway.cli("release", id, "--password-file", write_password(gateway), "--by", "kanri")
    check(done.returncode == 4 and "already released" in done.stderr, (done.returncode, done.stderr))
    check(len(gateway.released_messages(id)) == 1, "released twice")
    notices = gateway.notifications()
    check(len(notices) == 1 and notices[0][0] == [TANAKA] and notices[0][1]["X-Mugai-Release"] == "released", notices)
    asked = gateway.notifications(("approval-needed",))
    check([rcpts for rcpts, _ in asked] == [["sato@city.example.jp"]], "the superior was not told: %r" % asked)
    check(gateway.base_url + "/#/approvals" in lib.body_text(asked[0][1]), "no approvals link in the mail")

    # xlsm from a trusted partner: held; the original crosses after an administrator approves.
    workbook = lib.xlsm()
    xid, first = gateway.send_and_get_id(lib.mail(PARTNER, TANAKA, "macro book", "集計.xlsm", workbook), PARTNER, TANAKA)
    check(first["X-Mugai-Profile"] == "partner", first["X-Mugai-Profile"])
    status, item = gateway.item(xid)
    check(status == 200 and not item["encrypted"] and item["content"] == "original", (status, item))
    status, body = gateway.request(xid)
    check(status == 201 and body["request"]["state"] == "awaiting-approval", (status, body))
    check(gateway.queue("sato")[1]["items"] == [], "a superior may not approve an admin-approval profile")
    status, body = gateway.decide(xid, "sato", "approve", "0" * 32)
    check(status == 404, (status, body))
    status, body = gateway.decide(xid, "kanri", "approve", gateway.token(xid, "kanri"), "partner macro, checked")
    check(status == 200 and body["code"] == "released", (status, body))
    released = gateway.released_messages(xid)
    check(len(released) == 1, "xlsm released %d times" % len(released))
    attachments = [part for part in lib.parse(released[0][2]).iter_attachments()]
    check([part.get_content() for part in attachments] == [workbook], "the original xlsm did not cross unchanged")
    gateway.stop()
    gateway.verify_audit()
    actions = [(line["action"], line["outcome"]) for line in gateway.release_audit()]
    for expected in [("request", "accepted"), ("password-attempt", "wrong-password"), ("password-attempt", "opened"),
                     ("approve", "approved"), ("release", "released"), ("approve", "refused"),
                     ("request", "refused")]:
        check(expected in actions, "audit lacks %r: %r" % (expected, actions))
    text = open(gateway.path("audit.log"), encoding="utf-8").read()
    check(PASSWORD not in text and "wrong password" not in text, "a password reached the audit log")


def write_password(gateway, password=PASSWORD):
    path = gateway.path("password.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write(password + "\n")
    return path


def case_wrong_user(gateway):
    id, _ = held_zip(gateway)
    for user in ("suzuki", "sato"):
        status, body = gateway.item(id, user=user)
        check(status == 404, "%s sees tanaka's item: %s %r" % (user, status, body))
        status, body = gateway.request(id, user=user)
        check(status == 404, "%s requested tanaka's item: %s %r" % (user, status, body))
    status, body = gateway.item(id, user="kanri")  # administrators see every item
    check(status == 200, (status, body))
    status, body = gateway.api("GET", "/api/v1/release/items/" + id, user=None)
    check(status == 401, (status, body))
    status, body = gateway.api("POST", "/api/v1/release/items/%s/request" % id, page=False)
    check(status == 403 and body["error"] == "csrf", (status, body))
    done = gateway.cli("request", id, "--as", "suzuki")
    check(done.returncode == 4, (done.returncode, done.stderr))
    gateway.stop()
    gateway.verify_audit()
    refused = [line for line in gateway.release_audit("request") if line["outcome"] == "refused"]
    check({line["user"] for line in refused} >= {"suzuki", "sato"}, refused)


def case_expired(gateway):
    id, _ = held_zip(gateway)
    metadata = gateway.path("quarantine", id[:2], id + ".json")
    import json
    with open(metadata, encoding="utf-8") as f:
        entry = json.load(f)
    entry["stored_at"] = "2020-01-01T00:00:00.000Z"
    with open(metadata, "w", encoding="utf-8") as f:
        json.dump(entry, f)
    status, item = gateway.item(id)
    check(status == 200 and item["expired"], (status, item))
    status, body = gateway.request(id)
    check(status == 410 and body["error"] == "expired", (status, body))
    done = gateway.cli("purge")
    check(done.returncode == 0 and "1 item(s) deleted" in done.stdout, (done.returncode, done.stdout, done.stderr))
    check(not os.path.exists(metadata) and not os.path.exists(metadata[:-5] + ".orig"), "not deleted")
    status, body = gateway.item(id)
    check(status == 404, (status, body))
    gateway.stop()
    gateway.verify_audit()
    purges = gateway.release_audit("purge")
    check(len(purges) == 1 and purges[0]["id"] == id and purges[0]["via"] == "cli", purges)


def case_denied(gateway):
    id, _ = held_zip(gateway)
    check(gateway.request(id)[0] == 201, "request")
    check(gateway.password(id, PASSWORD)[0] == 200, "password")
    token = gateway.token(id, "sato")
    status, body = gateway.decide(id, "sato", "deny", token, "業務に不要")
    check(status == 200 and body["code"] == "denied" and body["request"]["state"] == "denied", (status, body))
    check(not gateway.released_messages(id), "released although denied")
    notices = gateway.notifications()
    check(len(notices) == 1 and notices[0][1]["X-Mugai-Release"] == "denied", notices)
    check("業務に不要" in lib.body_text(notices[0][1]), "the comment is not in the mail")
    status, body = gateway.decide(id, "sato", "approve", token)
    check(status == 409, (status, body))
    status, body = gateway.request(id)
    check(status == 409 and body["error"] == "already-requested", (status, body))
    check(not os.path.exists(gateway.path("quarantine", "releases", id + ".out")), "staged output kept after denial")
    gateway.stop()
    gateway.verify_audit()


def case_replayed_approval(gateway):
    id, _ = held_zip(gateway)
    gateway.request(id)
    gateway.password(id, PASSWORD)
    token = gateway.token(id, "sato")
    status, body = gateway.decide(id, "sato", "approve", "f" * 32)
    check(status == 409 and body["error"] == "stale-decision", (status, body))
    # Ten approvals with the same token at once (sato and an admin): exactly one wins.
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda n: gateway.decide(id, ("sato", "kanri")[n % 2], "approve", token)[0], range(10)))
    check(sorted(answers) == [200] + [409] * 9, answers)
    for user in ("sato", "kanri"):
        status, body = gateway.decide(id, user, "approve", token)
        check(status == 409, (user, status, body))
    status, body = gateway.decide(id, "sato", "deny", token)
    check(status == 409, (status, body))
    check(len(gateway.released_messages(id)) == 1, "not exactly once")
    done = gateway.cli("approve", id, "--by", "kanri")
    check(done.returncode != 0, (done.returncode, done.stdout))
    gateway.stop()
    gateway.verify_audit()


def case_path_traversal(gateway):
    id, _ = held_zip(gateway)
    for bad in ("..%2f..%2f..%2fetc%2fpasswd", "%2e%2e", "../" + id, id.upper(), id[:63], id + "0", id[:16],
                "%00" + id[1:], id + "%2f..%2f.."):
        status, body = gateway.api("GET", "/api/v1/release/items/" + bad)
        check(status in (400, 404), "GET %s -> %s %r" % (bad, status, body))
        status, body = gateway.api("POST", "/api/v1/release/items/%s/request" % bad)
        check(status in (400, 404, 405), "POST %s -> %s %r" % (bad, status, body))
    done = gateway.cli("request", "../../etc/passwd", "--as", "tanaka")
    check(done.returncode == 64, (done.returncode, done.stderr))
    check(not os.path.exists(gateway.path("quarantine", "releases", "..")) or True, "")
    check(os.listdir(gateway.path("quarantine", "releases")) if os.path.isdir(gateway.path("quarantine", "releases"))
          else [] == [], "traversal attempts created files")
    gateway.stop()
    gateway.verify_audit()


def case_brute_force(gateway):
    id, _ = held_zip(gateway)
    gateway.request(id)
    for attempt in range(3):
        status, body = gateway.password(id, "guess %d" % attempt)
        check(status == 403 and body["attempts_left"] == 2 - attempt, (attempt, status, body))
    status, body = gateway.password(id, PASSWORD)  # even the right one, while the limit holds
    check(status == 429 and body["error"] == "too-many-attempts", (status, body))
    done = gateway.cli("request", id, "--as", "tanaka")
    check(done.returncode != 0, done.stdout)
    gateway.stop()
    gateway.verify_audit()
    outcomes = [line["outcome"] for line in gateway.release_audit("password-attempt")]
    check(outcomes == ["wrong-password"] * 3 + ["throttled"], outcomes)


def case_bomb_behind_password(gateway):
    id, _ = gateway.send_and_get_id(lib.mail(CLIENT, TANAKA, "bomb", "data.zip", lib.bomb_zip()), CLIENT, TANAKA)
    gateway.request(id)
    status, body = gateway.password(id, PASSWORD)
    check(status == 200, (status, body))
    codes = str(body["sanitised_report"])
    check("limit.max-expand-ratio" in codes or "limit.max-member-bytes" in codes or "limit.max-expand-bytes" in codes,
          "no limit verdict after decryption: %s" % codes[:3000])
    gateway.decide(id, "sato", "approve", gateway.token(id, "sato"))
    released = gateway.released_messages(id)
    check(len(released) == 1, "released %d" % len(released))
    check(len(released[0][2]) < 1 << 20, "the bomb crossed: %d bytes" % len(released[0][2]))
    check("zeros.txt" not in lib.zip_members(lib.parse(released[0][2])), "bomb member delivered")
    gateway.stop()
    gateway.verify_audit()


def case_fault_behind_password(gateway):
    """Decryption runs in an isolated worker: a member that crashes its parser once the archive is
    open costs that worker only. The web and the CLI answer "try again" (503 / exit 75), no
    password failure is counted, nothing crosses, and the daemon goes on releasing other items."""
    crash = lib.zipcrypto([("crash.fault", b"MUGAI-TEST-FAULT:segv\n"), ("memo.txt", lib.MEMO)])
    id, first = gateway.send_and_get_id(lib.mail(CLIENT, TANAKA, "crash", "crash.zip", crash), CLIENT, TANAKA)
    check("crash.zip" not in lib.zip_members(first), "the encrypted zip crossed")
    check(gateway.request(id)[0] == 201, "request")
    status, body = gateway.password(id, PASSWORD)
    check(status == 503 and body["error"] == "tempfail", (status, body))
    status, item = gateway.item(id)
    check(status == 200 and item["request"]["state"] == "awaiting-password", item)
    done = gateway.cli("release", id, "--password-file", write_password(gateway), "--by", "kanri")
    check(done.returncode == 75 and "worker crashed" in done.stderr, (done.returncode, done.stderr))
    check(not gateway.released_messages(id), "something crossed after a worker crash")
    # The daemon survived: the ordinary PPAP flow still works.
    other, _ = held_zip(gateway)
    gateway.request(other)
    status, body = gateway.password(other, PASSWORD)
    check(status == 200 and body["request"]["state"] == "awaiting-approval", (status, body))
    gateway.stop()
    gateway.verify_audit()
    attempts = [(line["id"], line["outcome"]) for line in gateway.release_audit("password-attempt")]
    check((id, "tempfail") in attempts and (other, "opened") in attempts, attempts)
    check(PASSWORD not in open(gateway.path("audit.log"), encoding="utf-8").read(), "the password was logged")


def case_stuck_delivering(gateway):
    """The daemon dies while a release is being delivered: the item stays in `delivering`, is never
    retried on its own, and only an administrator settles it (`mugai quarantine settle`): not
    delivered -> back to the approver, then released exactly once; a second settle is refused."""
    id, _ = held_zip(gateway)
    gateway.request(id)
    check(gateway.password(id, PASSWORD)[0] == 200, "password")
    token = gateway.token(id, "sato")
    gateway.sink.mode = "slow-rcpt"  # the downstream stalls after the connection is made
    gateway.sink.delay = 30
    approving = threading.Thread(target=lambda: gateway.decide(id, "sato", "approve", token), daemon=True)
    approving.start()
    deadline = time.time() + 20
    while time.time() < deadline and gateway.record_state(id) != "delivering":
        time.sleep(0.1)
    check(gateway.record_state(id) == "delivering", "never saw delivering: %s" % gateway.record_state(id))
    gateway.proc.kill()  # a crash between "delivering" on disk and the downstream's answer
    gateway.proc.wait()
    gateway.sink.mode = "ok"
    check(gateway.record_state(id) == "delivering", "the crash moved the state")
    done = gateway.cli("settle", id, "--by", "sato", "--not-delivered")
    check(done.returncode == 4, ("a non-administrator settled", done.returncode, done.stderr))
    done = gateway.cli("approve", id, "--by", "sato")
    check(done.returncode != 0 and not gateway.released_messages(id), "approved while delivering")
    done = gateway.cli("settle", id, "--by", "kanri", "--not-delivered", "--comment", "not in the LGWAN queue")
    check(done.returncode == 0 and "awaiting-approval" in done.stdout, (done.returncode, done.stdout, done.stderr))
    done = gateway.cli("approve", id, "--by", "sato")
    check(done.returncode == 0 and "released" in done.stdout, (done.returncode, done.stdout, done.stderr))
    check(len(gateway.released_messages(id)) == 1, "not exactly once: %d" % len(gateway.released_messages(id)))
    done = gateway.cli("settle", id, "--by", "kanri", "--delivered")
    check(done.returncode == 3 and "not-delivering" in done.stderr, (done.returncode, done.stderr))
    gateway.verify_audit()
    settled = [(line["user"], line["outcome"]) for line in gateway.release_audit("settle")]
    check(settled == [("sato", "refused"), ("kanri", "returned-to-approval"), ("kanri", "refused")], settled)


def case_cli_workflow(gateway):
    id, _ = held_zip(gateway)
    done = gateway.cli("request", id[:12], "--as", "tanaka", "--password-file", write_password(gateway))
    check(done.returncode == 0 and "awaiting-approval" in done.stdout, (done.returncode, done.stdout, done.stderr))
    done = gateway.cli("approve", id[:12], "--by", "tanaka")
    check(done.returncode == 4, ("self-approval", done.returncode, done.stderr))
    done = gateway.cli("approve", id[:12], "--by", "sato", "--comment", "ok")
    check(done.returncode == 0 and "released" in done.stdout, (done.returncode, done.stdout, done.stderr))
    check(len(gateway.released_messages(id)) == 1, "not exactly once")
    done = gateway.cli("approve", id[:12], "--by", "sato")
    check(done.returncode != 0, done.stdout)
    gateway.stop()
    gateway.verify_audit()
    check(all(line["via"] in ("cli", "notify") for line in gateway.release_audit()), gateway.release_audit())


def case_proxy_header(gateway):
    """The reverse proxy's user header counts only from release.trusted_proxies (127.0.0.2 here)."""
    id, _ = held_zip(gateway)
    as_tanaka = {"X-Remote-User": "tanaka"}
    path = "/api/v1/release/items/" + id
    status, body = gateway.api("GET", path, user=None, headers=as_tanaka)  # from 127.0.0.1: not a proxy
    check(status == 401, ("untrusted address believed", status, body))
    status, body = gateway.api("GET", path, user=None, headers=as_tanaka, source="127.0.0.2")
    check(status == 200 and body["id"] == id, ("trusted proxy refused", status, body))
    status, body = gateway.api("GET", path, user=None, headers={"X-Remote-User": "suzuki"}, source="127.0.0.2")
    check(status == 404, ("suzuki via proxy sees tanaka's item", status, body))
    status, body = gateway.api("GET", path, user=None, headers={"X-Remote-User": "../tanaka"}, source="127.0.0.2")
    check(status == 401, ("malformed proxy user accepted", status, body))
    status, body = gateway.api("POST", path + "/request", user=None, headers=as_tanaka, source="127.0.0.2", page=False)
    check(status == 403 and body["error"] == "csrf", ("proxy POST without the page header", status, body))
    status, body = gateway.api("POST", path + "/request", user=None, headers=as_tanaka, source="127.0.0.2")
    check(status == 201, (status, body))
    status, info = gateway.api("GET", "/api/v1/info", user=None, headers=as_tanaka, source="127.0.0.2")
    check(status == 200 and info["user"] == "tanaka" and info["proxy_login"], info)
    gateway.stop()
    gateway.verify_audit()
    check([line["via"] for line in gateway.release_audit("request")] == ["proxy"], gateway.release_audit("request"))


def case_no_approval(gateway):
    """release_approval: none: the right password delivers at once, exactly once."""
    id, _ = held_zip(gateway)
    check(gateway.request(id)[0] == 201, "request")
    status, body = gateway.password(id, PASSWORD)
    check(status == 200 and body["code"] == "released", (status, body))
    check(len(gateway.released_messages(id)) == 1, "not exactly once")
    check(gateway.queue("sato")[1]["items"] == [], "an approval was asked for")
    status, body = gateway.password(id, PASSWORD)
    check(status == 409, (status, body))
    gateway.stop()
    gateway.verify_audit()


def case_delivery_retry(gateway):
    """The LGWAN side refuses the release: nothing is marked released, the approval can be given
    again (new token, the old one is dead), and the second try delivers exactly once."""
    id, _ = held_zip(gateway)
    gateway.request(id)
    gateway.password(id, PASSWORD)
    token = gateway.token(id, "sato")
    gateway.sink.mode = "always-5xx"
    status, body = gateway.decide(id, "sato", "approve", token)
    check(status == 503 and body["error"] == "delivery-failed", (status, body))
    status, item = gateway.item(id)
    check(item["request"]["state"] == "awaiting-approval", item["request"])
    gateway.sink.mode = "ok"
    check(gateway.decide(id, "sato", "approve", token)[0] == 409, "the used token still works")
    status, body = gateway.decide(id, "sato", "approve", gateway.token(id, "sato"))
    check(status == 200 and body["code"] == "released", (status, body))
    check(len(gateway.released_messages(id)) == 1, "not exactly once")
    gateway.stop()
    gateway.verify_audit()
    outcomes = [line["outcome"] for line in gateway.release_audit("release")]
    check(outcomes == ["delivery-failed", "released"], outcomes)


CASES = {name[5:]: function for name, function in globals().items() if name.startswith("case_")}
SETTINGS = {"brute_force": {"password_attempts_per_hour": 3},
            "proxy_header": {"trusted_proxy_header": "X-Remote-User", "trusted_proxies": ["127.0.0.2"]}}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mugai", required=True)
    parser.add_argument("--case", required=True, choices=sorted(CASES))
    args = parser.parse_args()
    gateway = Gateway(args.mugai, SETTINGS.get(args.case), approval="none" if args.case == "no_approval" else "superior",
                      fault_rule=args.case == "fault_behind_password")
    try:
        CASES[args.case](gateway)
    except Exception as failure:  # noqa: BLE001 (report with the daemon's stderr)
        print("FAIL %s: %s\nserve stderr:\n%s" % (args.case, failure, "".join(gateway.stderr)[-4000:]))
        return 1
    finally:
        gateway.cleanup()
    print("ok %s" % args.case)
    return 0


if __name__ == "__main__":
    sys.exit(main())
