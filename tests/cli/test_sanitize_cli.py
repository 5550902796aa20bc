#!/usr/bin/python3
"""The `mugai sanitize` contract as external harnesses use it: options, exit codes, outputs."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

MUGAI = sys.argv.pop(1) if len(sys.argv) > 1 else "mugai"

PLAIN = (b"From: a@example.com\r\nTo: staff@city.example.jp\r\nSubject: hi\r\n"
         b"Content-Type: text/plain; charset=ISO-2022-JP\r\n\r\n"
         b"\x1b$B$3$s$K$A$O\x1b(B\r\n")
EXE_MAIL = (b"From: a@example.com\r\nTo: staff@city.example.jp\r\nSubject: exe\r\n"
            b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
            b"Content-Type: text/plain\r\n\r\nsee attached\r\n--b\r\n"
            b"Content-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            b"TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n"
            b"gAAAAA4fug4AtAnNIbgBTM0hVGhpcyBwcm9ncmFtIGNhbm5vdCBiZSBydW4gaW4gRE9TIG1vZGUu\r\n"
            b"DQ0KJAAAAAAAAABQRQAATAEDAAAAAAAAAAAAAAAAAOAAAgELAQAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n--b--\r\n")


class SanitizeCli(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.cwd = self.dir.name

    def tearDown(self):
        self.dir.cleanup()

    def path(self, name):
        return os.path.join(self.cwd, name)

    def write(self, name, data):
        with open(self.path(name), "wb") as f:
            f.write(data)
        return self.path(name)

    def run_mugai(self, *args, stdin=None):
        return subprocess.run([MUGAI, "sanitize", *args], input=stdin, cwd=self.cwd,
                              capture_output=True, timeout=60)

    def test_mail_to_stdout_with_report(self):
        src = self.write("in.eml", PLAIN)
        result = self.run_mugai("--report", self.path("r.json"), src)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(b"X-Mugai-Verdict: delivered", result.stdout)
        report = json.load(open(self.path("r.json"), encoding="utf-8"))
        self.assertEqual(report["verdict"], "delivered")
        self.assertEqual(report["profile"], "lgwan-strict")
        self.assertEqual(report["parts"][0]["action"], "kept")
        self.assertEqual(len(report["quarantine_id"]), 64)
        # The original went to the embedded config's quarantine directory.
        qdir = self.path("mugai-quarantine")
        stored = [f for _, _, files in os.walk(qdir) for f in files]
        self.assertTrue(any(f.startswith(report["quarantine_id"]) for f in stored), stored)

    def test_stdin_and_output_file(self):
        result = self.run_mugai("-", "-o", self.path("out.eml"), "--no-quarantine", stdin=PLAIN)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, b"")
        self.assertIn(b"X-Mugai-Profile: lgwan-strict", open(self.path("out.eml"), "rb").read())
        self.assertFalse(os.path.exists(self.path("mugai-quarantine")))

    def test_rejected_mail_exits_2_without_output(self):
        src = self.write("exe.eml", EXE_MAIL)
        result = self.run_mugai("--report", self.path("r.json"), src, "-o", self.path("out.eml"))
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertFalse(os.path.exists(self.path("out.eml")))
        self.assertIn(b"rejected", result.stderr)
        report = json.load(open(self.path("r.json"), encoding="utf-8"))
        self.assertEqual(report["verdict"], "rejected")
        self.assertIn("rejected", [p["action"] for p in report["parts"]])

    def test_file_mode_explicit_and_automatic(self):
        src = self.write("notes.txt", "メモ\n".encode("utf-8"))
        result = self.run_mugai("--file", src, "-o", self.path("out.txt"), "--report", self.path("r.json"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(open(self.path("out.txt"), encoding="utf-8").read(), "メモ\n")
        self.assertEqual(json.load(open(self.path("r.json")))["kind"], "file")
        pe = self.write("tool.exe", b"MZ" + b"\0" * 58 + b"\x80\0\0\0" + b"\0" * 64 + b"PE\0\0" + b"\0" * 200)
        result = self.run_mugai(pe, "-o", self.path("tool.out"), "--report", self.path("r2.json"))
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertEqual(json.load(open(self.path("r2.json")))["kind"], "file")
        self.assertFalse(os.path.exists(self.path("tool.out")))

    def test_errors_have_distinct_codes_and_one_line(self):
        result = self.run_mugai(self.path("missing.eml"))
        self.assertEqual(result.returncode, 66)
        self.assertEqual(result.stderr.count(b"\n"), 1)
        result = self.run_mugai("--profile", "no-such-profile", self.write("in.eml", PLAIN))
        self.assertEqual(result.returncode, 78)
        result = self.run_mugai("--bogus")
        self.assertEqual(result.returncode, 64)
        bad = self.write("bad.yaml", b"limits:\n  max_parts: 0\n")
        result = self.run_mugai("--config", bad, self.path("in.eml"))
        self.assertEqual(result.returncode, 78)
        self.assertIn(b"bad.yaml:2:", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
