#!/usr/bin/python3
"""API tests of the file-transfer proxy: a real `mugai serve` on loopback, a real HTTP client
(http.client / raw sockets). One case per ctest test.

usage: api_test.py --mugai PATH --case NAME | --list
"""
import argparse
import base64
import collections
import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixtures  # noqa: E402
from transfer_lib import USERS, Failure, Gateway, check, free_port, multipart  # noqa: E402

CASES = collections.OrderedDict()
TEXT = "議事録\n1. 予算について\n".encode("utf-8")


def case(function):
    CASES[function.__name__] = function
    return function


def created(result, what):
    status, _, data, body = result
    check(status == 201 and body, "%s: expected 201 with JSON, got %s %r" % (what, status, data[:300]))
    return body


def audit_statuses(gateway):
    return [(line.get("method"), line.get("path"), line.get("status"), line.get("user"))
            for line in gateway.audit_lines() if line.get("event") == "transfer-request"]


def raw_exchange(port, head, body_chunks=(), read_first=False):
    """Sends `head` (bytes) then the body chunks, stopping when the server answers or closes.
    Returns (response bytes, body bytes sent)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sent = 0
    try:
        sock.sendall(head)
        if read_first:
            sock.settimeout(10)
            return sock.recv(65536), sent
        sock.setblocking(False)
        for chunk in body_chunks:
            try:
                answer = sock.recv(65536)
                if answer:
                    sock.setblocking(True)
                    sock.settimeout(10)
                    return answer + _read_rest(sock), sent
            except BlockingIOError:
                pass
            except OSError:
                break
            try:
                sock.setblocking(True)
                sock.settimeout(10)
                sock.sendall(chunk)
                sock.setblocking(False)
                sent += len(chunk)
            except OSError:
                break
        sock.setblocking(True)
        sock.settimeout(10)
        try:
            return sock.recv(65536) + _read_rest(sock), sent
        except OSError:
            return b"", sent
    finally:
        sock.close()


def _read_rest(sock):
    data = b""
    try:
        while True:
            more = sock.recv(65536)
            if not more:
                return data
            data += more
    except OSError:
        return data


def basic(user):
    return "Basic " + base64.b64encode(("%s:%s" % (user, USERS[user])).encode()).decode()


# --- cases ------------------------------------------------------------------------------------

@case
def upload_ok(gateway):
    body = created(gateway.upload(TEXT, "議事録.txt"), "multipart upload")
    check(body["verdict"] == "delivered", "text not delivered: %r" % body)
    check(len(body["id"]) == 32 and all(c in "0123456789abcdef" for c in body["id"]), "id not 128-bit hex: %s" % body["id"])
    check(body["profile"] == "lgwan-strict", "default profile not the user's first: %s" % body["profile"])
    check(body["report"]["parts"][0]["action"] == "kept", "report: %r" % body["report"])
    check(body["report"]["sha256_before"] == hashlib.sha256(TEXT).hexdigest(), "report sha256 wrong")
    check(body["download"] == "/api/v1/transfers/%s/file" % body["id"], "download link: %r" % body["download"])
    # Status, owner only.
    status, _, _, again = gateway.request("GET", "/api/v1/transfers/" + body["id"])
    check(status == 200 and again["verdict"] == "delivered" and again["report"] == body["report"], "status differs")
    status, _, _, _ = gateway.request("GET", "/api/v1/transfers/" + body["id"], user="bob")
    check(status == 404, "another user saw the transfer: %s" % status)
    # Download on the LGWAN side gives the sanitised bytes under the cleaned name.
    status, head, data, _ = gateway.request("GET", body["download"], side="download")
    check(status == 200 and data == TEXT, "download: %s %r" % (status, data[:100]))
    check("filename*=UTF-8''%E8%AD%B0%E4%BA%8B%E9%8C%B2.txt" in head.get("content-disposition", ""),
          "content-disposition: %r" % head.get("content-disposition"))
    # Raw body with X-Filename, and with ?filename= plus a requested (allowed) profile.
    raw = created(gateway.request("POST", "/api/v1/transfers", body=TEXT, headers={"X-Filename": "memo.txt"}), "raw")
    check(raw["filename"] == "memo.txt" and raw["verdict"] == "delivered", "raw upload: %r" % raw)
    chosen = created(gateway.request("POST", "/api/v1/transfers?filename=memo2.txt&profile=text-only", body=TEXT), "query")
    check(chosen["profile"] == "text-only" and chosen["filename"] == "memo2.txt", "query upload: %r" % chosen)
    status, _, _, refused = gateway.request("POST", "/api/v1/transfers?filename=a.txt&profile=lgwan-strict", body=TEXT, user="bob")
    check(status == 403 and refused["error"] == "profile-not-allowed", "bob used a profile he may not: %s" % status)
    # Listing shows exactly the user's own transfers.
    _, _, _, listing = gateway.request("GET", "/api/v1/transfers")
    check({t["id"] for t in listing["transfers"]} == {body["id"], raw["id"], chosen["id"]}, "list: %r" % listing)
    # The original is in the quarantine, with the report.
    quarantined = gateway.path("quarantine", body["report"]["quarantine_id"][:2], body["report"]["quarantine_id"] + ".orig")
    check(open(quarantined, "rb").read() == TEXT, "original not quarantined at %s" % quarantined)
    # An executable is refused with the policy reason, nothing to download.
    exe = created(gateway.upload(fixtures.pe_executable(), "setup.exe"), "exe")
    check(exe["verdict"] == "rejected" and exe["report"]["rejection_code"] == "policy.executable", "exe: %r" % exe["report"])
    check(exe["download"] is None, "rejected transfer offers a download")
    status, _, _, _ = gateway.request("GET", "/api/v1/transfers/%s/file" % exe["id"], side="download")
    check(status == 410, "download of a rejected file: %s" % status)
    # Same code as the single-file CLI: same bytes out, same per-part report, same exit contract.
    for data, name, result, expected_rc in ((TEXT, "議事録.txt", body, 0), (fixtures.pe_executable(), "setup.exe", exe, 2)):
        source = gateway.path(name)
        with open(source, "wb") as f:
            f.write(data)
        done = subprocess.run([gateway.mugai, "sanitize", "--config", gateway.config_path, "--no-quarantine", "--file",
                               source, "-o", source + ".out", "--report", source + ".json"], capture_output=True)
        check(done.returncode == expected_rc, "mugai sanitize --file %s: rc %s" % (name, done.returncode))
        with open(source + ".json", encoding="utf-8") as f:
            cli_report = json.load(f)
        check(cli_report["parts"] == result["report"]["parts"] and cli_report["verdict"] == result["verdict"],
              "CLI and API reports differ for %s" % name)
        if expected_rc == 0:
            check(open(source + ".out", "rb").read() == data, "CLI output differs")
    # Every request is in the audit log, and the log verifies. (The audit line is written after
    # the answer, so read it once the gateway has finished its requests.)
    gateway.stop()
    statuses = audit_statuses(gateway)
    check(("POST", "/api/v1/transfers", 201, "alice") in statuses, "upload not audited: %r" % statuses)
    check(("GET", "/api/v1/transfers/%s" % body["id"], 404, "bob") in statuses, "bob's 404 not audited")
    check(any(line.get("transfer") == body["id"] and line.get("sha256") == hashlib.sha256(TEXT).hexdigest()
              for line in gateway.audit_lines()), "upload audit line lacks transfer id / sha256")
    gateway.verify_audit()


@case
def oversize_content_length(gateway):
    """A huge Content-Length is answered 413 from the headers alone: no body byte is ever sent."""
    head = ("POST /api/v1/transfers HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\nX-Filename: big.bin\r\n"
            "Content-Type: application/octet-stream\r\nContent-Length: 10737418240\r\n\r\n" % basic("alice")).encode()
    answer, _ = raw_exchange(gateway.upload_port, head, read_first=True)
    check(answer.startswith(b"HTTP/1.1 413"), "expected 413 before the body, got %r" % answer[:200])
    check(b'"too-large"' in answer, "413 without the reason: %r" % answer)
    # A client waiting for 100-continue is told 413 instead of being invited to send.
    expecting = head.replace(b"Content-Length:", b"Expect: 100-continue\r\nContent-Length:")
    answer, _ = raw_exchange(gateway.upload_port, expecting, read_first=True)
    check(answer.startswith(b"HTTP/1.1 413"), "Expect: 100-continue: expected 413, got %r" % answer[:200])
    # Multipart with an oversized Content-Length as well.
    head = head.replace(b"Content-Type: application/octet-stream", b"Content-Type: multipart/form-data; boundary=x")
    answer, _ = raw_exchange(gateway.upload_port, head, read_first=True)
    check(answer.startswith(b"HTTP/1.1 413"), "multipart: expected 413, got %r" % answer[:200])
    # curl, as the README shows it: with Expect: 100-continue, without, and chunked.
    big = gateway.path("big.bin")
    with open(big, "wb") as f:
        f.write(b"a" * (3 * gateway.settings["max_upload_bytes"]))
    for extra in ([], ["-H", "Expect:"], ["-H", "Transfer-Encoding: chunked"]):
        done = subprocess.run(["curl", "-sS", "-u", "alice:" + USERS["alice"], "-F", "file=@" + big, "-o", "/dev/null",
                               "-w", "%{http_code}", "http://127.0.0.1:%d/api/v1/transfers" % gateway.upload_port] + extra,
                              capture_output=True, text=True)
        check(done.stdout == "413", "curl %r: %r %r" % (extra, done.stdout, done.stderr))
    check(not os.listdir(gateway.path("transfers")), "an oversized upload left a record")


@case
def oversize_chunked(gateway):
    """Without Content-Length the bytes are counted as they arrive: 413 soon after the limit."""
    limit = gateway.settings["max_upload_bytes"]
    head = ("POST /api/v1/transfers HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\nX-Filename: big.bin\r\n"
            "Transfer-Encoding: chunked\r\n\r\n" % basic("alice")).encode()
    chunk = b"%x\r\n" % 65536 + b"A" * 65536 + b"\r\n"
    answer, sent = raw_exchange(gateway.upload_port, head, [chunk] * (limit // 65536 * 20))
    check(answer.startswith(b"HTTP/1.1 413"), "expected 413 while streaming, got %r" % answer[:200])
    check(sent < limit * 10, "server read %d bytes (limit %d) before refusing" % (sent, limit))
    # Exactly at the limit is accepted, one byte more is not.
    body = b"x" * limit
    created(gateway.request("POST", "/api/v1/transfers", body=body, headers={"X-Filename": "limit.txt"}), "at limit")
    status, _, _, refused = gateway.request("POST", "/api/v1/transfers", body=body + b"x", headers={"X-Filename": "over.txt"})
    check(status == 413 and refused["error"] == "too-large", "one byte over: %s" % status)


@case
def malformed_multipart(gateway):
    bad = [
        ("no boundary", b"--x\r\n\r\nhello\r\n--x--\r\n", "multipart/form-data"),
        ("boundary never found", b"just some bytes without any boundary line\r\n", "multipart/form-data; boundary=zzz"),
        ("truncated", b'--zzz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhel',
         "multipart/form-data; boundary=zzz"),
        ("no file field", multipart([("note", None, b"hi")])[0], multipart([])[1]),
        ("two files", multipart([("file", "a.txt", b"a"), ("file", "b.txt", b"b")])[0], multipart([])[1]),
        ("header bomb", b"--zzz\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(5000)) + b"\r\nx\r\n--zzz--\r\n",
         "multipart/form-data; boundary=zzz"),
    ]
    for what, body, content_type in bad:
        status, _, data, parsed = gateway.request("POST", "/api/v1/transfers", body=body,
                                                  headers={"Content-Type": content_type})
        check(status == 400, "%s: expected 400, got %s %r" % (what, status, data[:200]))
        check(parsed and parsed.get("message"), "%s: no plain reason: %r" % (what, data[:200]))
    check(not os.path.exists(gateway.path("transfers", "alice")), "a malformed upload left a record")
    check(gateway.proc.poll() is None, "mugai serve died")


@case
def missing_auth(gateway):
    body, content_type = multipart([("file", "a.txt", TEXT)])
    for path, method in (("/api/v1/transfers", "POST"), ("/api/v1/transfers", "GET"),
                         ("/api/v1/transfers/" + "0" * 32, "GET")):
        status, head, _, parsed = gateway.request(method, path, body=body if method == "POST" else None,
                                                  headers={"Content-Type": content_type}, user=None)
        check(status == 401, "%s %s without auth: %s" % (method, path, status))
        check(head.get("www-authenticate", "").startswith("Basic"), "no Basic challenge")
        check(parsed["error"] == "login-required", "reason: %r" % parsed)
    # The page itself and /api/v1/info are public; the info reveals no user.
    status, head, page, _ = gateway.request("GET", "/", user=None)
    check(status == 200 and b"/static/app.js" in page and "default-src 'self'" in head.get("content-security-policy", ""),
          "page: %s" % status)
    status, _, _, info = gateway.request("GET", "/api/v1/info", user=None)
    check(status == 200 and info["user"] is None and info["side"] == "upload", "info: %r" % info)
    gateway.stop()
    check(("POST", "/api/v1/transfers", 401, None) in audit_statuses(gateway), "401 not audited")


@case
def wrong_password(gateway):
    status, head, _, parsed = gateway.upload(TEXT, "a.txt", password="wrong")
    check(status == 401 and parsed["error"] == "wrong-credentials", "wrong password: %s %r" % (status, parsed))
    status, _, _, parsed = gateway.upload(TEXT, "a.txt", user="mallory", password="x")
    check(status == 401 and parsed["error"] == "wrong-credentials", "unknown user: %s" % status)
    # auth_failures_per_minute: 3 -> after alice's third failure even her right password is
    # throttled; bob, from the same address (an office NAT), is not.
    gateway.upload(TEXT, "a.txt", password="wrong")
    gateway.upload(TEXT, "a.txt", password="wrong")
    status, head, _, parsed = gateway.upload(TEXT, "a.txt")
    check(status == 429 and parsed["error"] == "too-many-failures", "not throttled: %s %r" % (status, parsed))
    check(int(head.get("retry-after", "0")) > 0, "no Retry-After")
    created(gateway.upload(TEXT, "b.txt", user="bob"), "bob behind the same address")
    # Guessing many names from one address: 10 x 3 failures, then the address is throttled.
    for i in range(30):
        gateway.upload(TEXT, "a.txt", user="guess%d" % i, password="x")
    status, _, _, parsed = gateway.upload(TEXT, "b.txt", user="bob")
    check(status == 429 and parsed["error"] == "too-many-failures", "address not throttled: %s %r" % (status, parsed))
    gateway.stop()
    audited = [line for line in gateway.audit_lines() if line.get("event") == "transfer-request"]
    # Answers go out before their audit line is written, so lines of overlapping requests may swap.
    statuses = sorted(line["status"] for line in audited)
    # 4 failures before the guessing, 26 more until the address reaches 30; 429: alice, 4 guesses, bob.
    check(statuses == sorted([401] * 30 + [429] * 6 + [201]), "audit: %r" % statuses)
    check(all("password" not in json.dumps(line).lower() or "correct horse" not in json.dumps(line) for line in audited),
          "a password reached the audit log")


@case
def session_login(gateway):
    """The page's login: a session cookie, only with the page's header (CSRF), only on its side."""
    connection = gateway.connection()
    credentials = json.dumps({"user": "alice", "password": USERS["alice"]})
    connection.request("POST", "/api/v1/session", body=credentials, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    check(response.status == 403, "login without the page header: %s" % response.status)
    connection.request("POST", "/api/v1/session", body=credentials,
                       headers={"Content-Type": "application/json", "X-Mugai-Request": "1"})
    response = connection.getresponse()
    response.read()
    cookie = response.getheader("Set-Cookie", "")
    check(response.status == 200 and cookie.startswith("mugai_upload=") and "HttpOnly" in cookie
          and "SameSite=Strict" in cookie, "login: %s %r" % (response.status, cookie))
    token = cookie.split(";")[0]
    body, content_type = multipart([("file", "a.txt", TEXT)])
    status, _, _, parsed = gateway.request("POST", "/api/v1/transfers", body=body, user=None,
                                           headers={"Content-Type": content_type, "Cookie": token})
    check(status == 403 and parsed["error"] == "csrf", "cookie without page header accepted: %s" % status)
    created(gateway.request("POST", "/api/v1/transfers", body=body, user=None,
                            headers={"Content-Type": content_type, "Cookie": token, "X-Mugai-Request": "1"}), "cookie")
    status, _, _, info = gateway.request("GET", "/api/v1/info", user=None, headers={"Cookie": token})
    check(info["user"] == "alice" and info["profiles"] == ["lgwan-strict", "text-only"], "info: %r" % info)
    status, _, _, _ = gateway.request("GET", "/api/v1/transfers", user=None, side="download",
                                      headers={"Cookie": token.replace("mugai_upload", "mugai_download")})
    check(status == 401, "an upload-side session opened the download side: %s" % status)
    status, _, _, _ = gateway.request("GET", "/api/v1/transfers", user=None, headers={"Cookie": "mugai_upload=" + "a" * 32})
    check(status == 401, "a made-up session token was accepted: %s" % status)


@case
def path_traversal_filename(gateway):
    names = ["../../../../etc/passwd.txt", "..\\..\\windows\\win.ini.txt", "/abs/olute.txt", "re\u202etxt.exe.txt",
             "ok\x00.txt"]
    outbox = gateway.path("outbox")
    for name in names:
        body = created(gateway.upload(TEXT, name.replace("\x00", "%00") if False else name), name)
        out = body["output_filename"]
        check(body["verdict"] == "delivered", "%r: %r" % (name, body))
        check("/" not in out and "\\" not in out and not out.startswith(".") and "\u202e" not in out and "\x00" not in out,
              "%r came out as %r" % (name, out))
        check(body["filename"] == name, "the name as sent is not reported: %r" % body["filename"])
        if name != out:
            findings = [f["code"] for f in body["report"]["parts"][0]["findings"]]
            check(findings, "%r was cleaned to %r without a finding" % (name, out))
    # A name in invalid UTF-8 (a Latin-1 byte) is cleaned, reported and still quarantined.
    odd = created(gateway.request("POST", "/api/v1/transfers", body=TEXT, headers={"X-Filename": "caf\xe9/../x.txt"}), "latin-1")
    check(odd["verdict"] == "delivered" and "/" not in odd["output_filename"], "latin-1 name: %r" % odd)
    check(os.path.exists(gateway.path("quarantine", odd["report"]["quarantine_id"][:2], odd["report"]["quarantine_id"] + ".json")),
          "not quarantined")
    names.append("latin-1")
    # Everything the outbox got stayed inside alice's folder.
    for root, _, files in os.walk(outbox):
        for f in files:
            check(os.path.realpath(os.path.join(root, f)).startswith(os.path.realpath(outbox) + "/alice/"), "escaped: %s" % f)
    check(len(os.listdir(os.path.join(outbox, "alice"))) == len(names), "outbox: %r" % os.listdir(os.path.join(outbox, "alice")))
    check(not os.path.exists("/etc/passwd.txt"), "wrote outside")


@case
def path_traversal_id(gateway):
    mine = created(gateway.upload(TEXT, "a.txt"), "upload")["id"]
    secret = os.path.join(gateway.dir, "transfers", "alice", mine + ".json")
    check(os.path.exists(secret), "record not where expected")
    for path in ["/api/v1/transfers/../../../etc/passwd", "/api/v1/transfers/..%2F..%2F..%2Fetc%2Fpasswd",
                 "/api/v1/transfers/%2e%2e/alice/" + mine, "/api/v1/transfers/" + mine.upper(),
                 "/api/v1/transfers/" + mine + "%00", "/api/v1/transfers/" + mine[:-1] + "/",
                 "/api/v1/transfers/" + "g" * 32, "/api/v1/transfers/../alice/%s.json" % mine,
                 "/api/v1/transfers/%s/../../%s" % (mine, mine), "/api/v1/transfers/" + "0" * 32,
                 "/api/v1/transfers/" + mine + "/file/../../x"]:
        for side in ("upload", "download"):
            status, _, data, _ = gateway.request("GET", path, side=side)
            check(status in (400, 404), "%s on %s: %s %r" % (path, side, status, data[:200]))
            check(b'"owner"' not in data and b"report" not in data, "%s leaked a record" % path)
    # Other people's valid IDs are unknown too.
    status, _, _, _ = gateway.request("GET", "/api/v1/transfers/%s/file" % mine, user="bob", side="download")
    check(status == 404, "bob downloaded alice's file: %s" % status)


@case
def concurrent_uploads(gateway):
    results = [None] * 20
    payloads = [("file %d\n" % i).encode() * (1000 + i) for i in range(20)]

    def one(i):
        try:
            results[i] = gateway.upload(payloads[i], "f%02d.txt" % i)
        except Exception as error:  # noqa: BLE001 - reported below
            results[i] = error

    threads = [threading.Thread(target=one, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    ids = set()
    for i, result in enumerate(results):
        check(not isinstance(result, Exception) and result is not None, "upload %d failed: %r" % (i, result))
        body = created(result, "upload %d" % i)
        check(body["verdict"] == "delivered" and body["filename"] == "f%02d.txt" % i, "upload %d: %r" % (i, body))
        ids.add(body["id"])
        status, _, data, _ = gateway.request("GET", body["download"], side="download")
        check(status == 200 and data == payloads[i], "download %d differs" % i)
    check(len(ids) == 20, "transfer IDs collided")
    gateway.stop()
    uploads = [line for line in gateway.audit_lines() if line.get("status") == 201]
    check(len(uploads) == 20, "audit has %d uploads" % len(uploads))
    gateway.verify_audit()


@case
def download_only_lgwan(gateway):
    body = created(gateway.upload(TEXT, "a.txt"), "upload")
    status, _, data, parsed = gateway.request("GET", body["download"], side="upload")
    check(status == 403 and parsed["error"] == "wrong-side" and TEXT not in data, "upload side served the file: %s" % status)
    status, _, data, _ = gateway.request("GET", body["download"], side="download")
    check(status == 200 and data == TEXT, "download side: %s" % status)
    status, _, _, parsed = gateway.upload(TEXT, "b.txt", side="download")
    check(status == 403 and parsed["error"] == "wrong-side", "download side accepted an upload: %s" % status)
    status, _, _, info = gateway.request("GET", "/api/v1/info", side="download", user=None)
    check(info["side"] == "download", "info: %r" % info)


@case
def outbox_mode(gateway):
    check(gateway.download_port is None, "a download listener started with download_port 0")
    body = created(gateway.upload(TEXT, "報告.txt"), "upload")
    check(body["outbox"] is True and body["download"] is None, "outbox flags: %r" % body)
    target = gateway.path("outbox", "alice", body["id"] + "-報告.txt")
    check(os.path.exists(target) and open(target, "rb").read() == TEXT, "not in the outbox: %s" % target)
    check(not [f for f in os.listdir(gateway.path("outbox", "alice")) if f.startswith(".")], "temporary files left")
    rejected = created(gateway.upload(fixtures.pe_executable(), "setup.exe"), "exe")
    check(rejected["verdict"] == "rejected", "exe delivered")
    check(len(os.listdir(gateway.path("outbox", "alice"))) == 1, "a rejected file reached the outbox")
    # No sanitised bytes are kept on the Internet side when there is no download listener.
    check(not os.path.exists(gateway.path("transfers", "alice", body["id"] + ".out")), "result kept without a listener")


@case
def upload_rate_limit(gateway):
    for i in range(2):
        created(gateway.upload(TEXT, "a%d.txt" % i), "upload %d" % i)
    status, head, _, parsed = gateway.upload(TEXT, "a3.txt")
    check(status == 429 and parsed["error"] == "too-many-uploads" and int(head["retry-after"]) > 0, "not limited: %s" % status)
    created(gateway.upload(TEXT, "b.txt", user="bob"), "another user is not limited by alice")


@case
def https(gateway):
    body = created(gateway.upload(TEXT, "a.txt"), "upload over TLS")
    status, _, data, _ = gateway.request("GET", body["download"], side="download")
    check(status == 200 and data == TEXT, "download over TLS: %s" % status)
    try:
        answer, _ = raw_exchange(gateway.upload_port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", read_first=True)
    except ConnectionResetError:
        answer = b""
    check(not answer.startswith(b"HTTP/1.1 200"), "plain HTTP answered on the HTTPS listener")


def tls_settings(workdir):
    cert, key = os.path.join(workdir, "tls.crt"), os.path.join(workdir, "tls.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    return {"tls_certificate_file": cert, "tls_key_file": key}


def without_section(text, key):
    """Drops a top-level YAML mapping `key:` (and its indented body or comments) from text."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith(key + ":"):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "\t", "#")) or not line.strip()):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


@case
def config_errors(mugai):
    """The loader refuses transfer settings that could never work, with line numbers."""
    base = without_section(open(os.path.join(fixtures.SOURCE, "config", "mugai.yaml"), encoding="utf-8").read(),
                           "transfer")
    bad = {
        "enabled without users": "transfer:\n  enabled: true\n",
        "no way to the LGWAN side": "transfer:\n  enabled: true\n  download_port: 0\n  users:\n"
                                    "    - { name: a, password_hash: \"pbkdf2-sha256$1000$AAAA$AAAA\", profiles: [lgwan-strict] }\n",
        "same listener twice": "transfer:\n  enabled: true\n  download_port: 8443\n  users:\n"
                               "    - { name: a, password_hash: \"pbkdf2-sha256$1000$AAAA$AAAA\", profiles: [lgwan-strict] }\n",
        "bad hash": "transfer:\n  users:\n    - { name: a, password_hash: secret, profiles: [lgwan-strict] }\n",
        "unknown profile": "transfer:\n  users:\n    - { name: a, password_hash: \"pbkdf2-sha256$1000$AAAAAAAAAAA=$AA=\", profiles: [nope] }\n",
        "traversal user name": "transfer:\n  users:\n    - { name: \"..\", password_hash: \"pbkdf2-sha256$1$a$b\", profiles: [lgwan-strict] }\n",
        "upload larger than messages": "transfer:\n  enabled: true\n  max_upload_bytes: 999999999\n  users:\n"
                                       "    - { name: a, password_hash: \"pbkdf2-sha256$1000$AAAA$AAAA\", profiles: [lgwan-strict] }\n",
        "cert without key": "transfer:\n  tls_certificate_file: /x.crt\n",
        "misspelt key": "transfer:\n  uploads_per_minit: 3\n",
    }
    with tempfile.TemporaryDirectory() as directory:
        for what, section in bad.items():
            path = os.path.join(directory, "c.yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(base + section)
            done = subprocess.run([mugai, "config", "check", path], capture_output=True, text=True)
            errors = [line for line in done.stderr.splitlines() if ": error: " in line]
            check(done.returncode != 0 and len(errors) == 1 and "transfer" in errors[0] and "given twice" not in errors[0],
                  "%s: not refused for its own reason (%s %r)" % (what, done.returncode, done.stderr))
        # The same file without the bad section is fine: the errors above are the section's.
        with open(path, "w", encoding="utf-8") as f:
            f.write(base)
        check(subprocess.run([mugai, "config", "check", path], capture_output=True).returncode == 0, "base refused")
    # A hash the loader accepts by shape but that cannot be decoded stops `mugai serve` at start.
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "c.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(base.replace("admin_port: 8025", "admin_port: 0").replace("listen_port: 2525", "listen_port: %d" % free_port()) +
                    "transfer:\n  enabled: true\n  upload_port: 1\n  users:\n"
                    "    - { name: a, password_hash: \"pbkdf2-sha256$5$AAAA$AAAA\", profiles: [lgwan-strict] }\n")
        done = subprocess.run([mugai, "serve", "--config", path], capture_output=True, text=True, cwd=directory, timeout=60)
        check(done.returncode != 0 and "password_hash" in done.stderr, "serve started: %s %r" % (done.returncode, done.stderr))


@case
def hostile_requests(gateway):
    """Malformed HTTP from a raw socket: each gets an error answer or a closed connection, the
    gateway keeps serving, and nothing is stored."""
    auth = basic("alice")
    requests = [
        b"GARBAGE\r\n\r\n",
        b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(1000)) + b"\r\n",
        b"GET / HTTP/1.1\r\nX-Long: " + b"z" * 200000 + b"\r\n\r\n",
        ("POST /api/v1/transfers HTTP/1.1\r\nAuthorization: %s\r\nContent-Length: abc\r\n\r\n" % auth).encode(),
        ("POST /api/v1/transfers HTTP/1.1\r\nAuthorization: %s\r\nContent-Length: -5\r\n\r\nhello" % auth).encode(),
        ("POST /api/v1/transfers HTTP/1.1\r\nAuthorization: %s\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n" % auth).encode(),
        ("POST /api/v1/transfers HTTP/1.1\r\nAuthorization: %s\r\nTransfer-Encoding: chunked\r\n\r\n"
         "ffffffffffffffffff\r\nabc\r\n" % auth).encode(),
        ("POST /api/v1/transfers HTTP/1.1\r\nAuthorization: %s\r\nX-Filename: a.txt\r\n\r\nbody" % auth).encode(),
        b"POST /api/v1/transfers HTTP/1.1\r\nAuthorization: Basic !!!!\r\nContent-Length: 1\r\n\r\nx",
        b"POST /api/v1/transfers HTTP/1.1\r\nAuthorization: Basic " + base64.b64encode(b"\xff\x00:\x00") + b"\r\n\r\n",
        b"POST /api/v1/session HTTP/1.1\r\nX-Mugai-Request: 1\r\nContent-Length: 9\r\n\r\n{\"user\":1}",
        b"POST /api/v1/session HTTP/1.1\r\nX-Mugai-Request: 1\r\nContent-Length: 99999\r\n\r\n",
        b"GET /api/v1/transfers/%00%ff HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /static/../../../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
        b"DELETE /api/v1/transfers HTTP/1.1\r\n\r\n",
    ]
    for raw in requests:
        try:
            answer, _ = raw_exchange(gateway.upload_port, raw, read_first=True)
        except ConnectionResetError:
            answer = b""
        status = answer.split(b" ", 2)[1] if answer.startswith(b"HTTP/1.") else b"closed"
        check(status == b"closed" or status.startswith((b"4", b"5")), "%r -> %r" % (raw[-90:], answer[:200]))
        check(b"root:" not in answer, "served a system file")
        check(gateway.proc.poll() is None, "mugai serve died on %r" % raw[:60])
    # Uploads cut off by the client closing its side: never taken as a shorter file.
    for framing, body in (("Transfer-Encoding: chunked", b"5\r\nhello\r\n"), ("Content-Length: 100", b"hello")):
        sock = socket.create_connection(("127.0.0.1", gateway.upload_port), timeout=30)
        sock.sendall(("POST /api/v1/transfers HTTP/1.1\r\nAuthorization: %s\r\nX-Filename: cut.txt\r\n%s\r\n\r\n"
                      % (auth, framing)).encode() + body)
        sock.shutdown(socket.SHUT_WR)
        answer = _read_rest(sock)
        sock.close()
        check(answer.startswith(b"HTTP/1.1 400") and b'"incomplete"' in answer, "%s cut off: %r" % (framing, answer[:200]))
    status, _, _, parsed = gateway.request("POST", "/api/v1/transfers", body=b"", headers={"X-Filename": "empty.txt"})
    check(status == 400 and parsed["error"] == "empty", "empty file: %s %r" % (status, parsed))
    check(not os.path.exists(gateway.path("transfers", "alice")), "a hostile request left a record")
    created(gateway.upload(TEXT, "still.txt"), "after the hostile requests")


GATEWAY_SETTINGS = {
    "wrong_password": {"auth_failures_per_minute": 3},
    "path_traversal_filename": {"outbox_dir": "outbox"},
    "outbox_mode": {"download_port": 0, "outbox_dir": "outbox"},
    "upload_rate_limit": {"uploads_per_minute": 2},
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mugai")
    parser.add_argument("--case")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    if args.list:
        print("\n".join(CASES))
        return 0
    function = CASES[args.case]
    if args.case == "config_errors":
        function(args.mugai)
        print("ok", args.case)
        return 0
    workdir = tempfile.mkdtemp(prefix="mugai-transfer-")
    settings = dict(GATEWAY_SETTINGS.get(args.case, {}))
    if args.case == "https":
        settings.update(tls_settings(workdir))
    gateway = Gateway(args.mugai, settings, workdir)
    try:
        function(gateway)
        gateway.stop()
    except Failure as failure:
        print("FAIL %s: %s" % (args.case, failure))
        print("mugai stderr:", "".join(gateway.stderr))
        return 1
    finally:
        if gateway.proc.poll() is None:
            gateway.proc.kill()
        gateway.cleanup()
    print("ok", args.case)
    return 0


if __name__ == "__main__":
    sys.exit(main())
