"""Test inputs for the transfer tests, built here so their provenance is this file: a minimal
macro-enabled Word document (docm) with a vbaProject.bin part, and the minimal PE executable of
samples/generate.py. Deterministic bytes (fixed zip timestamps)."""
import importlib.util
import io
import os
import zipfile

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CONTENT_TYPES = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>
</Types>"""

ROOT_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""

DOCUMENT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>会議資料 (meeting notes)</w:t></w:r></w:p></w:body>
</w:document>""".encode("utf-8")

DOCUMENT_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>
</Relationships>"""

# The start of an OLE2 compound file (the container of a VBA project) followed by the kind of
# text a macro holds; enough for a sanitiser to find and drop, nothing that runs.
VBA_PROJECT = (bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
               + b"\x00" * 480 + b"Attribute VB_Name = \"ThisDocument\"\r\nSub AutoOpen()\r\nEnd Sub\r\n")


def docm():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS),
                           ("word/document.xml", DOCUMENT), ("word/_rels/document.xml.rels", DOCUMENT_RELS),
                           ("word/vbaProject.bin", VBA_PROJECT)):
            info = zipfile.ZipInfo(name, date_time=(2024, 4, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()


def pe_executable():
    spec = importlib.util.spec_from_file_location("mugai_samples", os.path.join(SOURCE, "samples", "generate.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.pe_executable()


def write_all(directory):
    """Writes report.docm and setup.exe into directory; returns their paths."""
    os.makedirs(directory, exist_ok=True)
    paths = {}
    for name, data in (("report.docm", docm()), ("setup.exe", pe_executable())):
        paths[name] = os.path.join(directory, name)
        with open(paths[name], "wb") as f:
            f.write(data)
    return paths


if __name__ == "__main__":
    import sys
    print(write_all(sys.argv[1] if len(sys.argv) > 1 else "."))
