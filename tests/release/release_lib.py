"""A real `mugai serve` on loopback with the release pages enabled, a real downstream MTA
(tests/smtp/downstream.py, aiosmtpd) as the LGWAN side, and the test inputs: a ZipCrypto ZIP
(made with Info-ZIP `zip -P`), an xlsm with a VBA project, a ZipCrypto bomb. Used by the API
tests (release_api_test.py) and the browser test (tests/web/release_browser_test.js)."""
import base64
import email
import email.policy
import http.client
import io
import json
import os
import queue
import re
import shutil
import signal
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from email.message import EmailMessage

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TESTS, "transfer"))
sys.path.insert(0, os.path.join(TESTS, "smtp"))
import fixtures  # noqa: E402
from downstream import Downstream  # noqa: E402
from transfer_lib import Failure, check, free_port, hash_password  # noqa: E402

PASSWORD = "ppap-パス-2024"
USERS = {"tanaka": "tanaka pw 1", "suzuki": "suzuki pw 2", "sato": "sato pw 3", "kanri": "kanri pw 4"}
MEMO = "見積金額: 100,000円\n".encode("utf-8")


def zipcrypto(members, password=PASSWORD):
    """ZipCrypto ZIP by Info-ZIP's zip (Python's zipfile cannot encrypt)."""
    work = tempfile.mkdtemp(prefix="mugai-zc-")
    try:
        names = []
        for name, data in members:
            with open(os.path.join(work, name), "wb") as f:
                f.write(data)
            names.append(name)
        subprocess.run(["zip", "-q", "-P", password, "out.zip"] + names, cwd=work, check=True, capture_output=True)
        with open(os.path.join(work, "out.zip"), "rb") as f:
            return f.read()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def xlsm():
    """A macro-enabled workbook: [Content_Types] says macroEnabled, xl/vbaProject.bin present."""
    types = fixtures.CONTENT_TYPES.replace(b"/word/document.xml", b"/xl/workbook.xml").replace(
        b"application/vnd.ms-word.document.macroEnabled.main+xml", b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    rels = fixtures.ROOT_RELS.replace(b"word/document.xml", b"xl/workbook.xml")
    workbook = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>')
    workbook_rels = fixtures.DOCUMENT_RELS
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (("[Content_Types].xml", types), ("_rels/.rels", rels), ("xl/workbook.xml", workbook),
                           ("xl/_rels/workbook.xml.rels", workbook_rels), ("xl/vbaProject.bin", fixtures.VBA_PROJECT)):
            info = zipfile.ZipInfo(name, date_time=(2024, 4, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()


def ppap_zip():
    return zipcrypto([("見積書.txt", MEMO), ("setup.exe", fixtures.pe_executable())])


def bomb_zip():
    """40 MiB of zeros behind a password: the expansion ratio limit must still hold once opened."""
    return zipcrypto([("zeros.txt", b"0" * (40 << 20)), ("memo.txt", MEMO)])


def mail(sender, recipient, subject, attachment_name, data):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Message-ID"] = "<%s.%d@test>" % (subject.replace(" ", "-"), time.time_ns())
    message.set_content("添付をご確認ください。\n")
    message.add_attachment(data, maintype="application", subtype="octet-stream", filename=attachment_name)
    return message.as_bytes(policy=email.policy.SMTP)


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def body_text(message):
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part else ""


def zip_members(message):
    """name -> bytes of every member of every zip attachment."""
    members = {}
    for part in message.iter_attachments():
        data = part.get_content()
        if isinstance(data, bytes) and data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for info in archive.infolist():
                    members[info.filename] = archive.read(info)
    return members


class Gateway:
    """`mugai serve` with transfer + release enabled and a downstream sink."""

    def __init__(self, mugai, release=None, retention_days=14, workdir=None, approval="superior", fault_rule=False):
        self.mugai = mugai
        self.dir = workdir or tempfile.mkdtemp(prefix="mugai-release-")
        self.sink = Downstream("ok").start()
        self.smtp_port = free_port()
        self.web_port = free_port()
        self.base_url = "http://127.0.0.1:%d" % self.web_port
        settings = {"password_attempts_per_hour": 5}
        settings.update(release or {})
        hashes = {name: hash_password(mugai, password) for name, password in USERS.items()}
        users = "".join("    - { name: %s, password_hash: %s, profiles: [lgwan] }\n" % (name, json.dumps(hashes[name]))
                        for name in USERS)
        # The test-only fault module (MUGAI_TEST_MODULES builds) on members named *.fault.
        fault = '      - { match: text, name: "*.fault", module: test-fault, action: keep }\n' if fault_rule else ""
        release_lines = "".join("  %s: %s\n" % (key, json.dumps(value)) for key, value in settings.items())
        config = f"""
quarantine_dir: quarantine
quarantine_retention_days: {retention_days}
limits:
  max_expand_ratio: 100
serve:
  listen_address: 127.0.0.1
  listen_port: {self.smtp_port}
  admin_port: 0
  audit_log: audit.log
  accepted_domains: [city.example.jp]
  downstream_host: 127.0.0.1
  downstream_port: {self.sink.port}
  downstream_timeout_seconds: 20
profiles:
  lgwan:
    strictness: 100
    release_approval: {approval}
    release_content: sanitized
    rules:
{fault}      - {{ match: executable, action: remove }}
      - {{ match: text,       action: keep }}
      - {{ match: archive,    action: extract-and-recurse, options: {{ encrypted: hold }} }}
      - {{ match: any,        action: remove }}
  partner:
    strictness: 50
    release_approval: admin
    release_content: original
    rules:
      - {{ match: executable, action: remove }}
      - {{ match: text,       action: keep }}
      - {{ match: ooxml,      action: hold }}
      - {{ match: any,        action: remove }}
select:
  - {{ sender_domain: trusted-partner.example.co.jp, profile: partner }}
  - {{ default: lgwan }}
transfer:
  enabled: true
  upload_address: 127.0.0.1
  upload_port: {self.web_port}
  download_port: 0
  outbox_dir: transfer-outbox
  max_upload_bytes: 1048576
  auth_failures_per_minute: 1000
  users:
{users}release:
  enabled: true
  base_url: {self.base_url}
  admins: [kanri]
  notify_from: mugai-release@city.example.jp
{release_lines}  staff:
    - {{ user: tanaka, addresses: [tanaka@city.example.jp], superior: sato }}
    - {{ user: suzuki, addresses: [suzuki@city.example.jp], superior: sato }}
    - {{ user: sato,   addresses: [sato@city.example.jp] }}
"""
        self.config_path = os.path.join(self.dir, "mugai.yaml")
        with open(self.config_path, "w", encoding="utf-8") as f:
            f.write(config)
        self.lines = queue.Queue()
        self.stderr = []
        self.proc = subprocess.Popen([mugai, "serve", "--config", self.config_path], cwd=self.dir,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._pump, daemon=True).start()
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True).start()
        deadline = time.time() + 60
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.time()))
            except queue.Empty:
                line = None
            if line is None or time.time() > deadline:
                self.proc.kill()
                raise Failure("mugai serve did not start: rc=%s stderr=%s" % (self.proc.wait(), "".join(self.stderr)))
            if "listening on" in line:
                break

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def send(self, raw, sender, recipient):
        with smtplib.SMTP("127.0.0.1", self.smtp_port, timeout=60) as client:
            client.sendmail(sender, [recipient], raw)

    def wait_messages(self, count, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.sink.lock:
                if len(self.sink.messages) >= count:
                    return list(self.sink.messages)
            time.sleep(0.05)
        raise Failure("the sink has %d messages, expected %d" % (len(self.sink.messages), count))

    def messages(self):
        with self.sink.lock:
            return list(self.sink.messages)

    def send_and_get_id(self, raw, sender, recipient):
        """Sends through mugai serve; returns (quarantine ID from the notice link, sanitised message)."""
        before = len(self.messages())
        self.send(raw, sender, recipient)
        delivered = parse(self.wait_messages(before + 1)[before][2])
        text = body_text(delivered)
        found = re.search(re.escape(self.base_url) + r"/#/release/([0-9a-f]{64})", text)
        check(found, "the notice has no release link: %r" % text[:2000])
        check(delivered["X-Mugai-Quarantine-Id"] == found.group(1), "link and X-Mugai-Quarantine-Id differ")
        return found.group(1), delivered

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise Failure("mugai serve did not stop on SIGTERM")
            check(rc == 0, "mugai serve exited %s: %s" % (rc, "".join(self.stderr)))

    def cleanup(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.sink.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def audit_lines(self):
        with open(self.path("audit.log"), encoding="utf-8") as f:
            return [json.loads(line) for line in f]

    def release_audit(self, action=None):
        return [line for line in self.audit_lines()
                if line.get("event") == "release" and (action is None or line.get("action") == action)]

    def verify_audit(self):
        done = subprocess.run([self.mugai, "audit", "verify", self.path("audit.log")], capture_output=True, text=True)
        check(done.returncode == 0, "audit verify failed: %s %s" % (done.stdout, done.stderr))

    def cli(self, *args, stdin=None):
        return subprocess.run([self.mugai, "quarantine", *args, "--config", self.config_path], cwd=self.dir,
                              capture_output=True, text=True, input=stdin)

    # --- HTTP ----------------------------------------------------------------------------------
    def api(self, method, path, body=None, user="tanaka", password=None, page=True, headers=None, source=None):
        """(status, json) with HTTP Basic as `user` (None: no credentials)."""
        head = dict(headers or {})
        if page:
            head["X-Mugai-Request"] = "1"
        if user is not None:
            secret = USERS[user] if password is None else password
            head["Authorization"] = "Basic " + base64.b64encode(("%s:%s" % (user, secret)).encode()).decode()
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            head["Content-Type"] = "application/json"
        connection = http.client.HTTPConnection("127.0.0.1", self.web_port, timeout=120,
                                                source_address=(source, 0) if source else None)
        try:
            connection.request(method, path, body=data, headers=head)
            response = connection.getresponse()
            raw = response.read()
        finally:
            connection.close()
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = None
        return response.status, parsed

    def item(self, id, user="tanaka"):
        return self.api("GET", "/api/v1/release/items/" + id, user=user)

    def request(self, id, user="tanaka"):
        return self.api("POST", "/api/v1/release/items/%s/request" % id, user=user)

    def password(self, id, password, user="tanaka"):
        return self.api("POST", "/api/v1/release/items/%s/password" % id, {"password": password}, user=user)

    def queue(self, user):
        return self.api("GET", "/api/v1/release/queue", user=user)

    def record_state(self, id):
        """The request's state as stored on disk (quarantine/releases/ID.json), None without one."""
        try:
            with open(self.path("quarantine", "releases", id + ".json"), encoding="utf-8") as f:
                return json.load(f).get("state")
        except (OSError, ValueError):
            return None

    def token(self, id, user):
        status, body = self.queue(user)
        check(status == 200, "queue for %s: %s %r" % (user, status, body))
        tokens = [item["token"] for item in body["items"] if item["id"] == id]
        check(len(tokens) == 1, "%s does not see %s in the queue: %r" % (user, id, body))
        return tokens[0]

    def decide(self, id, user, decision, token, comment=""):
        return self.api("POST", "/api/v1/release/items/%s/decision" % id,
                        {"decision": decision, "token": token, "comment": comment}, user=user)

    def released_messages(self, id):
        """Messages the release delivered (never the notice mails or the first, sanitised mail)."""
        out = []
        for mail_from, rcpts, data in self.messages():
            text = data.decode("utf-8", "replace")
            if "(mugai quarantine release) id " + id[:16] in text and "X-Mugai-Release:" not in text:
                out.append((mail_from, rcpts, data))
        return out

    def notifications(self, what=("released", "denied")):
        """(recipients, message) of the mails the workflow sent (X-Mugai-Release: what)."""
        out = []
        for _, rcpts, data in self.messages():
            if b"X-Mugai-Release:" in data:
                message = parse(data)
                if message["X-Mugai-Release"] in what:
                    out.append((rcpts, message))
        return out
