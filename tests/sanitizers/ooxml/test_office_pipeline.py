#!/usr/bin/python3
"""A mail with a .docm attachment through `mugai sanitize` (mail mode, default profile): the
delivered mail carries a .docx without macros (checked with zipfile and ClamAV), the report
lists the removed VBA project, and the notice tells the reader.

  test_office_pipeline.py MUGAI SAMPLES_DIR WORK_DIR
"""
import email
import email.policy
import json
import os
import subprocess
import sys
import unittest
from email.message import EmailMessage

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import office_checks as oc  # noqa: E402

MUGAI, SAMPLES, WORK = sys.argv[1:4]
del sys.argv[1:4]


class DocmMail(unittest.TestCase):
    def test_docm_attachment_arrives_as_docx_without_macros(self):
        os.makedirs(WORK, exist_ok=True)
        mail = EmailMessage()
        mail["From"] = "sender@example.com"
        mail["To"] = "staff@city.example.jp"
        mail["Subject"] = "議事録"
        mail.set_content("資料を添付します。\n")
        with open(os.path.join(SAMPLES, "macro.docm"), "rb") as f:
            mail.add_attachment(f.read(), maintype="application", subtype="vnd.ms-word.document.macroEnabled.12",
                                filename="議事録.docm")
        source = os.path.join(WORK, "in.eml")
        with open(source, "wb") as f:
            f.write(mail.as_bytes())
        out = os.path.join(WORK, "out.eml")
        report_path = os.path.join(WORK, "report.json")
        result = subprocess.run([MUGAI, "sanitize", "--no-quarantine", source, "-o", out, "--report", report_path],
                                capture_output=True, timeout=300)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(report_path, encoding="utf-8") as f:
            report = json.load(f)
        office = [p for p in report["parts"] if p.get("filename") == "議事録.docm"]
        self.assertEqual(len(office), 1, report)
        self.assertEqual(office[0]["action"], "sanitized")
        self.assertEqual(office[0]["output_filename"], "議事録.docx")
        self.assertIn("ooxml.vba-project", [f["code"] for f in office[0]["findings"]])

        with open(out, "rb") as f:
            delivered = email.message_from_bytes(f.read(), policy=email.policy.default)
        attachments = [p for p in delivered.walk() if p.get_filename()]
        self.assertEqual([a.get_filename() for a in attachments], ["議事録.docx"])
        self.assertEqual(attachments[0].get_content_type(),
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        docx = os.path.join(WORK, "delivered.docx")
        with open(docx, "wb") as f:
            f.write(attachments[0].get_payload(decode=True))
        self.assertEqual(oc.ooxml_problems(docx), [])
        self.assertEqual(oc.clam_macro_hits([docx], WORK), set())
        body = "".join(p.get_content() for p in delivered.walk() if p.get_content_type() == "text/plain"
                       and not p.get_filename())
        self.assertIn("議事録.docx", body)
        self.assertIn("macros (VBA project)", body)


if __name__ == "__main__":
    unittest.main(verbosity=2)
