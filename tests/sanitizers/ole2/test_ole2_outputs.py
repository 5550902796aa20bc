#!/usr/bin/python3
"""ole2 through `mugai sanitize --file`: convert (the default profile: LibreOffice to OOXML,
then ooxml strip-active) and strip-active (libgsf rewrite, via a test profile); outputs checked
by python3-olefile, ClamAV --alert-macros, zipfile, file(1), LibreOffice and pdftotext. The
inputs are checked by the same readers, so every check can fail.

  test_ole2_outputs.py MUGAI SAMPLES_DIR WORK_DIR
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ooxml"))
import office_checks as oc  # noqa: E402

MUGAI, SAMPLES, WORK = sys.argv[1:4]
del sys.argv[1:4]

STRIP_CONFIG = """profiles:
  office-strip:
    rules:
      - { match: ole2, action: strip-active }
      - { match: any, action: remove }
select:
  - { default: office-strip }
"""
MACRO_INPUTS = ["macro.doc", "macro.xls"]
CONVERT_INPUTS = MACRO_INPUTS + ["benign.ppt", "dde.doc"]
OOXML_MIME = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
OLE_MIME = {".doc": "application/msword", ".xls": "application/vnd.ms-excel"}


class Ole2Outputs(unittest.TestCase):
    converted = {}
    stripped = {}

    @classmethod
    def setUpClass(cls):
        os.makedirs(WORK, exist_ok=True)
        config = os.path.join(WORK, "strip.yaml")
        with open(config, "w") as f:
            f.write(STRIP_CONFIG)
        for name in CONVERT_INPUTS:
            path = os.path.join(SAMPLES, name)
            cls.converted[name] = oc.run_mugai(MUGAI, path, os.path.join(WORK, "convert"))
            cls.stripped[name] = oc.run_mugai(MUGAI, path, os.path.join(WORK, "strip"), ["--config", config])

    @classmethod
    def output(cls, table, name):
        code, out, report = table[name]
        assert code == 0, "%s: %s" % (name, report)
        return out, report["parts"][0]

    def test_inputs_have_macros_for_olefile_and_clamav(self):
        inputs = [os.path.join(SAMPLES, n) for n in MACRO_INPUTS]
        for path in inputs:
            self.assertTrue(oc.ole_macro_storages(path), path)
        self.assertEqual(oc.clam_macro_hits(inputs, WORK), set(inputs))

    def test_convert_gives_clean_ooxml_with_the_new_name(self):
        for name in CONVERT_INPUTS:
            out, part = self.output(self.converted, name)
            self.assertEqual(part["action"], "converted")
            extension = os.path.splitext(name)[1] + "x"
            self.assertEqual(part["output_filename"], os.path.splitext(name)[0] + extension)
            if name in MACRO_INPUTS:
                self.assertIn("ole2.vba", [f["code"] for f in part["findings"]])
            self.assertEqual(oc.ooxml_problems(out), [], name)
            self.assertEqual(oc.file_mime(out), OOXML_MIME[extension])

    def test_strip_active_leaves_no_vba_storage(self):
        for name in MACRO_INPUTS:
            out, part = self.output(self.stripped, name)
            self.assertEqual(part["action"], "sanitized")
            self.assertEqual(oc.ole_macro_storages(out), [], name)
            self.assertEqual(oc.file_mime(out), OLE_MIME[os.path.splitext(name)[1]])

    def test_strip_active_refuses_powerpoint_and_dde(self):
        for name, code in (("benign.ppt", "ole2.strip-unsupported"), ("dde.doc", "ole2.dde")):
            exit_code, out, report = self.stripped[name]
            self.assertEqual(exit_code, 2, name)  # the only part was removed
            self.assertIn(code, [f["code"] for f in report["parts"][0]["findings"]], name)

    def test_the_dde_input_has_dde_and_its_conversion_has_none(self):
        with open(os.path.join(SAMPLES, "dde.doc"), "rb") as f:
            self.assertIn("DDEAUTO".encode("utf-16-le"), f.read())
        out, part = self.output(self.converted, "dde.doc")
        self.assertIn("ole2.dde", [f["code"] for f in part["findings"]])
        self.assertEqual(oc.ooxml_problems(out), [])

    def test_clamav_finds_no_macros_in_any_output(self):
        outputs = [self.output(t, n)[0] for t in (self.converted, self.stripped) for n in MACRO_INPUTS]
        self.assertEqual(oc.clam_macro_hits(outputs, WORK), set())

    def test_libreoffice_opens_every_output_and_the_text_survives(self):
        paths = []
        for label, table, names in (("convert", self.converted, CONVERT_INPUTS[:3]),
                                    ("strip", self.stripped, MACRO_INPUTS)):
            for name in names:
                out, part = self.output(table, name)
                renamed = os.path.join(WORK, "lo-%s-%s" % (label, part["output_filename"] or name))
                with open(out, "rb") as src, open(renamed, "wb") as dst:
                    dst.write(src.read())
                paths.append(renamed)
        for path, pdf in oc.libreoffice_to_pdf(paths, WORK).items():
            self.assertIsNotNone(pdf, "LibreOffice could not open " + path)
            text = oc.squeeze(oc.pdf_text(pdf))
            for line in oc.BENIGN_LINES:
                self.assertIn(oc.squeeze(line), text, path)


JAPANESE = {  # sample -> (class, finding, detected type)
    "sample.jtd": ("ichitaro", "format.ichitaro", "application/x-js-taro"),
    "sample.xdw": ("docuworks", "format.docuworks", "application/vnd.fujixerox.docuworks"),
    "sample.jww": ("jw-cad", "format.jw-cad", "application/x-jw-cad"),
    "sample.p21": ("cad-exchange", "format.step", "model/step"),
    "sample.sfc": ("cad-exchange", "format.sfc", "application/x-sxf-sfc"),
}


class JapaneseFormats(unittest.TestCase):
    def test_each_format_is_named_and_removed_by_default(self):
        for name, (cls, code, mime) in JAPANESE.items():
            exit_code, out, report = oc.run_mugai(MUGAI, os.path.join(SAMPLES, name), os.path.join(WORK, "jp"))
            part = report["parts"][0]
            self.assertEqual(exit_code, 2, name)  # a file whose only part is removed is rejected
            self.assertIsNone(out)
            self.assertEqual(part["detected_class"], cls, name)
            self.assertEqual(part["detected_type"], mime, name)
            self.assertIn(code, [f["code"] for f in part["findings"]], name)
            self.assertIn(cls, part["reason"], name)

    def test_a_profile_can_choose_per_format(self):
        import email
        import email.policy
        import json
        import subprocess
        from email.message import EmailMessage
        workdir = os.path.join(WORK, "jp-mail")
        os.makedirs(workdir, exist_ok=True)
        config = os.path.join(workdir, "jp.yaml")
        with open(config, "w") as f:
            f.write("profiles:\n  jp:\n    rules:\n      - { match: text, action: keep }\n"
                    "      - { match: ichitaro, action: hold }\n      - { match: any, action: remove }\n"
                    "select:\n  - { default: jp }\n")
        mail = EmailMessage()
        mail["From"] = "a@example.com"
        mail["To"] = "staff@city.example.jp"
        mail["Subject"] = "drawings"
        mail.set_content("see attached\n")
        for name in ("sample.jtd", "sample.jww"):
            with open(os.path.join(SAMPLES, name), "rb") as f:
                mail.add_attachment(f.read(), maintype="application", subtype="octet-stream", filename=name)
        source = os.path.join(workdir, "in.eml")
        with open(source, "wb") as f:
            f.write(mail.as_bytes())
        report_path = os.path.join(workdir, "r.json")
        out = os.path.join(workdir, "out.eml")
        result = subprocess.run([MUGAI, "sanitize", "--no-quarantine", "--config", config, source, "-o", out,
                                 "--report", report_path], capture_output=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(report_path, encoding="utf-8") as f:
            parts = {p.get("filename"): p for p in json.load(f)["parts"]}
        self.assertEqual(parts["sample.jtd"]["action"], "held")
        self.assertEqual(parts["sample.jww"]["action"], "removed")
        with open(out, "rb") as f:
            delivered = email.message_from_bytes(f.read(), policy=email.policy.default)
        notice = delivered.get_body(("plain",)).get_content()
        self.assertIn("ichitaro", notice)  # the notice names the formats
        self.assertIn("jw-cad", notice)

if __name__ == "__main__":
    unittest.main(verbosity=2)
