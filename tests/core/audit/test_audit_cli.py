#!/usr/bin/python3
"""`mugai audit verify` on logs written by this independent Python implementation of the
documented format (hash chain, seq, hmac last, .head sidecar): the format is the contract."""
import hashlib
import hmac
import json
import os
import subprocess
import sys
import tempfile
import unittest

MUGAI = sys.argv.pop(1) if len(sys.argv) > 1 else "mugai"
KEY = b"municipal audit key"


def signed(body, key):
    if not key:
        return body
    mac = hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()
    return body[:-1] + ',"hmac":"%s"}' % mac


def dump(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def make_lines(count, key=KEY):
    prev = "0" * 64
    lines = []
    for seq in range(1, count + 1):
        event = {"event": "message", "n": seq, "subject": "請求書 ①㈱", "seq": seq,
                 "time": "2025-01-31T09:15:%02d.123Z" % seq, "prev": prev}
        line = signed(dump(event), key)
        lines.append(line)
        prev = hashlib.sha256(line.encode("utf-8")).hexdigest()
    return lines


def write_log(path, lines, key=KEY, head_lines=None):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("".join(line + "\n" for line in lines))
    recorded = lines if head_lines is None else head_lines
    head = {"kind": "audit-head", "seq": len(recorded),
            "hash": hashlib.sha256(recorded[-1].encode("utf-8")).hexdigest()}
    with open(path + ".head", "w", encoding="utf-8") as f:
        f.write(signed(dump(head), key) + "\n")


class AuditVerifyCli(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.log = os.path.join(self.dir.name, "audit.log")
        self.key_file = os.path.join(self.dir.name, "key")
        with open(self.key_file, "wb") as f:
            f.write(KEY + b"\n")  # the trailing newline is not part of the key
        os.chmod(self.key_file, 0o600)

    def tearDown(self):
        self.dir.cleanup()

    def verify(self, *extra, key=True):
        args = [MUGAI, "audit", "verify", self.log, *extra]
        if key:
            args += ["--hmac-key-file", self.key_file]
        return subprocess.run(args, capture_output=True, timeout=60, text=True)

    def assert_problem(self, result, line, kind):
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("line %d" % line, result.stdout)
        self.assertIn("[%s]" % kind, result.stdout)
        self.assertTrue(result.stdout.startswith(self.log + ": "), result.stdout)

    def test_intact_log(self):
        write_log(self.log, make_lines(5))
        result = self.verify()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(result.stdout, "%s: ok, 5 lines, chain intact\n" % self.log)

    def test_intact_log_chain_only(self):
        write_log(self.log, make_lines(3, key=None), key=None)
        result = self.verify(key=False)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(result.stdout, "%s: ok, 3 lines, chain intact\n" % self.log)
        self.assertIn("not checked", result.stderr)

    def test_edited_line(self):
        lines = make_lines(6)
        lines[2] = lines[2].replace('"n":3', '"n":30')
        write_log(self.log, lines, head_lines=make_lines(6))
        self.assert_problem(self.verify(), 3, "edited")
        self.assert_problem(self.verify(key=False), 3, "edited")

    def test_deleted_line(self):
        lines = make_lines(6)
        del lines[3]
        write_log(self.log, lines, head_lines=make_lines(6))
        self.assert_problem(self.verify(), 4, "deleted")

    def test_swapped_lines(self):
        lines = make_lines(6)
        lines[1], lines[2] = lines[2], lines[1]
        write_log(self.log, lines, head_lines=make_lines(6))
        self.assert_problem(self.verify(), 2, "reordered")

    def test_inserted_forged_line(self):
        lines = make_lines(5)
        forged = dump({"event": "login", "user": "admin", "seq": 3, "time": "2025-01-31T09:15:02.500Z",
                       "prev": hashlib.sha256(lines[1].encode()).hexdigest()})
        lines.insert(2, forged)
        write_log(self.log, lines, head_lines=make_lines(5))
        self.assert_problem(self.verify(), 3, "inserted")

    def test_truncated_tail(self):
        lines = make_lines(6)
        write_log(self.log, lines[:4], head_lines=lines)
        self.assert_problem(self.verify(), 5, "truncated")

    def test_wrong_key(self):
        write_log(self.log, make_lines(4))
        with open(self.key_file, "wb") as f:
            f.write(b"not the key\n")
        result = self.verify()
        self.assert_problem(result, 1, "bad-hmac")
        self.assertIn("key is wrong", result.stdout)

    def test_torn_last_line(self):
        lines = make_lines(3)
        write_log(self.log, lines)
        with open(self.log, "a", encoding="utf-8") as f:
            f.write('{"event":"mess')
        self.assert_problem(self.verify(), 4, "malformed")

    def test_missing_file_and_usage(self):
        result = self.verify()
        self.assertEqual(result.returncode, 66, result.stdout + result.stderr)
        for args in ([], ["verify"], ["check", self.log], ["verify", self.log, "--bogus"],
                     ["verify", self.log, "--hmac-key-file"], ["verify", "a", "b"]):
            result = subprocess.run([MUGAI, "audit", *args], capture_output=True, timeout=60)
            self.assertEqual(result.returncode, 64, args)

    def test_empty_key_file_is_refused(self):
        write_log(self.log, make_lines(2))
        with open(self.key_file, "wb") as f:
            f.write(b"\n")
        result = self.verify()
        self.assertEqual(result.returncode, 66, result.stdout + result.stderr)
        self.assertIn("empty", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
