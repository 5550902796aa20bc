#!/usr/bin/python3
"""`mugai quarantine list|show`: on a store filled by `mugai sanitize`, and on entries written
here by hand in the documented layout (hostile subjects, ambiguous prefixes)."""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import unittest

MUGAI = sys.argv.pop(1) if len(sys.argv) > 1 else "mugai"
SOURCE_DIR = sys.argv.pop(1) if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../..")


def write_entry(directory, original, stored_at, subject="件名", sender="a@example.com", entry_id=None):
    """One entry as quarantine.cpp writes it (format mugai-quarantine/1)."""
    entry_id = entry_id or hashlib.sha256(original).hexdigest()
    shard = os.path.join(directory, entry_id[:2])
    os.makedirs(shard, mode=0o700, exist_ok=True)
    with open(os.path.join(shard, entry_id + ".orig"), "wb") as f:
        f.write(original)
    metadata = {"format": "mugai-quarantine/1", "id": entry_id, "stored_at": stored_at, "kind": "message",
                "sender": sender, "recipients": ["staff@city.example.lg.jp"], "subject": subject,
                "profile": "lgwan-strict", "verdict": "delivered", "size": len(original),
                "report": {"verdict": "delivered", "parts": []}, "delivery_count": 1, "deliveries": []}
    with open(os.path.join(shard, entry_id + ".json"), "w", encoding="utf-8") as f:
        json.dump(metadata, f, ensure_ascii=False)
    return entry_id


class QuarantineCli(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.cwd = self.dir.name
        self.store = os.path.join(self.cwd, "store")

    def tearDown(self):
        self.dir.cleanup()

    def mugai(self, *args):
        return subprocess.run([MUGAI, *args], cwd=self.cwd, capture_output=True, timeout=60)

    def test_sanitize_then_list_and_show(self):
        memo = os.path.join(self.cwd, "memo.txt")
        data = "お知らせ: 会議は 3 時からです。\n".encode("utf-8")
        with open(memo, "wb") as f:
            f.write(data)
        result = self.mugai("sanitize", "--file", memo, "-o", os.path.join(self.cwd, "out.txt"))
        self.assertEqual(result.returncode, 0, result.stderr)
        entry_id = hashlib.sha256(data).hexdigest()

        # No option: the embedded config's directory (mugai-quarantine, relative to the cwd).
        for args in ([], ["--dir", "mugai-quarantine"]):
            result = self.mugai("quarantine", "list", *args)
            self.assertEqual(result.returncode, 0, result.stderr)
            lines = result.stdout.decode("utf-8").splitlines()
            self.assertEqual(len(lines), 1, lines)
            fields = lines[0].split("\t")
            self.assertEqual(len(fields), 7, fields)
            self.assertEqual(fields[0], entry_id)
            self.assertRegex(fields[1], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
            self.assertEqual(fields[2], "file")
            self.assertEqual(fields[4], str(len(data)))
            self.assertEqual(fields[6], "memo.txt")

        result = self.mugai("quarantine", "show", entry_id[:8])
        self.assertEqual(result.returncode, 0, result.stderr)
        text = result.stdout.decode("utf-8")
        self.assertIn("id:          " + entry_id, text)
        report = json.loads(text.split("report:\n", 1)[1])
        self.assertEqual(report["quarantine_id"], entry_id)

        result = self.mugai("quarantine", "show", entry_id, "--original")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, data)

    def test_config_file_names_the_directory(self):
        write_entry(self.store, b"one", "2025-01-01T00:00:00.000Z")
        config = os.path.join(self.cwd, "mugai.yaml")
        with open(os.path.join(SOURCE_DIR, "config", "mugai.yaml"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn("quarantine_dir: mugai-quarantine", text)
        with open(config, "w", encoding="utf-8") as f:
            f.write(text.replace("quarantine_dir: mugai-quarantine", "quarantine_dir: " + self.store))
        result = self.mugai("quarantine", "list", "--config", config)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.startswith(hashlib.sha256(b"one").hexdigest().encode()), result.stdout)

    def test_list_is_sorted_and_escapes_hostile_text(self):
        late = write_entry(self.store, b"late", "2025-03-01T00:00:00.000Z")
        hostile = "請求書\x1b]0;pwned\x07\n" + "ab\u202egpj.exe\tx\\y"
        early = write_entry(self.store, b"early", "2025-01-01T00:00:00.000Z", subject=hostile,
                            sender="evil\r\n@example.com")
        result = self.mugai("quarantine", "list", "--dir", self.store)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.decode("utf-8").splitlines()
        self.assertEqual([line.split("\t")[0] for line in lines], [early, late])
        for byte in (b"\x1b", b"\x07", b"\r", "\u202e".encode()):
            self.assertNotIn(byte, result.stdout)
        fields = lines[0].split("\t")
        self.assertEqual(fields[6], "請求書\\x1b]0;pwned\\x07\\x0aab\\u202egpj.exe\\x09x\\\\y")
        self.assertEqual(fields[5], "evil\\x0d\\x0a@example.com")
        result = self.mugai("quarantine", "show", early, "--dir", self.store)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn(b"\x1b", result.stdout)
        self.assertIn("subject:     請求書\\x1b".encode(), result.stdout)

    def test_ids_are_validated(self):
        entry_id = write_entry(self.store, b"x", "2025-01-01T00:00:00.000Z")
        with open(os.path.join(self.cwd, "secret.json"), "w") as f:
            f.write("{}")
        for bad in ("../secret", "aa/../../etc", entry_id.upper(), entry_id[:7], "",
                    entry_id[:2] + "/../../secret", entry_id + "0"):
            result = self.mugai("quarantine", "show", bad, "--dir", self.store)
            self.assertEqual(result.returncode, 64, (bad, result.stdout, result.stderr))
            self.assertEqual(result.stdout, b"")
        result = self.mugai("quarantine", "show", hashlib.sha256(b"absent").hexdigest(), "--dir", self.store)
        self.assertEqual(result.returncode, 66, result.stderr)

    def test_ambiguous_prefix(self):
        seen = {}
        i = 0
        while True:
            original = b"original %d" % i
            prefix = hashlib.sha256(original).hexdigest()[:8]
            if prefix in seen:
                break
            seen[prefix] = original
            i += 1
        first = write_entry(self.store, seen[prefix], "2025-01-01T00:00:00.000Z")
        second = write_entry(self.store, original, "2025-01-02T00:00:00.000Z")
        result = self.mugai("quarantine", "show", prefix, "--dir", self.store)
        self.assertEqual(result.returncode, 64, result.stderr)
        self.assertIn(first.encode(), result.stderr)
        self.assertIn(second.encode(), result.stderr)
        result = self.mugai("quarantine", "show", first, "--dir", self.store)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_usage_and_missing_directory(self):
        result = self.mugai("quarantine", "list", "--dir", os.path.join(self.cwd, "nothing-yet"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, b"")
        for args in ([], ["frobnicate"], ["show"], ["list", "--dir"], ["list", "--original"],
                     ["list", "--dir", "a", "--config", "b"], ["list", "extra"]):
            result = self.mugai("quarantine", *args)
            self.assertEqual(result.returncode, 64, (args, result.stderr))


if __name__ == "__main__":
    unittest.main(verbosity=2)
