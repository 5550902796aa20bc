"""The oracle's checks on one message mugai emitted. Each function returns a list of failures
(strings); an empty list means the check holds. Kept apart from run_oracle.py so that
test_oracle_checks.py can prove every check fails on a message that breaks it.
"""
import email
import email.policy
import re
import subprocess

MAX_LINE_OCTETS = 998
NOTICE_JA = "無害化"
NOTICE_EN = re.compile(r"saniti[sz]", re.IGNORECASE)


def parse(data):
    """(message, failures): Python's email with policy.default; any exception is a failure."""
    try:
        return email.message_from_bytes(data, policy=email.policy.default), []
    except Exception as error:  # noqa: BLE001 - the oracle reports every parser failure
        return None, ["Python email cannot parse the output: %r" % error]


def python_defects(message):
    """Every defect Python's email records: on the message, on each part, on each header."""
    failures = []

    def visit(part, where):
        failures.extend("%s: %s" % (where, type(d).__name__) for d in part.defects)
        for name in part.keys():
            try:
                values = part.get_all(name) or []
            except Exception as error:  # noqa: BLE001
                failures.append("%s: header %s unreadable: %r" % (where, name, error))
                continue
            for value in values:
                for defect in getattr(value, "defects", ()):
                    failures.append("%s: header %s: %s (%s)" % (where, name, type(defect).__name__, defect))
        if part.is_multipart():
            for index, child in enumerate(part.get_payload(), 1):
                visit(child, "%s.%d" % (where, index) if where != "message" else str(index))

    visit(message, "message")
    return failures


def python_tree(message):
    """[(depth, "type/subtype")] pre-order, message/rfc822 descended into, like the C++ readers."""
    out = []

    def visit(part, depth):
        out.append((depth, part.get_content_type()))
        if part.is_multipart():
            for child in part.get_payload():
                visit(child, depth + 1)

    visit(message, 0)
    return out


def read_tree(reader, path):
    """Runs a C++ reader: (tree, warnings, failure or None)."""
    try:
        done = subprocess.run([reader, path], capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        return [], [], "%s timed out" % reader
    tree, warnings = [], []
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        fields = line.split("\t")
        if fields[0] == "!":
            warnings.append(" ".join(fields[1:]))
        elif len(fields) == 2 and fields[0].isdigit():
            tree.append((int(fields[0]), fields[1]))
    if done.returncode != 0:
        return tree, warnings, "%s failed (exit %d): %s" % (reader, done.returncode,
                                                            done.stderr.decode("utf-8", "replace").strip())
    return tree, warnings, None


def compare_trees(name, theirs, ours):
    if len(theirs) != len(ours):
        return ["%s sees %d entities, Python %d: %s vs %s" % (name, len(theirs), len(ours), theirs, ours)]
    if theirs != ours:
        return ["%s disagrees with Python on the tree: %s vs %s" % (name, theirs, ours)]
    return []


def wire_format(data):
    """RFC 5322 on the wire: every line ends CRLF, no line over 998 octets, no bare CR/LF/NUL."""
    failures = []
    if not data.endswith(b"\r\n"):
        failures.append("output does not end with CRLF")
    for number, line in enumerate(data.split(b"\r\n"), 1):
        if b"\n" in line or b"\r" in line:
            failures.append("line %d has a bare CR or LF" % number)
        if len(line) > MAX_LINE_OCTETS:
            failures.append("line %d is %d octets (limit %d)" % (number, len(line), MAX_LINE_OCTETS))
        if b"\x00" in line:
            failures.append("line %d holds a NUL byte" % number)
        if len(failures) > 10:
            break
    return failures


def headers_7bit(message):
    """Every header field of every part is 7-bit (non-ASCII only through RFC 2047/2231)."""
    failures = []
    for index, part in enumerate(message.walk()):
        for name, value in part.raw_items():
            if any(ord(c) > 0x7F for c in name + str(value)):
                failures.append("part %d: header %s is not 7-bit: %r" % (index, name, str(value)[:80]))
    return failures


def one_from(message):
    count = len(message.get_all("From") or [])
    return [] if count == 1 else ["%d From fields (exactly one required)" % count]


def no_html(message):
    return ["a %s part remains (lgwan-strict delivers no HTML)" % p.get_content_type()
            for p in message.walk() if p.get_content_type() in ("text/html", "application/xhtml+xml")]


def first_text(message):
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            try:
                return part.get_content()
            except Exception:  # noqa: BLE001 - reported by python_defects / body_text
                return ""
    return ""


def notice(message):
    """The notice opens the body, in Japanese and in English."""
    text = first_text(message)
    failures = []
    if NOTICE_JA not in text[:600]:
        failures.append("no Japanese notice (%r) at the top of the body" % NOTICE_JA)
    if not NOTICE_EN.search(text):
        failures.append("no English notice in the first text part")
    return failures


def mugai_headers(message, profile):
    failures = []
    if message.get("X-Mugai-Verdict") != "delivered":
        failures.append("X-Mugai-Verdict is %r" % message.get("X-Mugai-Verdict"))
    if message.get("X-Mugai-Profile") != profile:
        failures.append("X-Mugai-Profile is %r, expected %r" % (message.get("X-Mugai-Profile"), profile))
    return failures


def body_text(message):
    pieces = []
    for part in message.walk():
        if part.get_content_maintype() == "text" and not part.is_multipart():
            try:
                pieces.append(part.get_content())
            except Exception as error:  # noqa: BLE001
                pieces.append("<undecodable: %r>" % error)
    return "\n".join(pieces)


def strings_present(message, strings):
    text = body_text(message)
    missing = []
    for needle in strings:
        alternatives = needle if isinstance(needle, list) else [needle]
        if not any(a in text for a in alternatives):
            missing.append("decoded body lacks %r" % (needle,))
    return missing


def check_message(data, path, profile, strings, mimetic_reader, gmime_reader):
    """All oracle checks on one delivered message; `path` is where `data` is stored."""
    message, failures = parse(data)
    failures += wire_format(data)
    if message is None:
        return failures
    failures += python_defects(message)
    ours = python_tree(message)
    for name, reader in (("mimetic", mimetic_reader), ("GMime", gmime_reader)):
        tree, warnings, failure = read_tree(reader, path)
        if failure:
            failures.append(failure)
            continue
        failures += ["%s warns: %s" % (name, w) for w in warnings]
        failures += compare_trees(name, tree, ours)
    failures += headers_7bit(message)
    failures += one_from(message)
    failures += no_html(message)
    failures += notice(message)
    failures += mugai_headers(message, profile)
    failures += strings_present(message, strings)
    return failures
