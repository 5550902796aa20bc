#!/usr/bin/python3
"""Writes the hostile and benign archive samples for the `archive` module's tests.

Usage: /usr/bin/python3 samples/archives/generate.py OUTDIR

Nothing here is committed: bombs are large when expanded, and the EICAR test string (assembled
from pieces) must not sit in a repository. The tests run this script into the build directory.
Tools: Python's zipfile/tarfile (standard library), `zip -P` (ZipCrypto), `7z` (AES ZIP, 7z with
and without encrypted headers), `xorriso` (ISO 9660), `gcab` (CAB); the LZH is written by hand
(-lh0-, stored, level-0 header) because Debian has no LHA writer. No real malware: the "PE" is a
minimal image whose only code returns 0, the shortcut a bare Shell Link header.
"""
import io
import os
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import generate as SAMPLES  # noqa: E402  (samples/generate.py: the shared minimal PE)

PASSWORD = "mugai-ppap-2024"
EICAR = "".join(["X5O!P%@AP[4\\PZX54(P^)7CC)7}$", "EICAR-STANDARD-", "ANTIVIRUS-TEST-", "FILE!$H+H*"])
DATE = (2024, 4, 1, 9, 0, 0)


def minimal_pe():
    """The minimal PE32 of samples/generate.py (code `xor eax,eax; ret`)."""
    return SAMPLES.pe_executable()


def shortcut():
    """A Windows Shell Link header (MS-SHLLINK 2.1): libmagic says 'MS Windows shortcut'."""
    header = struct.pack("<I16sIIIQQQIIIHHII", 0x4C, bytes.fromhex("0114020000000000c000000000000046"),
                         0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0)
    return header + b"\0\0"


def minimal_docm():
    """A Word macro-enabled document: what the ooxml module must strip (vbaProject.bin)."""
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
             '<Override PartName="/word/document.xml" '
             'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    doc_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
                'Target="vbaProject.bin"/></Relationships>')
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                '<w:body><w:p><w:r><w:t>請求書</w:t></w:r></w:p></w:body></w:document>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [("[Content_Types].xml", types), ("_rels/.rels", rels),
                           ("word/document.xml", document), ("word/_rels/document.xml.rels", doc_rels)]:
            z.writestr(zipfile.ZipInfo(name, DATE), data)
        z.writestr(zipfile.ZipInfo("word/vbaProject.bin", DATE), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    return out.getvalue()


def zip_bytes(members, method=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, DATE)
            info.compress_type = method
            z.writestr(info, data)
    return out.getvalue()


def write(outdir, name, data):
    with open(os.path.join(outdir, name), "wb") as f:
        f.write(data)


def cp932_names_zip():
    """Japanese names in CP932 without the UTF-8 flag (bit 11), as Windows Explorer writes them.
    zipfile would set the flag for non-ASCII names, so ASCII stand-ins of the same length are
    written and their bytes replaced (the CRC covers only the content)."""
    names = ["請求書.txt", "資料/議事録.txt"]
    stand_ins = []
    for index, name in enumerate(names):
        encoded = name.encode("cp932")
        stand_in = (b"Q%d" % index).ljust(len(encoded) - 4, b"_") + encoded[-4:]
        stand_ins.append((stand_in, encoded))
    data = zip_bytes([(s.decode("ascii"), ("中身 %d\n" % i).encode("utf-8")) for i, (s, _) in enumerate(stand_ins)])
    for stand_in, encoded in stand_ins:
        assert data.count(stand_in) == 2
        data = data.replace(stand_in, encoded)
    return data


def symlink_zip():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        link = zipfile.ZipInfo("passwd-link", DATE)
        link.create_system = 3
        link.external_attr = (0o120777 << 16)
        z.writestr(link, "/etc/passwd")
        z.writestr(zipfile.ZipInfo("readme.txt", DATE), "ok\n")
    return out.getvalue()


def symlink_tar():
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT) as t:
        def add(info, data=None):
            info.mtime = 1711929600
            t.addfile(info, io.BytesIO(data) if data is not None else None)
        text = tarfile.TarInfo("notes.txt")
        text.size = 3
        add(text, b"ok\n")
        sym = tarfile.TarInfo("shadow")
        sym.type = tarfile.SYMTYPE
        sym.linkname = "/etc/shadow"
        add(sym)
        hard = tarfile.TarInfo("hard")
        hard.type = tarfile.LNKTYPE
        hard.linkname = "notes.txt"
        add(hard)
        dev = tarfile.TarInfo("sda")
        dev.type = tarfile.BLKTYPE
        dev.devmajor, dev.devminor = 8, 0
        add(dev)
        fifo = tarfile.TarInfo("pipe")
        fifo.type = tarfile.FIFOTYPE
        add(fifo)
    return out.getvalue()


def ratio_bomb():
    """One member of 20 MB of zeros: deflate gives ~1030:1."""
    return zip_bytes([("zeros.txt", b"\0" * (20 << 20))])


def nested_bomb(levels=10):
    """42.zip style: each level holds the level below twice; the bottom 1 MB of zeros."""
    data = zip_bytes([("zeros.bin", b"\0" * (1 << 20))])
    for level in range(levels - 1):
        data = zip_bytes([("level%d-a.zip" % level, data), ("level%d-b.zip" % level, data)])
    return data


def overlap_bomb(entries=400, kernel_bytes=10 << 20):
    """Many central-directory entries sharing one compressed kernel: every entry points at the
    same local header, so the archive stays small while each entry expands to the whole kernel
    (libarchive's reader collapses entries that share a local header; the ratio still fires)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    kernel = compressor.compress(b"A" * kernel_bytes) + compressor.flush()
    crc = zlib.crc32(b"A" * kernel_bytes)
    name = b"k"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x5821, crc, len(kernel), kernel_bytes,
                        len(name), 0) + name
    body = local + kernel
    central = b""
    for _ in range(entries):
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x5821, crc, len(kernel),
                               kernel_bytes, len(name), 0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries, entries, len(central), len(body), 0)
    return body + central + end


def kernel_text(size):
    """Deterministic text that deflate shrinks only ~3:1, so no single member looks like a bomb."""
    state, words, out = 12345, [b"kaigi", b"shiryo", b"yotei", b"houkoku", b"mitsumori", b"seikyu"], []
    total = 0
    while total < size:
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        word = words[state % len(words)] + b"%d " % (state >> 8 & 0xFFFF)
        out.append(word)
        total += len(word)
    return b"".join(out)[:size]


def quoted_overlap_bomb(entries=200, kernel_bytes=1 << 20):
    """D. Fifield's "better zip bomb" with quoted overlap: entry i's compressed data is a stored
    (non-final) deflate block that quotes the local header of entry i+1, followed by entry i+1's
    own compressed data, down to one shared kernel. Every entry has its own local header and
    offset, so a reader sees `entries` distinct files; each one expands to the kernel plus the
    quoted headers. Per member the ratio stays low (~3); only the whole archive's ratio and the
    shared total reveal the bomb."""
    kernel_plain = kernel_text(kernel_bytes)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    kernel = compressor.compress(kernel_plain) + compressor.flush()
    headers, datas, plains = [None] * entries, [None] * entries, [None] * entries
    # Built backwards: each entry quotes the header of the next one.
    for index in range(entries - 1, -1, -1):
        name = b"f%04d.txt" % index
        if index == entries - 1:
            data, plain = kernel, kernel_plain
        else:
            quoted = headers[index + 1]
            data = struct.pack("<BHH", 0, len(quoted), len(quoted) ^ 0xFFFF) + quoted + datas[index + 1]
            plain = quoted + plains[index + 1]
        headers[index] = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x5821, zlib.crc32(plain), len(data),
                                     len(plain), len(name), 0) + name
        datas[index], plains[index] = data, plain
    body = headers[0] + datas[0]
    central, offset = b"", 0
    for index in range(entries):
        fields = struct.unpack("<IHHHHHIIIHH", headers[index][:30])
        name = headers[index][30:]
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x5821, fields[6], fields[7],
                               fields[8], len(name), 0, 0, 0, 0, 0, offset) + name
        offset += len(headers[index]) + 5 if index < entries - 1 else 0
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries, entries, len(central), len(body), 0)
    return body + central + end


def lzh_with_pe():
    """LHA level-0 header, method -lh0- (stored), one member setup.exe; then the end mark."""
    pe = minimal_pe()
    name = b"setup.exe"
    fields = struct.pack("<5sIIIBB", b"-lh0-", len(pe), len(pe), 0x58210000, 0x20, 0) + \
        bytes([len(name)]) + name + struct.pack("<H", 0)  # CRC-16 0: stored, many readers skip
    crc = 0
    for byte in pe:  # CRC-16/ARC, as LHA uses
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    fields = fields[:-2] + struct.pack("<H", crc)
    header = bytes([len(fields), sum(fields) & 0xFF]) + fields
    return header + pe + b"\0"


def rar4(files, encrypted=False):
    """RAR 1.5-4.x (what WinRAR still writes with -ma4), stored (method 0x30), written by hand
    because Debian has no RAR writer. Blocks: marker, archive header, one file header per file,
    end of archive; each header carries the low 16 bits of its CRC-32. `encrypted` sets the
    file headers' password flag (0x04), as WinRAR does for `-p`: readers must not extract."""
    def block(kind, flags, body, add_size=0):
        header = struct.pack("<BHH", kind, flags, 7 + len(body)) + body
        return struct.pack("<H", zlib.crc32(header) & 0xFFFF) + header
    out = b"Rar!\x1a\x07\x00" + block(0x73, 0, b"\0" * 6)
    for name, data in files:
        encoded = name.encode("utf-8")
        flags = 0x8000 | (0x04 if encrypted else 0)  # LONG_BLOCK (+ PASSWORD)
        body = struct.pack("<IIBIIBBHI", len(data), len(data), 2, zlib.crc32(data), 0x58210000, 20, 0x30,
                           len(encoded), 0x20) + encoded
        out += block(0x74, flags, body) + data
    return out + block(0x7B, 0x4000, b"")


def iso_with_lnk(workdir):
    tree = os.path.join(workdir, "iso-tree")
    os.makedirs(tree)
    write(tree, "invoice.pdf.lnk", shortcut())
    write(tree, "readme.txt", b"see invoice\n")
    iso = os.path.join(workdir, "image.iso")
    subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-J", "-R", "-V", "INVOICE", "-o", iso, tree],
                   check=True, capture_output=True)
    with open(iso, "rb") as f:
        return f.read()


def cab(workdir):
    tree = os.path.join(workdir, "cab-tree")
    os.makedirs(tree)
    write(tree, "memo.txt", "会議は3時から\n".encode("utf-8"))
    write(tree, "setup.exe", minimal_pe())
    path = os.path.join(workdir, "files.cab")
    subprocess.run(["gcab", "-c", "-z", path, "memo.txt", "setup.exe"], cwd=tree, check=True, capture_output=True)
    with open(path, "rb") as f:
        return f.read()


def seven_zip(workdir, name, files, *options):
    tree = os.path.join(workdir, name + "-tree")
    os.makedirs(tree)
    for file_name, data in files:
        write(tree, file_name, data)
    path = os.path.join(workdir, name)
    subprocess.run(["7z", "a", "-bd", "-y", *options, path] + [f for f, _ in files], cwd=tree, check=True,
                   capture_output=True)
    with open(path, "rb") as f:
        return f.read()


def zipcrypto(workdir):
    tree = os.path.join(workdir, "zc-tree")
    os.makedirs(tree)
    write(tree, "見積書.txt", "見積金額: 100,000円\n".encode("utf-8"))
    write(tree, "setup.exe", minimal_pe())
    path = os.path.join(workdir, "zc.zip")
    subprocess.run(["zip", "-q", "-P", PASSWORD, path, "見積書.txt", "setup.exe"], cwd=tree, check=True,
                   capture_output=True)
    with open(path, "rb") as f:
        return f.read()


def compressed_single(data):
    import bz2
    import gzip
    import lzma
    return {"memo.txt.gz": gzip.compress(data, mtime=0), "memo.txt.bz2": bz2.compress(data),
            "memo.txt.xz": lzma.compress(data)}


def tar_compressed(members, mode):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=mode) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1711929600
            t.addfile(info, io.BytesIO(data))
    return out.getvalue()


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    memo = "会議は3時からです。\n".encode("utf-8")
    work = tempfile.mkdtemp(prefix="mugai-archives-")
    try:
        write(outdir, "plain.zip", zip_bytes([("hello.txt", b"hello\n"), ("資料/日本語.txt", memo),
                                              ("tools/update.exe", minimal_pe()), ("dup.txt", b"one\n"),
                                              ("DUP.txt", b"two\n")]))
        write(outdir, "cp932-names.zip", cp932_names_zip())
        write(outdir, "traversal.zip", zip_bytes([("../../etc/cron.d/evil.txt", b"x\n"),
                                                  ("/abs/path.txt", b"y\n"),
                                                  ("C:\\Windows\\win.txt", b"z\n"),
                                                  ("a/../../b.txt", b"w\n"),
                                                  ("report\u202Etxt.exe", minimal_pe()),
                                                  ("note\u202Efdp.txt", b"bidi\n"),
                                                  ("same.txt", b"1\n"), ("same.txt", b"2\n")]))
        write(outdir, "symlink.zip", symlink_zip())
        write(outdir, "symlink.tar", symlink_tar())
        write(outdir, "bomb-ratio.zip", ratio_bomb())
        write(outdir, "bomb-nested.zip", nested_bomb())
        write(outdir, "bomb-overlap.zip", overlap_bomb())
        write(outdir, "bomb-quoted-overlap.zip", quoted_overlap_bomb())
        write(outdir, "many-entries.zip", zip_bytes([("f%05d.txt" % i, b"x") for i in range(2000)]))
        write(outdir, "long-path.zip", zip_bytes([("d/" * 600 + "deep.txt", b"deep\n"), ("short.txt", b"short\n")]))
        write(outdir, "encrypted-zipcrypto.zip", zipcrypto(work))
        write(outdir, "encrypted-aes.zip", seven_zip(work, "aes.zip", [("secret.txt", memo)], "-tzip",
                                                     "-mem=AES256", "-p" + PASSWORD))
        write(outdir, "encrypted.7z", seven_zip(work, "enc.7z", [("secret.txt", memo)], "-p" + PASSWORD))
        write(outdir, "encrypted-headers.7z", seven_zip(work, "ench.7z", [("secret.txt", memo)],
                                                        "-p" + PASSWORD, "-mhe=on"))
        write(outdir, "plain.7z", seven_zip(work, "plain.7z", [("memo.txt", memo)]))
        write(outdir, "pe.lzh", lzh_with_pe())
        write(outdir, "files.rar", rar4([("memo.txt", memo), ("setup.exe", minimal_pe())]))
        write(outdir, "encrypted.rar", rar4([("secret.txt", memo)], encrypted=True))
        write(outdir, "shortcut.iso", iso_with_lnk(work))
        write(outdir, "files.cab", cab(work))
        docm_zip = zip_bytes([("請求書.docm", minimal_docm()), ("memo.txt", memo)])
        write(outdir, "docm-in-zip-in.7z", seven_zip(work, "docm.7z", [("documents.zip", docm_zip)]))
        depth3 = zip_bytes([("readme.txt", EICAR.encode("ascii"))])
        depth3 = zip_bytes([("inner.zip", depth3)])
        write(outdir, "eicar-nested.zip", zip_bytes([("middle.zip", depth3), ("memo.txt", memo)]))
        for name, data in compressed_single(memo).items():
            write(outdir, name, data)
        write(outdir, "memos.tar.gz", tar_compressed([("memo.txt", memo), ("setup.exe", minimal_pe())], "w:gz"))
        write(outdir, "memos.tar.xz", tar_compressed([("memo.txt", memo)], "w:xz"))
        write(outdir, "memos.tar.bz2", tar_compressed([("memo.txt", memo)], "w:bz2"))
        zst = subprocess.run(["zstd", "-q", "-c"], input=tar_compressed([("memo.txt", memo)], "w"),
                             capture_output=True)
        if zst.returncode == 0:
            write(outdir, "memos.tar.zst", zst.stdout)
        write(outdir, "password.txt", PASSWORD.encode("ascii") + b"\n")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
