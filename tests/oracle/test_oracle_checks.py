#!/usr/bin/python3
"""Proves the oracle can fail: a well-formed message shaped like mugai's output passes every
check, and each hand-broken variant fails the check it breaks.

  test_oracle_checks.py --mimetic-reader PATH --gmime-reader PATH
"""
import argparse
import base64
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import oracle_checks  # noqa: E402

READERS = {}

NOTICE = ("【mugai 無害化通知】このメールは無害化されました。\r\n"
          "[mugai sanitisation notice] This message was sanitised.\r\n\r\n")


def good_message(body="会議は①番会議室です。\r\n", extra_headers=b"", extra_parts=b""):
    text = base64.b64encode((NOTICE + body).encode("utf-8")).decode("ascii")
    return (b"From: =?UTF-8?B?5bGx55Sw?= <yamada@example.jp>\r\n"
            b"To: soumu@city.example.jp\r\n"
            b"Subject: =?UTF-8?B?5Lya6K2w?=\r\n"
            b"MIME-Version: 1.0\r\n"
            b"X-Mugai-Verdict: delivered\r\n"
            b"X-Mugai-Profile: lgwan-strict\r\n" + extra_headers +
            b"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
            b"--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + text.encode("ascii") + b"\r\n" + extra_parts + b"--b--\r\n")


class OracleChecks(unittest.TestCase):
    def check(self, data, strings=("①番会議室",)):
        with tempfile.NamedTemporaryFile(suffix=".eml", delete=False) as f:
            f.write(data)
        try:
            return oracle_checks.check_message(data, f.name, "lgwan-strict", list(strings),
                                               READERS["mimetic"], READERS["gmime"])
        finally:
            os.unlink(f.name)

    def assertFailsWith(self, data, fragment, strings=("①番会議室",)):
        failures = self.check(data, strings)
        self.assertTrue(any(fragment in f for f in failures),
                        "expected a failure containing %r, got %r" % (fragment, failures))

    def test_good_message_passes(self):
        self.assertEqual(self.check(good_message()), [])

    def test_html_part_fails(self):
        html = (b"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>x</p>\r\n")
        self.assertFailsWith(good_message(extra_parts=html), "text/html part remains")

    def test_bare_lf_fails(self):
        self.assertFailsWith(good_message().replace(b"\r\n", b"\n"), "bare CR or LF")

    def test_long_line_fails(self):
        self.assertFailsWith(good_message(extra_headers=b"X-Long: " + b"a" * 1000 + b"\r\n"), "octets")

    def test_8bit_header_fails(self):
        self.assertFailsWith(good_message(extra_headers="X-Name: 山田\r\n".encode("utf-8")), "not 7-bit")

    def test_two_from_fails(self):
        self.assertFailsWith(good_message(extra_headers=b"From: b@example.com\r\n"), "2 From fields")

    def test_missing_notice_fails(self):
        data = good_message().replace(base64.b64encode((NOTICE + "会議は①番会議室です。\r\n").encode("utf-8")),
                                      base64.b64encode("会議は①番会議室です。\r\n".encode("utf-8")))
        self.assertFailsWith(data, "no Japanese notice")

    def test_missing_string_fails(self):
        self.assertFailsWith(good_message(), "lacks", strings=("﨑",))

    def test_python_defect_fails(self):
        self.assertFailsWith(good_message().replace(b"--b--\r\n", b""), "CloseBoundaryNotFoundDefect")

    def test_reader_disagreement_fails(self):
        # A second Content-Type: Python takes the first, GMime the last; their trees differ.
        data = good_message().replace(b"MIME-Version: 1.0\r\n",
                                      b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n")
        failures = self.check(data)
        self.assertTrue(any("disagrees" in f or "sees" in f or "warns" in f for f in failures), failures)

    def test_verdict_header_required(self):
        self.assertFailsWith(good_message().replace(b"X-Mugai-Verdict: delivered\r\n", b""), "X-Mugai-Verdict")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--mimetic-reader", required=True)
    parser.add_argument("--gmime-reader", required=True)
    args, rest = parser.parse_known_args()
    READERS.update(mimetic=args.mimetic_reader, gmime=args.gmime_reader)
    unittest.main(argv=[sys.argv[0]] + rest)
