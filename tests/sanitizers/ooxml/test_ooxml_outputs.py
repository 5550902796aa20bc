#!/usr/bin/python3
"""ooxml strip-active through `mugai sanitize --file` (default profile), every output checked
by independent readers (office_checks.py); the inputs are checked too, so the checks can fail.

  test_ooxml_outputs.py MUGAI SAMPLES_DIR WORK_DIR
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import office_checks as oc  # noqa: E402

MUGAI, SAMPLES, WORK = sys.argv[1:4]
del sys.argv[1:4]

HOSTILE = {  # sample -> (finding code the report must list, output extension)
    "macro.docm": ("ooxml.vba-project", ".docx"),
    "docprops-first.docm": ("ooxml.vba-project", ".docx"),
    "macro.xlsm": ("ooxml.vba-project", ".xlsx"),
    "template-injection.docx": ("ooxml.external-relationship", ".docx"),
    "dde.docx": ("ooxml.dde", ".docx"),
    "activex.docx": ("ooxml.activex", ".docx"),
    "ole-embedding.docx": ("ooxml.ole-object", ".docx"),
    "external-link.xlsx": ("ooxml.dde", ".xlsx"),
}
BENIGN = ["benign.docx", "benign.xlsx", "benign.pptx"]
MIME = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}


class OoxmlOutputs(unittest.TestCase):
    outputs = {}

    @classmethod
    def setUpClass(cls):
        os.makedirs(WORK, exist_ok=True)
        for name in list(HOSTILE) + BENIGN:
            code, out, report = oc.run_mugai(MUGAI, os.path.join(SAMPLES, name), WORK)
            cls.outputs[name] = (code, out, report)

    def part(self, name):
        code, out, report = self.outputs[name]
        self.assertEqual(code, 0, "%s: %s" % (name, report))
        return out, report["parts"][0]

    def test_inputs_are_hostile_by_the_same_checks(self):
        for name in HOSTILE:
            self.assertTrue(oc.ooxml_problems(os.path.join(SAMPLES, name)), name + " looks clean before sanitising")

    def test_outputs_are_clean_and_consistent(self):
        for name in list(HOSTILE) + BENIGN:
            out, part = self.part(name)
            self.assertEqual(part["action"], "sanitized", name)
            self.assertEqual(oc.ooxml_problems(out), [], name)

    def test_report_names_what_was_removed_and_the_new_name(self):
        for name, (code, extension) in HOSTILE.items():
            _, part = self.part(name)
            self.assertIn(code, [f["code"] for f in part["findings"]], name)
            self.assertEqual(os.path.splitext(part["output_filename"])[1], extension, name)
        _, part = self.part("macro.docm")
        self.assertEqual(part["output_filename"], "macro.docx")
        self.assertIn(".docm converted to .docx", part["reason"])

    def test_a_package_libmagic_does_not_name_is_still_found(self):
        self.assertEqual(oc.file_mime(os.path.join(SAMPLES, "docprops-first.docm")), "application/octet-stream")
        _, part = self.part("docprops-first.docm")
        self.assertEqual(part["detected_class"], "ooxml")

    def test_file_agrees_with_the_declared_type(self):
        for name in list(HOSTILE) + BENIGN:
            out, part = self.part(name)
            self.assertEqual(oc.file_mime(out), MIME[os.path.splitext(part["output_filename"])[1]], name)

    def test_clamav_flags_the_macro_inputs_and_none_of_the_outputs(self):
        inputs = [os.path.join(SAMPLES, n) for n in ("macro.docm", "macro.xlsm")]
        self.assertEqual(oc.clam_macro_hits(inputs, WORK), set(inputs))
        outputs = [self.part(n)[0] for n in list(HOSTILE) + BENIGN]
        self.assertEqual(oc.clam_macro_hits(outputs, WORK), set())

    def test_libreoffice_opens_every_output_and_the_text_survives(self):
        # One LibreOffice run for all outputs (several seconds each otherwise). The copies get
        # the output names so LibreOffice picks its filter by the new extension.
        paths = []
        for name in list(HOSTILE) + BENIGN:
            out, part = self.part(name)
            renamed = os.path.join(WORK, "lo-" + os.path.splitext(name)[0] + "-" + part["output_filename"])
            with open(out, "rb") as src, open(renamed, "wb") as dst:
                dst.write(src.read())
            paths.append(renamed)
        pdfs = oc.libreoffice_to_pdf(paths, WORK)
        for path, pdf in pdfs.items():
            self.assertIsNotNone(pdf, "LibreOffice could not convert " + path)
            text = oc.squeeze(oc.pdf_text(pdf))
            for line in oc.BENIGN_LINES:
                self.assertIn(oc.squeeze(line), text, path)
        dde_text = oc.pdf_text(pdfs[paths[list(HOSTILE).index("dde.docx")]])
        self.assertIn("dde result text", dde_text)  # the field's cached result stays


if __name__ == "__main__":
    unittest.main(verbosity=2)
