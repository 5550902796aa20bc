#!/usr/bin/python3
"""pdf strip-active and flatten through `mugai sanitize` (default profile, and a copy of it that
flattens), every output checked by independent readers (pdf_checks.py); the inputs are checked
by the same readers first, so the checks can fail. Also a mail with a JavaScript PDF through the
whole pipeline.

  test_pdf_outputs.py MUGAI SAMPLES_DIR WORK_DIR
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
import pdf_checks as pc  # noqa: E402

MUGAI, SAMPLES, WORK = sys.argv[1:4]
del sys.argv[1:4]
SOURCE = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
sys.path.insert(0, os.path.join(SOURCE, "samples", "pdf"))
import generate as samples  # noqa: E402

HOSTILE = samples.EXPECTED
BENIGN_LINES = samples.BENIGN_LINES


def flatten_config():
    """config/mugai.yaml with the pdf rule switched to flatten at 72 dpi."""
    with open(os.path.join(SOURCE, "config", "mugai.yaml"), encoding="utf-8") as f:
        text = f.read()
    rule = "{ match: pdf,        action: strip-active }"
    assert rule in text, "the default profile has no pdf strip-active rule"
    text = text.replace(rule, '{ match: pdf, action: flatten, options: { dpi: "72" } }')
    path = os.path.join(WORK, "flatten.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


class PdfOutputs(unittest.TestCase):
    outputs = {}

    @classmethod
    def setUpClass(cls):
        os.makedirs(WORK, exist_ok=True)
        for name in list(HOSTILE) + ["benign.pdf", "encrypted-empty.pdf", "malformed.pdf"]:
            cls.outputs[name] = pc.run_mugai(MUGAI, os.path.join(SAMPLES, name), os.path.join(WORK, "strip"))

    def part(self, name):
        code, out, report = self.outputs[name]
        self.assertEqual(code, 0, "%s: %s" % (name, report))
        return out, report["parts"][0]

    def test_inputs_are_hostile_by_the_same_checks(self):
        for name in HOSTILE:
            self.assertTrue(pc.active_content(os.path.join(SAMPLES, name)), name + " looks clean before sanitising")
        self.assertEqual(pc.structure(os.path.join(SAMPLES, "objstm-incremental.pdf"))[:2], (2, 1))

    def test_outputs_have_no_active_content_in_any_object(self):
        for name in list(HOSTILE) + ["benign.pdf"]:
            out, part = self.part(name)
            self.assertEqual(part["action"], "sanitized", name)
            self.assertEqual(pc.active_content(out), [], name)
            self.assertEqual(pc.structure(out), (1, 0, False), name)
            self.assertEqual(pc.file_mime(out), "application/pdf", name)

    def test_report_lists_what_was_removed(self):
        for name, code in HOSTILE.items():
            _, part = self.part(name)
            self.assertIn(code, [f["code"] for f in part["findings"]], name)
            self.assertIn("removed", part["reason"], name)

    def test_benign_text_and_pages_survive(self):
        out, part = self.part("benign.pdf")
        self.assertEqual(part["findings"], [])
        text = pc.pdf_text(out)
        for line in BENIGN_LINES:
            self.assertIn(line, text)
        self.assertEqual(pc.pdf_pages(out), pc.pdf_pages(os.path.join(SAMPLES, "benign.pdf")))

    def test_encrypted_and_malformed_are_removed_with_a_reason(self):
        for name, code in [("encrypted-empty.pdf", "pdf.encrypted"), ("malformed.pdf", "pdf.malformed")]:
            _, _, report = self.outputs[name]
            part = report["parts"][0]
            # A file that is removed as a whole is reported as rejected in file mode.
            self.assertIn(part["action"], ("removed", "rejected"), name)
            self.assertEqual(report["size_after"], 0, name)
            self.assertIn(code, [f["code"] for f in part["findings"]], name)


class PdfFlatten(unittest.TestCase):
    def test_flatten_keeps_pages_and_sizes_and_nothing_else(self):
        config = flatten_config()
        for name in ["benign.pdf", "javascript.pdf", "objstm-incremental.pdf"]:
            source = os.path.join(SAMPLES, name)
            code, out, report = pc.run_mugai(MUGAI, source, os.path.join(WORK, "flatten"), ["--config", config])
            self.assertEqual(code, 0, "%s: %s" % (name, report))
            part = report["parts"][0]
            self.assertEqual(part["action"], "converted", name)
            self.assertEqual(pc.pdf_pages(out), pc.pdf_pages(source), name)
            self.assertEqual(pc.active_content(out), [], name)
            self.assertEqual(pc.file_mime(out), "application/pdf", name)
            self.assertEqual(pc.pdf_text(out).strip(), "", name + ": a flattened page has no text layer")
            with pikepdf_open(out) as pdf:
                for page in pdf.pages:
                    images = list(page.images.values())
                    self.assertEqual(len(images), 1, name)
                    self.assertEqual(images[0].get("/Filter"), "/DCTDecode", name)


def pikepdf_open(path):
    import pikepdf
    return pikepdf.open(path)


class JavaScriptPdfMail(unittest.TestCase):
    def test_pdf_attachment_arrives_sanitised_and_the_report_says_what_went(self):
        work = os.path.join(WORK, "mail")
        os.makedirs(work, exist_ok=True)
        mail = EmailMessage()
        mail["From"] = "sender@example.com"
        mail["To"] = "staff@city.example.jp"
        mail["Subject"] = "請求書"
        mail.set_content("請求書を添付します。\n")
        with open(os.path.join(SAMPLES, "javascript.pdf"), "rb") as f:
            mail.add_attachment(f.read(), maintype="application", subtype="pdf", filename="請求書.pdf")
        source = os.path.join(work, "in.eml")
        with open(source, "wb") as f:
            f.write(mail.as_bytes())
        out = os.path.join(work, "out.eml")
        report_path = os.path.join(work, "report.json")
        result = subprocess.run([MUGAI, "sanitize", "--no-quarantine", source, "-o", out, "--report", report_path],
                                capture_output=True, timeout=300)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(out, "rb") as f:
            delivered = email.message_from_binary_file(f, policy=email.policy.default)
        pdfs = [p for p in delivered.walk() if p.get_content_type() == "application/pdf"]
        self.assertEqual(len(pdfs), 1)
        self.assertEqual(pdfs[0].get_filename(), "請求書.pdf")
        pdf_path = os.path.join(work, "delivered.pdf")
        with open(pdf_path, "wb") as f:
            f.write(pdfs[0].get_content())
        self.assertEqual(pc.active_content(pdf_path), [])
        self.assertIn(BENIGN_LINES[0], pc.pdf_text(pdf_path))
        with open(report_path, encoding="utf-8") as f:
            report = json.dumps(json.load(f), ensure_ascii=False)
        self.assertIn("pdf.javascript", report)
        self.assertIn("JavaScript", report)


if __name__ == "__main__":
    unittest.main()
