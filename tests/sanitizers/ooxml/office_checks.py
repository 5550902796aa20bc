"""Independent checks of mugai's Office outputs, shared by the ooxml and ole2 tests. None of
them uses mugai's code: Python's zipfile and ElementTree read the packages, python3-olefile the
compound files, ClamAV (--alert-macros) looks for macros, file(1) names the type, LibreOffice
opens the documents and pdftotext reads what it rendered."""
import os
import posixpath
import re
import shutil
import subprocess
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile

PKG_R = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
BENIGN_LINES = ["mugai office sample: Quarterly figures ABC-123", "令和6年度 予算説明資料 確認済み"]


def run_mugai(mugai, path, workdir, extra=()):
    """mugai sanitize --file; returns (exit code, output path or None, report dict)."""
    import json
    os.makedirs(workdir, exist_ok=True)
    base = os.path.basename(path)
    out = os.path.join(workdir, "out-" + base)
    report = os.path.join(workdir, "report-" + base + ".json")
    result = subprocess.run([mugai, "sanitize", "--no-quarantine", "--file", path, "-o", out, "--report", report,
                             *extra], capture_output=True, timeout=300)
    with open(report, encoding="utf-8") as f:
        data = json.load(f)
    return result.returncode, (out if result.returncode == 0 else None), data


def source_of_rels(name):
    folder, file = posixpath.split(name)
    parent = posixpath.dirname(folder)
    return posixpath.join(parent, file[:-len(".rels")]) if file != ".rels" else ""


def ooxml_problems(path):
    """Everything active or inconsistent left in an OOXML package (empty list = clean)."""
    problems = []
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        lower = {n.lower(): n for n in names}
        if "[Content_Types].xml" not in names:
            return ["no [Content_Types].xml"]
        types = ET.fromstring(z.read("[Content_Types].xml"))
        defaults = {d.get("Extension").lower(): d.get("ContentType") for d in types.iter(CT + "Default")}
        overrides = {o.get("PartName").lstrip("/").lower(): o.get("ContentType") for o in types.iter(CT + "Override")}
        for part in overrides:
            if part not in lower:
                problems.append("override for missing part " + part)
        for name in names:
            low = name.lower()
            if low.endswith("vbaproject.bin") or "vbadata" in low:
                problems.append("VBA part " + name)
            if "activex" in low:
                problems.append("ActiveX part " + name)
            if "/embeddings/" in low:
                problems.append("embedding " + name)
            if "externallink" in low:
                problems.append("external link part " + name)
            if name == "[Content_Types].xml":
                continue
            ext = low.rsplit(".", 1)[-1]
            ctype = overrides.get(low) or defaults.get(ext)
            if not ctype:
                problems.append("part without content type " + name)
            elif "macroenabled" in ctype.lower() or "vbaproject" in ctype.lower():
                problems.append("macro content type %s for %s" % (ctype, name))
        targets = set()
        for name in names:
            if not name.endswith(".rels"):
                continue
            source = source_of_rels(name)
            if source and source.lower() not in lower:
                problems.append("relationships of missing part " + name)
            for rel in ET.fromstring(z.read(name)).iter(PKG_R + "Relationship"):
                if (rel.get("TargetMode") or "").lower() == "external":
                    problems.append("external relationship %s -> %s in %s" % (rel.get("Type"), rel.get("Target"), name))
                    continue
                target = urllib.parse.unquote(rel.get("Target"))
                resolved = target.lstrip("/") if target.startswith("/") else \
                    posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
                targets.add(resolved.lower())
                if resolved.lower() not in lower:
                    problems.append("dangling relationship %s -> %s in %s" % (rel.get("Id"), resolved, name))
        for name in names:
            if name == "[Content_Types].xml" or name.endswith(".rels"):
                continue
            if name.lower() not in targets:
                problems.append("unreferenced part " + name)
            data = z.read(name)
            if name.endswith(".xml"):
                text = data.decode("utf-8", "replace")
                if re.search(r"<w:instrText[^>]*>\s*\"?\s*DDE", text, re.I) or \
                        re.search(r'w:instr="\s*DDE', text, re.I):
                    problems.append("DDE field in " + name)
                if "ddeLink" in text or "attachedTemplate" in text:
                    problems.append("ddeLink/attachedTemplate element in " + name)
    return problems


def ole_macro_storages(path):
    import olefile
    with olefile.OleFileIO(path) as ole:
        found = []
        for entry in ole.listdir(streams=True, storages=True):
            names = [n.lower() for n in entry]
            if any(n in ("macros", "_vba_project_cur", "vba", "_vba_project") for n in names):
                found.append("/".join(entry))
        return found


def clam_database(workdir):
    """ClamAV needs a signature database to run; heuristics do not. One made-up MD5 will do."""
    path = os.path.join(workdir, "mugai-test.hdb")
    with open(path, "w") as f:
        f.write("0123456789abcdef0123456789abcdef:1:Mugai.Test.NoSuchFile\n")
    return path


def clam_macro_hits(paths, workdir):
    """Files ClamAV flags with a macro heuristic."""
    result = subprocess.run(["clamscan", "--alert-macros", "--no-summary", "-d", clam_database(workdir), *paths],
                            capture_output=True, text=True, timeout=300)
    return {line.split(":")[0] for line in result.stdout.splitlines() if "Macros" in line and "FOUND" in line}


def file_mime(path):
    return subprocess.run(["file", "-b", "--mime-type", path], capture_output=True, text=True).stdout.strip()


def libreoffice_to_pdf(paths, workdir):
    """One LibreOffice run for all files; returns {input path: pdf path or None}."""
    profile = tempfile.mkdtemp(prefix="lo-profile-", dir=workdir)
    outdir = os.path.join(workdir, "pdf")
    os.makedirs(outdir, exist_ok=True)
    subprocess.run(["soffice", "--headless", "--norestore", "-env:UserInstallation=file://" + profile,
                    "--convert-to", "pdf", "--outdir", outdir, *paths],
                   capture_output=True, timeout=600)
    shutil.rmtree(profile, ignore_errors=True)
    out = {}
    for path in paths:
        pdf = os.path.join(outdir, os.path.splitext(os.path.basename(path))[0] + ".pdf")
        out[path] = pdf if os.path.exists(pdf) and os.path.getsize(pdf) > 0 else None
    return out


def pdf_text(pdf):
    return subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, timeout=60).stdout.decode()


def squeeze(text):
    """Text without whitespace: pdftotext puts spaces between Japanese and Latin runs."""
    return "".join(text.split())
