"""Independent checks of mugai's PDF outputs: python3-pikepdf walks every object (objects that
lived in object streams included), poppler's pdftotext/pdfinfo read text and pages, libmagic
(`file`) names the type. None of them uses mugai's code or qpdf's C++ API directly through mugai.
"""
import json
import os
import subprocess

import pikepdf

FORBIDDEN_KEYS = {"/JS", "/JavaScript", "/OpenAction", "/AA", "/EmbeddedFiles", "/EF", "/RF", "/XFA",
                  "/RichMediaContent", "/RichMediaSettings", "/AF", "/Collection"}
FORBIDDEN_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/URI",
                     "/RichMediaExecute", "/Rendition"}
FORBIDDEN_SUBTYPES = {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}


def _dicts(obj, seen_depth=0):
    """Every dictionary in one object, direct children included."""
    if seen_depth > 100:
        return
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        yield obj
        for key in obj.keys():
            child = obj.get(key)
            if isinstance(child, (pikepdf.Dictionary, pikepdf.Array)) and not child.is_indirect:
                yield from _dicts(child, seen_depth + 1)
    elif isinstance(obj, pikepdf.Array):
        for child in obj:
            if isinstance(child, (pikepdf.Dictionary, pikepdf.Array)) and not child.is_indirect:
                yield from _dicts(child, seen_depth + 1)


def active_content(path, password=""):
    """Every forbidden key, action type or annotation subtype in any object, as strings."""
    problems = []
    with pikepdf.open(path, password=password) as pdf:
        for obj in list(pdf.objects) + [pdf.trailer]:
            for d in _dicts(obj):
                for key in d.keys():
                    if key in FORBIDDEN_KEYS:
                        problems.append(key)
                s = d.get("/S")
                if isinstance(s, pikepdf.Name) and str(s) in FORBIDDEN_ACTIONS:
                    problems.append("/S" + str(s))
                sub = d.get("/Subtype")
                if isinstance(sub, pikepdf.Name) and str(sub) in FORBIDDEN_SUBTYPES:
                    problems.append("/Subtype" + str(sub))
                if d.get("/Type") == pikepdf.Name.EmbeddedFile:
                    problems.append("/Type/EmbeddedFile")
    return problems


def structure(path):
    """(revisions, object streams, encrypted) from the raw bytes and pikepdf."""
    with open(path, "rb") as f:
        data = f.read()
    with pikepdf.open(path) as pdf:
        encrypted = pdf.is_encrypted
    return data.count(b"%%EOF"), data.count(b"/ObjStm"), encrypted


def file_mime(path):
    return subprocess.run(["file", "--brief", "--mime-type", path], capture_output=True, text=True).stdout.strip()


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True).stdout


def pdf_pages(path):
    """[(width, height)] in points, from pdfinfo."""
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "10000", path], capture_output=True, text=True).stdout
    sizes = []
    for line in out.splitlines():
        if line.startswith("Page") and "size:" in line:
            words = line.split("size:")[1].split()
            sizes.append((round(float(words[0])), round(float(words[2]))))
    return sizes


def run_mugai(mugai, path, workdir, extra=()):
    """mugai sanitize --file; returns (exit code, output path or None, report dict)."""
    os.makedirs(workdir, exist_ok=True)
    base = os.path.basename(path)
    out = os.path.join(workdir, "out-" + base)
    report = os.path.join(workdir, "report-" + base + ".json")
    result = subprocess.run([mugai, "sanitize", "--no-quarantine", "--file", path, "-o", out, "--report", report,
                             *extra], capture_output=True, timeout=300)
    with open(report, encoding="utf-8") as f:
        data = json.load(f)
    return result.returncode, (out if result.returncode == 0 and os.path.exists(out) else None), data
