#!/usr/bin/python3
"""Archives end to end through the `mugai` binary: mails with archive attachments are sanitised,
the repacked ZIPs are read back with Python's zipfile (an independent reader), password-protected
archives are held and released with `mugai quarantine release`, and a real clamd (with a
signature database made here by sigtool: Debian ships none and there is no network) finds the
EICAR test string three archives deep.

Usage: test_archive_cli.py MUGAI SAMPLES_DIR (samples from samples/archives/generate.py)."""
import email
import email.policy
import glob
import io
import json
import os
import re
import signal
import smtplib
import socket as sockets
import subprocess
import sys
import tempfile
import time
import unittest
import zipfile
from email.message import EmailMessage

MUGAI = sys.argv.pop(1) if len(sys.argv) > 1 else "mugai"
SAMPLES = sys.argv.pop(1) if len(sys.argv) > 1 else "samples"
PASSWORD = "mugai-ppap-2024"
EICAR = "".join(["X5O!P%@AP[4\\PZX54(P^)7CC)7}$", "EICAR-STANDARD-", "ANTIVIRUS-TEST-", "FILE!$H+H*"])

CONFIG = """
quarantine_dir: {dir}/quarantine
serve:
  listen_port: {port}
  accepted_domains: [city.example.lg.jp]
  admin_port: 0
  outbox_dir: {dir}/outbox
  audit_log: {dir}/audit.log
clamd:
  socket: {socket}
  timeout_seconds: 20
profiles:
  test:
    malware_scan: {scan}
    rules:
      - {{ match: executable, action: remove }}
      - {{ match: script,     action: remove }}
      - {{ match: text,       action: keep }}
      - {{ match: html,       action: to-text }}
      - {{ match: archive,    action: extract-and-recurse, options: {{ encrypted: hold }} }}
      - {{ match: any,        action: remove }}
select:
  - {{ default: test }}
"""


def sample(name):
    with open(os.path.join(SAMPLES, name), "rb") as f:
        return f.read()


def mail_with(*attachments):
    message = EmailMessage()
    message["From"] = "partner@example.com"
    message["To"] = "staff@city.example.lg.jp"
    message["Subject"] = "資料送付"
    message["Date"] = "Mon, 01 Apr 2024 09:00:00 +0900"
    message["Message-ID"] = "<archive-test@example.com>"
    message.set_content("資料をお送りします。\n")
    for name in attachments:
        message.add_attachment(sample(name), maintype="application", subtype="octet-stream", filename=name)
    return bytes(message)


def crlf(raw):
    """SMTP wants CRLF line ends (mugai refuses bare LF: smuggling)."""
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def notice_of(message):
    return message.get_body(("plain",)).get_content()


def attachments(message):
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


def walk_zip(data, prefix=""):
    """Every member of a ZIP and of ZIPs inside it: [(path, bytes, flag_bits)]."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None, "CRC error in " + prefix
        for info in archive.infolist():
            content = archive.read(info)
            found.append((prefix + info.filename, content, info.flag_bits))
            if content.startswith(b"PK\x03\x04"):
                found.extend(walk_zip(content, prefix + info.filename + "!/"))
    return found


def all_members(report):
    out = []

    def visit(part):
        for member in part.get("members", []):
            out.append(member)
            visit(member)
    for part in report["parts"]:
        visit(part)
    return out


class ArchiveCli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.write_config(scan="none", socket=os.path.join(self.dir, "clamd.sock"))

    def tearDown(self):
        self.tmp.cleanup()

    def write_config(self, scan, socket):
        self.config = os.path.join(self.dir, "mugai.yaml")
        with sockets.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        with open(self.config, "w") as f:
            f.write(CONFIG.format(dir=self.dir, scan=scan, socket=socket, port=self.port))

    def serve(self):
        """Starts `mugai serve` on self.config; returns the process once it listens."""
        process = subprocess.Popen([MUGAI, "serve", "--config", self.config], cwd=self.dir, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True)
        for line in process.stdout:
            if re.search(r"listening on 127\.0\.0\.1:\d+", line):
                return process
        process.kill()
        raise AssertionError("mugai serve did not start")

    @staticmethod
    def stop(process):
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        process.stdout.close()

    def mugai(self, *args, stdin=None):
        return subprocess.run([MUGAI, *args], cwd=self.dir, input=stdin, capture_output=True, timeout=120)

    def sanitize(self, raw, *extra):
        report = os.path.join(self.dir, "report.json")
        result = self.mugai("sanitize", "--config", self.config, "--report", report, "--from", "partner@example.com",
                            "--to", "staff@city.example.lg.jp", *extra, "-", stdin=raw)
        with open(report, encoding="utf-8") as f:
            return result, json.load(f)

    def test_repacked_zip_has_utf8_names_and_no_removed_members(self):
        result, report = self.sanitize(mail_with("plain.zip", "cp932-names.zip", "traversal.zip"))
        self.assertEqual(result.returncode, 0, result.stderr)
        message = parse(result.stdout)
        files = attachments(message)
        self.assertEqual(sorted(files), ["cp932-names.zip", "plain.zip", "traversal.zip"])

        plain = {name: (content, flags) for name, content, flags in walk_zip(files["plain.zip"])}
        self.assertEqual(sorted(plain), ["DUP (2).txt", "dup.txt", "hello.txt", "資料/日本語.txt"])
        self.assertEqual(plain["資料/日本語.txt"][0], "会議は3時からです。\n".encode("utf-8"))
        self.assertTrue(plain["資料/日本語.txt"][1] & 0x800, "UTF-8 flag (bit 11) must be set")
        self.assertNotIn("tools/update.exe", plain)

        cp932 = {name for name, _, _ in walk_zip(files["cp932-names.zip"])}
        self.assertEqual(cp932, {"請求書.txt", "資料/議事録.txt"})

        traversal = [name for name, _, _ in walk_zip(files["traversal.zip"])]
        for name in traversal:
            self.assertFalse(name.startswith("/") or ".." in name.split("/") or ":" in name or "\\" in name, name)
            self.assertNotIn("\u202e", name)
        self.assertIn("etc/cron.d/evil.txt", traversal)
        self.assertNotIn("reporttxt.exe", traversal)
        for _, content, _ in walk_zip(files["traversal.zip"]):
            self.assertFalse(content.startswith(b"MZ"))

        notice = notice_of(message)
        self.assertIn("update.exe: 削除", notice)
        self.assertIn("update.exe: removed", notice)
        members = all_members(report)
        self.assertTrue(any(m["path"] == "2/3" and m["action"] == "removed" for m in members))

    def test_repack_attach_delivers_members_as_attachments(self):
        with open(self.config) as f:
            text = f.read().replace("{ encrypted: hold }", "{ encrypted: hold, repack: attach }")
        with open(self.config, "w") as f:
            f.write(text)
        result, report = self.sanitize(mail_with("plain.zip"))
        self.assertEqual(result.returncode, 0, result.stderr)
        files = attachments(parse(result.stdout))
        self.assertEqual(sorted(files), ["DUP (2).txt", "dup.txt", "hello.txt", "資料_日本語.txt"])
        self.assertEqual(files["資料_日本語.txt"], "会議は3時からです。\n")
        self.assertEqual(report["parts"][1]["reason"],
                         "archive (ZIP 2.0 (deflation)) unpacked: 4 of 5 files attached separately, 1 removed")

    def test_docm_inside_zip_inside_7z_carries_no_macros(self):
        result, report = self.sanitize(mail_with("docm-in-zip-in.7z"))
        self.assertEqual(result.returncode, 0, result.stderr)
        files = attachments(parse(result.stdout))
        self.assertEqual(list(files), ["docm-in-zip-in.zip"])
        for name, content, _ in walk_zip(files["docm-in-zip-in.zip"]):
            self.assertFalse(name.endswith("vbaProject.bin"), name)
            if content.startswith(b"PK\x03\x04"):
                self.assertNotIn(b"vbaProject", content, name)
        docm = [m for m in all_members(report) if m["filename"].endswith(".docm")]
        self.assertEqual(len(docm), 1)
        self.assertEqual(docm[0]["path"], "2/1/1")

    def test_limits_give_named_verdicts(self):
        cases = {"bomb-ratio.zip": r"removed: expansion ratio \d+ > 100",
                 "bomb-nested.zip": r"removed: archive nesting depth 6 > 5",
                 "bomb-overlap.zip": r"removed: expansion ratio \d+ > 100",
                 "bomb-quoted-overlap.zip": r"removed: expansion ratio \d+ > 100 \(whole archive\)",
                 "many-entries.zip": r"removed: entry count 1001 > 1000"}
        for name, pattern in cases.items():
            with self.subTest(name=name):
                result, report = self.sanitize(mail_with(name))
                self.assertEqual(result.returncode, 0, result.stderr)
                part = [p for p in report["parts"] if p["filename"] == name][0]
                self.assertEqual(part["action"], "removed")
                self.assertRegex(part["reason"], pattern)
                self.assertEqual(attachments(parse(result.stdout)), {})
                self.assertRegex(notice_of(parse(result.stdout)), name + ": 削除（" + pattern)

    def test_encrypted_zip_is_held_then_released_with_the_password(self):
        raw = mail_with("encrypted-zipcrypto.zip")
        result, report = self.sanitize(raw)
        self.assertEqual(result.returncode, 0, result.stderr)
        message = parse(result.stdout)
        self.assertEqual(attachments(message), {})
        notice = notice_of(message)
        self.assertIn("encrypted-zipcrypto.zip: 保留（隔離）", notice)
        self.assertIn("パスワード付き", notice)
        self.assertIn("Password-protected (encrypted) archives cannot be inspected", notice)
        part = report["parts"][1]
        self.assertEqual(part["action"], "held")
        self.assertIn("archive.encrypted", [f["code"] for f in part["findings"]])
        quarantine_id = report["quarantine_id"]

        wrong = os.path.join(self.dir, "wrong.txt")
        with open(wrong, "w") as f:
            f.write("guess-123\n")
        refused = self.mugai("quarantine", "release", quarantine_id, "--password-file", wrong, "--config", self.config,
                             "--by", "clerk")
        self.assertEqual(refused.returncode, 3, refused.stderr)
        self.assertIn(b"password does not open", refused.stderr)
        self.assertEqual(glob.glob(os.path.join(self.dir, "outbox", "*.eml")), [])

        right = os.path.join(self.dir, "right.txt")
        with open(right, "w") as f:
            f.write(PASSWORD + "\n")
        released = self.mugai("quarantine", "release", quarantine_id[:12], "--password-file", right, "--config",
                              self.config, "--by", "admin-sato")
        self.assertEqual(released.returncode, 0, released.stderr)
        delivered = glob.glob(os.path.join(self.dir, "outbox", "*.eml"))
        self.assertEqual(len(delivered), 1)
        with open(delivered[0], "rb") as f:
            raw_out = f.read()
        self.assertIn(b"X-Mugai-Envelope-To: <staff@city.example.lg.jp>", raw_out)
        out = parse(raw_out[raw_out.index(b"Received:"):])
        files = attachments(out)
        self.assertEqual(list(files), ["encrypted-zipcrypto.zip"])
        members = {name: content for name, content, _ in walk_zip(files["encrypted-zipcrypto.zip"])}
        self.assertEqual(members, {"見積書.txt": "見積金額: 100,000円\n".encode("utf-8")})  # setup.exe removed
        self.assertIn("setup.exe: removed", notice_of(out))

        with open(os.path.join(self.dir, "audit.log"), encoding="utf-8") as f:
            lines = [json.loads(line) for line in f]
        self.assertEqual([(l["by"], l["outcome"]) for l in lines], [("clerk", "wrong-password"),
                                                                     ("admin-sato", "released")])
        self.assertTrue(all(l["id"] == quarantine_id for l in lines))
        verify = self.mugai("audit", "verify", os.path.join(self.dir, "audit.log"))
        self.assertEqual(verify.returncode, 0, verify.stderr)
        for path in glob.glob(os.path.join(self.dir, "**"), recursive=True):
            if os.path.isfile(path) and not path.endswith(("right.txt", ".orig")):
                with open(path, "rb") as f:
                    self.assertNotIn(PASSWORD.encode(), f.read(), path)

    def test_serve_holds_ppap_and_answers_451_when_the_scanner_is_down(self):
        gateway = self.serve()
        try:
            with smtplib.SMTP("127.0.0.1", self.port, timeout=60) as client:
                refused = client.sendmail("partner@example.com", ["staff@city.example.lg.jp"],
                                          crlf(mail_with("encrypted-zipcrypto.zip")))
                self.assertEqual(refused, {})
                client.sendmail("partner@example.com", ["staff@city.example.lg.jp"], crlf(mail_with("plain.zip")))
        finally:
            self.stop(gateway)
        delivered = sorted(glob.glob(os.path.join(self.dir, "outbox", "*.eml")), key=os.path.getmtime)
        self.assertEqual(len(delivered), 2)
        with open(delivered[0], "rb") as f:
            raw = f.read()
        message = parse(raw[raw.index(b"From:"):])
        self.assertEqual(attachments(message), {})
        self.assertIn("パスワード付き", notice_of(message))
        # The audit line of the second mail records what was removed inside the archive.
        with open(os.path.join(self.dir, "audit.log"), encoding="utf-8") as f:
            messages = [json.loads(line) for line in f if '"event":"message"' in line]
        members = messages[1]["parts"][1]["members"]
        self.assertIn({"path": "2/3", "action": "removed", "module": "pipeline",
                       "detected_type": "application/vnd.microsoft.portable-executable",
                       "filename": "tools/update.exe", "reason": "executable removed by profile test"}, members)

        self.write_config(scan="clamd", socket=os.path.join(self.dir, "no-clamd.sock"))
        gateway = self.serve()
        try:
            with smtplib.SMTP("127.0.0.1", self.port, timeout=60) as client:
                with self.assertRaises(smtplib.SMTPDataError) as failure:
                    client.sendmail("partner@example.com", ["staff@city.example.lg.jp"], crlf(mail_with("plain.7z")))
            self.assertEqual(failure.exception.smtp_code, 451)
            self.assertIn(b"4.3.0", failure.exception.smtp_error)
        finally:
            self.stop(gateway)
        self.assertEqual(len(glob.glob(os.path.join(self.dir, "outbox", "*.eml"))), 2)

    def test_aes_zip_releases_and_7z_aes_says_it_cannot(self):
        right = os.path.join(self.dir, "right.txt")
        with open(right, "w") as f:
            f.write(PASSWORD)
        _, report = self.sanitize(mail_with("encrypted-aes.zip"))
        released = self.mugai("quarantine", "release", report["quarantine_id"], "--password-file", right, "--config",
                              self.config)
        self.assertEqual(released.returncode, 0, released.stderr)
        _, report = self.sanitize(mail_with("encrypted-headers.7z"))
        self.assertEqual(report["parts"][1]["action"], "held")
        refused = self.mugai("quarantine", "release", report["quarantine_id"], "--password-file", right, "--config",
                             self.config)
        self.assertEqual(refused.returncode, 4, refused.stderr)
        self.assertIn(b"cannot decrypt this archive format", refused.stderr)

    def test_config_check_refuses_unsafe_archive_and_scanner_values(self):
        bad = os.path.join(self.dir, "bad.yaml")
        with open(bad, "w") as f:
            f.write("clamd:\n  socket: \"\"\nlimits:\n  max_archive_depth: 0\n  max_expand_ratio: 0\n"
                    "profiles:\n  p:\n    malware_scan: clamav\n    rules: []\nselect:\n  - { default: p }\n")
        result = self.mugai("config", "check", bad)
        self.assertNotEqual(result.returncode, 0)
        errors = result.stderr.decode()
        self.assertIn("clamd.socket: must not be empty", errors)
        self.assertIn("limits.max_archive_depth: 0 is refused", errors)
        self.assertIn("limits.max_expand_ratio: 0 is refused", errors)
        self.assertIn("unknown malware scan 'clamav'", errors)

    def test_embedded_lgwan_strict_profile(self):
        """config/mugai.yaml: archives extracted (encrypted held), disk images removed, and an
        executable inside an archive refuses the message like a top-level one."""
        report_path = os.path.join(self.dir, "embedded.json")

        def run(raw):
            result = self.mugai("sanitize", "--no-quarantine", "--report", report_path, "-", stdin=raw)
            with open(report_path, encoding="utf-8") as f:
                return result, json.load(f)
        result, report = run(mail_with("plain.7z", "shortcut.iso", "encrypted-aes.zip"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(report["profile"], "lgwan-strict")
        actions = {p["filename"]: (p["action"], p["reason"]) for p in report["parts"][1:]}
        self.assertEqual(actions["plain.7z"][0], "sanitized")
        self.assertEqual(actions["shortcut.iso"], ("removed", "disk-image removed by profile lgwan-strict"))
        self.assertEqual(actions["encrypted-aes.zip"][0], "held")
        self.assertEqual(sorted(attachments(parse(result.stdout))), ["plain.zip"])
        result, report = run(mail_with("plain.zip"))
        self.assertEqual(result.returncode, 2)
        self.assertEqual(report["rejection_code"], "policy.archive")
        self.assertIn("tools/update.exe is not accepted", report["reason"])

    def test_without_a_scanner_every_report_says_so(self):
        _, report = self.sanitize(mail_with("plain.7z"))
        self.assertEqual(report["malware_scan"], "not performed")

    def test_clamd_finds_eicar_three_archives_deep_and_fails_closed_when_down(self):
        clamd_dir = os.path.join(self.dir, "clamd")
        os.makedirs(clamd_dir)
        # The scan runs in mugai's worker, which drops to serve.worker_user (nobody) when the test
        # runs as root: like /run/clamav, the socket must be reachable by that user.
        os.chmod(self.dir, 0o755)
        os.chmod(clamd_dir, 0o755)
        with open(os.path.join(clamd_dir, "eicar.bin"), "w") as f:
            f.write(EICAR)
        signature = subprocess.run(["sigtool", "--md5", os.path.join(clamd_dir, "eicar.bin")], capture_output=True,
                                   check=True, text=True).stdout.strip()
        os.unlink(os.path.join(clamd_dir, "eicar.bin"))
        md5, size, _ = signature.split(":")
        with open(os.path.join(clamd_dir, "mugai-test.hdb"), "w") as f:
            f.write(f"{md5}:{size}:Mugai-Test-EICAR\n")
        socket = os.path.join(clamd_dir, "clamd.sock")
        with open(os.path.join(clamd_dir, "clamd.conf"), "w") as f:
            # ScanArchive no: clamd must not find EICAR by unpacking the outer ZIP itself; the hit
            # has to come from mugai scanning the leaf it extracted three levels down.
            f.write(f"LocalSocket {socket}\nForeground yes\nDatabaseDirectory {clamd_dir}\n"
                    f"LogFile {clamd_dir}/clamd.log\nScanArchive no\nUser root\nLocalSocketMode 666\n")
        daemon = subprocess.Popen(["clamd", "-c", os.path.join(clamd_dir, "clamd.conf")], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            for _ in range(600):
                if os.path.exists(socket) or daemon.poll() is not None:
                    break
                time.sleep(0.1)
            self.assertTrue(os.path.exists(socket), "clamd did not start")
            self.write_config(scan="clamd", socket=socket)
            result, report = self.sanitize(mail_with("eicar-nested.zip"))
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(report["malware_scan"], "clamd")
            hits = [m for m in all_members(report) if any(f["code"] == "malware.found" for f in m["findings"])]
            self.assertEqual(len(hits), 1)
            self.assertEqual(hits[0]["path"], "2/1/1/1")
            self.assertEqual(hits[0]["action"], "removed")
            self.assertIn("malware found: Mugai-Test-EICAR", hits[0]["reason"])
            files = attachments(parse(result.stdout))
            for name, content, _ in walk_zip(files["eicar-nested.zip"]):
                self.assertNotIn(b"EICAR-STANDARD", content, name)
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(timeout=30)
        # The daemon is gone: nothing may be delivered unchecked.
        result, report = self.sanitize(mail_with("plain.7z"))
        self.assertEqual(result.returncode, 75, result.stderr)
        self.assertEqual(report["verdict"], "tempfail")
        self.assertEqual(report["rejection_code"], "scan.unavailable")


if __name__ == "__main__":
    unittest.main(verbosity=2)
