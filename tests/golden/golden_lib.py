"""Shared by the golden and oracle drivers: the sample list, inputs generated at test time, running
`mugai sanitize` with a timeout, reading its output back, and checking one expectation.

Expectation files (tests/golden/expected/<case>.json) — every key but "input" is optional:
  description        what the case proves (for people)
  input              "mail/x.eml", "files/x.txt" (under samples/) or "generated/<name>"
  mode               "mail" (default) or "file" (adds --file)
  exit               0, 2 or a list of allowed codes
  rejection_code     when the run exits 2: a code or a list of allowed codes ("limit.*" globs)
  requires_reason    true: exit 2 must name a code and reason, exit 0 must carry a finding
  kind               report "kind" ("message" / "file")
  parts              list of {path|filename: ..., <field>: value, <field>_in: [..],
                     <field>_contains: [..], <field>_not_contains: [..]}; each must match a part
  parts_exact        list of [path, action]: the report's (path, action) pairs, exactly
  text_contains      strings (or lists of alternatives) in the decoded output text
  text_not_contains  strings absent from decoded text, decoded payloads and raw output
  raw_not_contains   strings absent from the raw output bytes
  payload_not_startswith  byte prefixes no delivered payload may start with ("MZ", "\\u007fELF")
  headers            {name: exact decoded value}
  header_contains    {name: [substrings of the decoded value]}
  absent_headers     header names that must not be in the output's top-level header
  text_matches       regular expressions (re.search, MULTILINE) on the decoded output text
  attachments        [{filename, contains: [...]}]: a delivered attachment with that decoded name
  oracle_strings     strings the oracle must find in the decoded body (default: text_contains)
Strings may hold "{EICAR}", replaced at run time (the test string is never written to the repo).
Text checks apply only when the run delivered (exit 0).
"""
import base64
import email
import email.policy
import glob
import json
import fnmatch
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = os.path.join(ROOT, "samples")
EXPECTED = os.path.join(ROOT, "tests", "golden", "expected")
TIMEOUT_SECONDS = 20
SANITIZER_MARKERS = ("AddressSanitizer", "LeakSanitizer", "runtime error", "UndefinedBehaviorSanitizer")

# Assembled from pieces so that no file in the repository holds the EICAR test string.
EICAR = "".join(["X5O!P%@AP[4\\PZX54(P^)7CC)7}$", "EICAR-STANDARD-", "ANTIVIRUS-TEST-", "FILE!$H+H*"])

REPORT_KEYS = ("verdict", "kind", "profile", "reason", "rejection_code", "quarantine_id", "size_before",
               "size_after", "sha256_before", "sha256_after", "findings", "parts")
PART_KEYS = ("path", "declared_type", "detected_type", "detected_class", "filename", "output_filename",
             "action", "module", "reason", "rule_line", "size_before", "size_after", "sha256_before",
             "sha256_after", "findings")
ACTIONS = ("kept", "converted", "sanitized", "removed", "rejected", "held")


# ---------------------------------------------------------------------------------------------
# Inputs

def _generated_inputs():
    """name -> bytes of the inputs that are never committed."""
    eicar_mail = (
        "From: Sender <sender@example.com>\r\nTo: soumu@city.example.jp\r\nSubject: test file\r\n"
        "Date: Mon, 01 Apr 2024 09:00:00 +0900\r\nMessage-ID: <eicar@samples.mugai.example>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"eicar\"\r\n\r\n"
        "--eicar\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        "ウイルス検査のテストです。\r\n"
        "--eicar\r\nContent-Type: application/octet-stream; name=\"eicar.com\"\r\n"
        "Content-Disposition: attachment; filename=\"eicar.com\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.b64encode(EICAR.encode("ascii")).decode("ascii") + "\r\n--eicar--\r\n").encode("utf-8")
    long_header = (b"From: Sender <sender@example.com>\r\nTo: soumu@city.example.jp\r\n"
                   b"Subject: " + b"x" * (1024 * 1024) + b"\r\n"
                   b"Date: Mon, 01 Apr 2024 09:00:00 +0900\r\nMIME-Version: 1.0\r\n"
                   b"Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                   + "件名が1MBのメールです。\r\n".encode("utf-8"))
    return {"eicar-attachment.eml": eicar_mail, "eicar.com": EICAR.encode("ascii"),
            "header-1mb-line.eml": long_header}


def write_generated(out_dir):
    directory = os.path.join(out_dir, "generated")
    os.makedirs(directory, exist_ok=True)
    for name, data in _generated_inputs().items():
        with open(os.path.join(directory, name), "wb") as f:
            f.write(data)
    return directory


def sample_inputs():
    """Every committed sample and generated input, as "mail/x.eml" / "files/x" / "generated/x"."""
    found = []
    for directory in ("mail", "files"):
        for path in sorted(glob.glob(os.path.join(SAMPLES, directory, "*"))):
            found.append(directory + "/" + os.path.basename(path))
    found += ["generated/" + name for name in sorted(_generated_inputs())]
    return found


def input_path(name, out_dir):
    if name.startswith("generated/"):
        return os.path.join(out_dir, name)
    return os.path.join(SAMPLES, name)


def load_expectations():
    """case name -> expectation dict (with "case" added)."""
    expectations = {}
    for path in sorted(glob.glob(os.path.join(EXPECTED, "*.json"))):
        with open(path, encoding="utf-8") as f:
            expectation = json.load(f)
        expectation["case"] = os.path.basename(path)[:-len(".json")]
        expectations[expectation["case"]] = expectation
    return expectations


def _invisible(c):
    code = ord(c)
    return 0x7F <= code <= 0x9F or 0x200B <= code <= 0x200F or 0x202A <= code <= 0x202E \
        or 0x2066 <= code <= 0x2069 or code in (0xFEFF, 0xFFFD)


def dump_expectation(expectation):
    """JSON text, Japanese readable, but invisible or bidi characters escaped (\\u202e), so that a
    reviewer sees every byte the expectation holds."""
    text = json.dumps(expectation, ensure_ascii=False, indent=2)
    return "".join("\\u%04x" % ord(c) if _invisible(c) else c for c in text) + "\n"


def case_name(input_name):
    directory, base = input_name.split("/", 1)
    if directory == "mail" or (directory == "generated" and base.endswith(".eml")):
        return base[:-len(".eml")] if base.endswith(".eml") else base
    return "file-" + base


def expand(value):
    if isinstance(value, str):
        return value.replace("{EICAR}", EICAR)
    if isinstance(value, list):
        return [expand(v) for v in value]
    return value


# ---------------------------------------------------------------------------------------------
# Running mugai

class Run:
    def __init__(self):
        self.exit = None
        self.timed_out = False
        self.stderr = ""
        self.report = None
        self.report_error = None
        self.output = None  # bytes, or None when no output file was written
        self.output_path = None


def run_sanitize(mugai, input_name, mode, out_dir, case):
    """Runs `mugai sanitize` on one input in a private working directory under out_dir (the
    quarantine lands there); writes <case>.out, <case>.report.json, <case>.stderr beside it."""
    work = os.path.join(out_dir, "work")
    os.makedirs(work, exist_ok=True)
    output_path = os.path.join(out_dir, case + ".out")
    report_path = os.path.join(out_dir, case + ".report.json")
    for stale in (output_path, report_path):
        if os.path.exists(stale):
            os.remove(stale)
    args = [mugai, "sanitize"]
    if mode == "file":
        args.append("--file")
    args += ["--report", report_path, input_path(input_name, out_dir), "-o", output_path]
    run = Run()
    run.output_path = output_path
    try:
        done = subprocess.run(args, cwd=work, capture_output=True, timeout=TIMEOUT_SECONDS)
        run.exit = done.returncode
        run.stderr = done.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as expired:
        run.timed_out = True
        run.stderr = (expired.stderr or b"").decode("utf-8", "replace")
    with open(os.path.join(out_dir, case + ".stderr"), "w", encoding="utf-8") as f:
        f.write(run.stderr)
    if os.path.exists(report_path):
        try:
            with open(report_path, encoding="utf-8") as f:
                run.report = json.load(f)
        except (ValueError, UnicodeDecodeError) as error:
            run.report_error = str(error)
    if os.path.exists(output_path):
        with open(output_path, "rb") as f:
            run.output = f.read()
    return run


# ---------------------------------------------------------------------------------------------
# Reading the output back

class OutputView:
    """The output as a reader sees it: decoded text, decoded headers, delivered payloads."""

    def __init__(self, data, as_mail):
        self.raw = data
        self.message = None
        self.text = ""
        self.headers = {}
        self.payloads = []      # (filename or "", content type, bytes)
        self.errors = []        # exceptions while decoding (the oracle fails on these)
        if not as_mail:
            self.text = data.decode("utf-8", "replace")
            self.payloads.append(("", "", data))
            return
        try:
            self.message = email.message_from_bytes(data, policy=email.policy.default)
        except Exception as error:  # noqa: BLE001 - any parser failure is a finding here
            self.errors.append("Python email cannot parse the output: %r" % error)
            self.text = data.decode("utf-8", "replace")
            return
        pieces = []
        for name in ("From", "To", "Cc", "Subject"):
            try:
                value = self.message[name]
                if value is not None:
                    self.headers[name] = str(value)
                    pieces.append(str(value))
            except Exception as error:  # noqa: BLE001
                self.errors.append("header %s: %r" % (name, error))
        for part in self.message.walk():
            if part.is_multipart() or part.get_content_type() == "message/rfc822":
                continue
            try:
                filename = part.get_filename() or ""
            except Exception as error:  # noqa: BLE001
                self.errors.append("filename: %r" % error)
                filename = ""
            try:
                payload = part.get_payload(decode=True) or b""
            except Exception as error:  # noqa: BLE001
                self.errors.append("payload: %r" % error)
                payload = b""
            self.payloads.append((filename, part.get_content_type(), payload))
            if filename:
                pieces.append(filename)
            if part.get_content_maintype() == "text":
                try:
                    pieces.append(part.get_content())
                except Exception as error:  # noqa: BLE001
                    self.errors.append("text part %s: %r" % (part.get_content_type(), error))
                    pieces.append(payload.decode("utf-8", "replace"))
        self.text = "\n".join(pieces)


def output_view(run, expectation):
    if run.output is None:
        return None
    as_mail = expectation.get("mode", "mail") == "mail" and (run.report or {}).get("kind") != "file"
    return OutputView(run.output, as_mail)


# ---------------------------------------------------------------------------------------------
# Checking one expectation

def _matches(value, expected):
    allowed = expected if isinstance(expected, list) else [expected]
    return any(value == a or (isinstance(a, str) and "*" in a and isinstance(value, str)
                              and fnmatch.fnmatchcase(value, a)) for a in allowed)


def _check_part(expected, parts):
    """Returns None when some report part satisfies `expected`, else a description."""
    key = "path" if "path" in expected else "filename"
    candidates = [p for p in parts if p.get(key) == expected.get(key)]
    if not candidates:
        return "no part with %s %r (parts: %s)" % (key, expected.get(key),
                                                   [(p.get("path"), p.get("filename")) for p in parts])
    problems = []
    for part in candidates:
        problems = []
        for field, want in expected.items():
            if field in ("path", "filename") and field == key:
                continue
            if field.endswith("_not_contains"):
                have = str(part.get(field[:-len("_not_contains")], ""))
                problems += ["%s has %r" % (field, s) for s in expand(want) if s in have]
            elif field.endswith("_contains"):
                have = str(part.get(field[:-len("_contains")], ""))
                problems += ["%s lacks %r (is %r)" % (field, s, have) for s in expand(want) if s not in have]
            elif field.endswith("_in"):
                have = part.get(field[:-len("_in")])
                if have not in want:
                    problems.append("%s is %r, not one of %r" % (field[:-3], have, want))
            elif part.get(field) != expand(want):
                problems.append("%s is %r, expected %r" % (field, part.get(field), want))
        if not problems:
            return None
    return "part %s %r: %s" % (key, expected.get(key), "; ".join(problems))


def _contains(haystack, needle):
    if isinstance(needle, list):
        return any(n in haystack for n in needle)
    return needle in haystack


def check_run(expectation, run):
    """All failures of one run against its expectation and the global contract, as strings."""
    failures = []
    if run.timed_out:
        return ["timed out after %d s (a hang is a failure)" % TIMEOUT_SECONDS]
    for marker in SANITIZER_MARKERS:
        if marker in run.stderr:
            failures.append("stderr reports %s: %s" % (marker, run.stderr.strip()[:2000]))
    if run.exit not in (0, 2):
        failures.append("exit %s (only 0 delivered / 2 rejected are allowed for a sample): %s"
                        % (run.exit, run.stderr.strip()[:500]))
        return failures
    allowed = expectation.get("exit", 0)
    if not _matches(run.exit, allowed):
        failures.append("exit %d, expected %s; stderr: %s" % (run.exit, allowed, run.stderr.strip()[:300]))

    report = run.report
    if report is None:
        failures.append("no report written" + (": %s" % run.report_error if run.report_error else ""))
        return failures
    failures += ["report lacks %r" % k for k in REPORT_KEYS if k not in report]
    parts = report.get("parts") or []
    for part in parts:
        missing = [k for k in PART_KEYS if k not in part]
        if missing:
            failures.append("part %s lacks %s" % (part.get("path"), missing))
        if part.get("action") not in ACTIONS:
            failures.append("part %s has unknown action %r" % (part.get("path"), part.get("action")))

    if run.exit == 2:
        if report.get("verdict") != "rejected":
            failures.append("exit 2 but verdict %r" % report.get("verdict"))
        if run.output is not None:
            failures.append("exit 2 but an output file was written")
        if not report.get("rejection_code") or not report.get("reason"):
            failures.append("rejection without code or reason")
        if "rejected" not in [p.get("action") for p in parts]:
            failures.append("exit 2 without any 'rejected' part (issue 3: exit 2 always comes with one)")
        if "rejection_code" in expectation and not _matches(report.get("rejection_code"),
                                                             expectation["rejection_code"]):
            failures.append("rejection_code %r, expected %r" % (report.get("rejection_code"),
                                                                expectation["rejection_code"]))
    else:
        if report.get("verdict") != "delivered":
            failures.append("exit 0 but verdict %r" % report.get("verdict"))
        if not run.output:
            failures.append("exit 0 but no (or an empty) output")
        if expectation.get("requires_reason"):
            findings = list(report.get("findings") or [])
            for part in parts:
                findings += part.get("findings") or []
            if not findings:
                failures.append("delivered without stating the repair (no finding in the report)")

    if "kind" in expectation and report.get("kind") != expectation["kind"]:
        failures.append("kind %r, expected %r" % (report.get("kind"), expectation["kind"]))
    for expected_part in expectation.get("parts", []):
        problem = _check_part(expected_part, parts)
        if problem:
            failures.append(problem)
    if "parts_exact" in expectation:
        have = sorted([p.get("path"), p.get("action")] for p in parts)
        want = sorted(list(x) for x in expectation["parts_exact"])
        if have != want:
            failures.append("parts (path, action) %s, expected %s" % (have, want))

    if run.exit != 0 or run.output is None:
        return failures
    view = output_view(run, expectation)
    for needle in expand(expectation.get("text_contains", [])):
        if not _contains(view.text, needle):
            failures.append("decoded output lacks %r" % (needle,))
    decoded_payloads = [p.decode("utf-8", "replace") for _, _, p in view.payloads]
    for needle in expand(expectation.get("text_not_contains", [])):
        where = [w for w, hay in [("decoded text", view.text), ("raw output", run.output.decode("utf-8", "replace"))]
                 + [("payload", p) for p in decoded_payloads] if needle in hay]
        if where:
            failures.append("output holds %r (in %s)" % (needle, where[0]))
    for needle in expand(expectation.get("raw_not_contains", [])):
        if needle.encode("utf-8") in run.output:
            failures.append("raw output holds %r" % needle)
    for prefix in expand(expectation.get("payload_not_startswith", [])):
        for filename, content_type, payload in view.payloads:
            if payload.startswith(prefix.encode("latin-1")):
                failures.append("delivered payload %r (%s) starts with %r" % (filename, content_type, prefix))
    for name, value in expand(expectation.get("headers", {})).items():
        if view.headers.get(name) != value:
            failures.append("header %s is %r, expected %r" % (name, view.headers.get(name), value))
    for name, needles in expand(expectation.get("header_contains", {})).items():
        value = view.headers.get(name) or ""
        failures += ["header %s is %r, lacks %r" % (name, value, n) for n in needles if n not in value]
    if view.message is not None:
        for name in expectation.get("absent_headers", []):
            if name in view.message:
                failures.append("output has a %s header" % name)
    for pattern in expand(expectation.get("text_matches", [])):
        if not re.search(pattern, view.text, re.MULTILINE):
            failures.append("decoded output does not match %r" % pattern)
    for attachment in expand(expectation.get("attachments", [])):
        found = [p for p in view.payloads if p[0] == attachment["filename"]]
        if not found:
            failures.append("no delivered attachment named %r (have %r)"
                            % (attachment["filename"], [p[0] for p in view.payloads]))
            continue
        text = found[0][2].decode("utf-8", "replace")
        for needle in attachment.get("contains", []):
            if not _contains(text, needle):
                failures.append("attachment %r lacks %r" % (attachment["filename"], needle))
    return failures
