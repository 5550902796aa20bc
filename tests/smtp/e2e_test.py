#!/usr/bin/python3
"""End-to-end tests of `mugai serve` with real peers on 127.0.0.1: senders are smtplib, swaks and
raw sockets; the downstream is downstream.py (aiosmtpd). Ports are chosen free at run time.

usage: e2e_test.py --mugai PATH --source DIR --case NAME     (one case, as ctest runs them)
       e2e_test.py --mugai PATH --source DIR --list
"""
import argparse
import collections
import email
import json
import os
import queue
import re
import shutil
import signal
import smtplib
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from downstream import Downstream, free_port  # noqa: E402

DOMAIN = "city.example.jp"
CASES = collections.OrderedDict()


def case(function):
    CASES[function.__name__] = function
    return function


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def remove_section(text, key):
    """Drops a top-level YAML mapping `key:` (and its indented body) from text."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if re.match(r"^%s\s*:" % re.escape(key), line):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "\t", "#")) or not line.strip()):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def yaml_value(value):
    return json.dumps(value)  # JSON scalars and lists are valid YAML flow values


class Gateway:
    """`mugai serve` in a temporary working directory with a generated config."""

    def __init__(self, env, serve, limits=None, edit=None):
        self.env = env
        self.dir = env.workdir
        base = open(os.path.join(env.source, "config", "mugai.yaml"), encoding="utf-8").read()
        base = remove_section(base, "serve")
        for key, value in (limits or {}).items():
            base, count = re.subn(r"(?m)^(\s+%s:\s*)\S+" % key, r"\g<1>%d" % value, base)
            check(count == 1, "limit %s not found in mugai.yaml" % key)
        settings = {
            "listen_address": "127.0.0.1",
            "listen_port": free_port(),
            "hostname": "mugai.test",
            "accepted_domains": [DOMAIN],
            "client_networks": ["127.0.0.0/8"],
            "outbox_dir": "outbox",
            "audit_log": "audit.log",
            "admin_port": 0,
            "shutdown_grace_seconds": 5,
            "downstream_timeout_seconds": 10,
            "command_timeout_seconds": 30,
        }
        settings.update(serve)
        text = base + "\nserve:\n" + "".join("  %s: %s\n" % (k, yaml_value(v)) for k, v in settings.items())
        if edit is not None:
            text = edit(text)
        self.config_path = os.path.join(self.dir, "mugai-test.yaml")
        with open(self.config_path, "w", encoding="utf-8") as f:
            f.write(text)
        self.output = queue.Queue()
        self.stderr_lines = []
        self.proc = subprocess.Popen([env.mugai, "serve", "--config", self.config_path], cwd=self.dir,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.output), daemon=True).start()
        threading.Thread(target=self._pump_err, daemon=True).start()
        self.port = None
        deadline = time.time() + 30
        while self.port is None:
            try:
                line = self.output.get(timeout=max(0.1, deadline - time.time()))
            except queue.Empty:
                line = None
            if line is None or time.time() > deadline:
                self.proc.kill()
                raise Failure("mugai serve did not start: rc=%s stderr=%s" % (self.proc.poll(), "".join(self.stderr_lines)))
            found = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
            if found:
                self.port = int(found.group(1))
        env.gateways.append(self)

    @staticmethod
    def _pump(stream, sink):
        for line in stream:
            sink.put(line)
        sink.put(None)

    def _pump_err(self):
        for line in self.proc.stderr:
            self.stderr_lines.append(line)

    def stop(self, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise Failure("mugai serve did not stop within %d s after SIGTERM" % timeout)

    def audit(self):
        path = os.path.join(self.dir, "audit.log")
        if not os.path.exists(path):
            return []
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def outbox_files(self):
        path = os.path.join(self.dir, "outbox")
        if not os.path.isdir(path):
            return []
        return sorted(os.path.join(path, n) for n in os.listdir(path) if n.endswith(".eml"))

    def quarantined_originals(self):
        root = os.path.join(self.dir, "mugai-quarantine")
        count = 0
        for _, _, files in os.walk(root):
            count += sum(1 for n in files if not n.endswith(".json") and not n.startswith("."))
        return count


class Env:
    def __init__(self, mugai, source):
        self.mugai = mugai
        self.source = source
        self.workdir = tempfile.mkdtemp(prefix="mugai-smtp-e2e-")
        self.gateways = []
        self.sinks = []

    def sink(self, mode="ok", **kwargs):
        sink = Downstream(mode, **kwargs).start()
        self.sinks.append(sink)
        return sink

    def relay_to(self, sink, **extra):
        serve = {"downstream_host": "127.0.0.1", "downstream_port": sink.port}
        serve.update(extra)
        return serve

    def close(self, keep):
        for gateway in self.gateways:
            if gateway.proc.poll() is None:
                gateway.proc.kill()
        for sink in self.sinks:
            sink.stop()
        if not keep:
            shutil.rmtree(self.workdir, ignore_errors=True)


def message(msg_id, subject="test", body="こんにちは、これは試験です。\nHello.\n", extra=""):
    return ("From: Sender <sender@internet.example>\r\nTo: staff@%s\r\nSubject: %s\r\n"
            "Message-ID: <%s>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0900\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n%s\r\n%s"
            % (DOMAIN, subject, msg_id, extra, body.replace("\n", "\r\n"))).encode("utf-8")


class Raw:
    """A raw SMTP client socket: exact bytes out, replies parsed."""

    def __init__(self, port, timeout=20):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buffer = b""

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def reply(self):
        lines = []
        while True:
            while b"\r\n" not in self.buffer:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise Failure("connection closed; so far %r" % lines)
                self.buffer += chunk
            line, self.buffer = self.buffer.split(b"\r\n", 1)
            lines.append(line.decode("ascii"))
            if len(line) < 4 or line[3:4] == b" ":
                return int(lines[-1][:3]), "\n".join(lines)

    def expect(self, code):
        got, text = self.reply()
        check(got == code, "expected %d, got %r" % (code, text))
        return text

    def closed(self, timeout=10):
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(1) == b""
        except (ConnectionResetError, socket.timeout):
            return False

    def close(self):
        self.sock.close()


def wait_for(predicate, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


# ---------------------------------------------------------------------------------------------
@case
def plain_smtplib(env):
    sink = env.sink()
    gw = Gateway(env, env.relay_to(sink))
    with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
        code, text = client.ehlo("sender.example")
        features = text.decode()
        for keyword in ("PIPELINING", "SIZE 26214400", "8BITMIME", "ENHANCEDSTATUSCODES"):
            check(keyword in features, "EHLO lacks " + keyword)
        check("STARTTLS" not in features, "STARTTLS offered without a certificate")
        refused = client.sendmail("sender@internet.example", ["staff@" + DOMAIN], message("plain-1@test"))
        check(refused == {}, "recipients refused: %r" % refused)
    check(wait_for(lambda: len(sink.messages) == 1), "downstream got %d messages" % len(sink.messages))
    mail_from, rcpts, data = sink.messages[0]
    check(mail_from == "sender@internet.example" and rcpts == ["staff@" + DOMAIN], "envelope changed")
    parsed = email.message_from_bytes(data)
    check(parsed["Message-ID"].strip() == "<plain-1@test>", "Message-ID lost")
    check(data.startswith(b"Received: from sender.example ([127.0.0.1])"), "no Received line first")
    check("こんにちは".encode() in data or parsed.get_payload(decode=True) is not None, "body lost")
    check(gw.quarantined_originals() >= 1, "original not quarantined")
    check(gw.stop() == 0, "exit code")
    events = gw.audit()
    messages = [e for e in events if e.get("event") == "message"]
    check(len(messages) == 1, "audit: %d message lines" % len(messages))
    line = messages[0]
    for key in ("session", "client_ip", "mail_from", "rcpt_to", "message_id", "size_in", "size_out",
                "sha256_in", "sha256_out", "parts", "profile", "verdict", "downstream", "duration_ms", "reply"):
        check(key in line, "audit message line lacks " + key)
    check(line["verdict"] == "relayed" and line["message_id"] == "<plain-1@test>", "audit content: %r" % line)
    check(line["reply"].startswith("250 2.0.0"), "audit reply")
    check(any(e.get("event") == "connect" and e.get("accepted") for e in events), "no connect event")


@case
def audit_log_verifies_with_its_key(env):
    """The daemon's audit log, keyed from a key file, verifies with `mugai audit verify
    --hmac-key-file` on the same file; an edited line is named. Both must read the file the same
    way: exactly one final newline is not part of the key (this file ends in a blank line, which
    the daemon once stripped too, so its lines failed to verify)."""
    sink = env.sink()
    key_file = os.path.join(env.workdir, "audit.key")
    with open(key_file, "w", encoding="ascii") as f:
        f.write("a-municipal-audit-key\n\n")
    os.chmod(key_file, 0o600)
    gw = Gateway(env, env.relay_to(sink, audit_hmac_key_file=key_file))
    with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
        client.sendmail("sender@internet.example", ["staff@" + DOMAIN], message("audit-key-1@test"))
    check(gw.stop() == 0, "exit code")
    log = os.path.join(gw.dir, "audit.log")
    verify = lambda: subprocess.run([env.mugai, "audit", "verify", log, "--hmac-key-file", key_file],
                                    capture_output=True, text=True, timeout=60)
    result = verify()
    check(result.returncode == 0 and "chain intact" in result.stdout, "verify: %r %r" % (result.stdout, result.stderr))
    lines = open(log, encoding="utf-8").read().splitlines()
    at = next(i for i, line in enumerate(lines) if '"event":"message"' in line)
    lines[at] = lines[at].replace("audit-key-1@test", "audit-key-2@test")
    with open(log, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    result = verify()
    check(result.returncode == 1 and "line %d" % (at + 1) in result.stdout, "tampered: %r" % result.stdout)


@case
def plain_swaks(env):
    sink = env.sink()
    gw = Gateway(env, env.relay_to(sink))
    result = subprocess.run(["swaks", "--server", "127.0.0.1:%d" % gw.port, "--from", "s@internet.example",
                             "--to", "staff@" + DOMAIN, "--header", "Message-Id: <swaks-1@test>",
                             "--header", "Subject: swaks test", "--body", "hello from swaks", "--timeout", "30"],
                            capture_output=True, text=True, timeout=60)
    check(result.returncode == 0, "swaks failed: %s" % result.stdout[-2000:])
    check(re.search(r"<[-~]\s+250 2\.0\.0 Ok: sanitised and relayed", result.stdout), "no 250 after DATA")
    check(wait_for(lambda: sink.message_ids() == ["<swaks-1@test>"]), "downstream: %r" % sink.message_ids())
    check(gw.stop() == 0, "exit code")


@case
def pipelined(env):
    sink = env.sink()
    gw = Gateway(env, env.relay_to(sink))
    raw = Raw(gw.port)
    raw.expect(220)
    raw.send("EHLO pipe.example\r\n")
    check("PIPELINING" in raw.expect(250), "no PIPELINING")
    # Everything up to DATA in one write; then content and the next transaction and QUIT in one.
    raw.send("MAIL FROM:<a@internet.example>\r\nRCPT TO:<one@%s>\r\nRCPT TO:<x@evil.example>\r\n"
             "RCPT TO:<two@%s>\r\nDATA\r\n" % (DOMAIN, DOMAIN))
    for code in (250, 250, 550, 250, 354):
        raw.expect(code)
    raw.send(message("pipe-1@test") + b".\r\nMAIL FROM:<>\r\nRCPT TO:<three@%s>\r\nDATA\r\n" % DOMAIN.encode())
    raw.expect(250)
    raw.expect(250)
    raw.expect(250)
    raw.expect(354)
    raw.send(message("pipe-2@test") + b".\r\nQUIT\r\n")
    raw.expect(250)
    raw.expect(221)
    check(raw.closed(), "not closed after QUIT")
    check(wait_for(lambda: sorted(sink.message_ids()) == ["<pipe-1@test>", "<pipe-2@test>"]),
          "downstream: %r" % sink.message_ids())
    check(sink.peers[0] == sink.peers[1], "the downstream connection was not kept alive: %r" % sink.peers)
    rcpts = {m[2].split(b"Message-ID: ")[1][:13]: m[1] for m in sink.messages}
    check(sorted(sink.messages[0][1] + sink.messages[1][1]) ==
          sorted(["one@" + DOMAIN, "two@" + DOMAIN, "three@" + DOMAIN]), "recipients: %r" % rcpts)
    check(any(e.get("event") == "reject" and e.get("argument") == "x@evil.example" for e in gw.audit()),
          "relay denial not audited")
    check(gw.stop() == 0, "exit code")


def make_certificate(directory, name="localhost"):
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=%s" % name, "-addext", "subjectAltName=DNS:%s,IP:127.0.0.1" % name,
                    "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=60)
    return cert, key


@case
def starttls(env):
    sink = env.sink()
    cert, key = make_certificate(env.workdir)
    gw = Gateway(env, env.relay_to(sink, tls_certificate_file=cert, tls_key_file=key, require_starttls=True))
    context = ssl.create_default_context(cafile=cert)
    context.check_hostname = False
    # Without TLS: MAIL is refused with 530.
    with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
        code, text = client.ehlo("tls.example")
        check("STARTTLS" in text.decode(), "STARTTLS not offered")
        code, text = client.mail("a@internet.example")
        check(code == 530, "MAIL before STARTTLS: %d %r" % (code, text))
    # With TLS: delivered.
    with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
        client.starttls(context=context)
        code, text = client.ehlo("tls.example")
        check("STARTTLS" not in text.decode(), "STARTTLS offered again inside TLS")
        client.sendmail("a@internet.example", ["staff@" + DOMAIN], message("tls-1@test"))
        version = client.sock.version()
    check(version in ("TLSv1.2", "TLSv1.3"), "TLS version %s" % version)
    # TLS 1.1 is refused.
    old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    old.check_hostname = False
    old.verify_mode = ssl.CERT_NONE
    try:
        old.minimum_version = ssl.TLSVersion.TLSv1
        old.maximum_version = ssl.TLSVersion.TLSv1_1
        old.set_ciphers("ALL:@SECLEVEL=0")
        with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
            client.starttls(context=old)
            raise Failure("a TLS 1.1 handshake succeeded")
    except (ssl.SSLError, smtplib.SMTPServerDisconnected, ConnectionResetError, ValueError):
        pass
    # swaks with STARTTLS.
    result = subprocess.run(["swaks", "--server", "127.0.0.1:%d" % gw.port, "--tls", "--from", "s@internet.example",
                             "--to", "staff@" + DOMAIN, "--header", "Message-Id: <tls-2@test>", "--timeout", "30"],
                            capture_output=True, text=True, timeout=60)
    check(result.returncode == 0, "swaks --tls failed: %s" % result.stdout[-2000:])
    check(wait_for(lambda: sorted(sink.message_ids()) == ["<tls-1@test>", "<tls-2@test>"]),
          "downstream: %r" % sink.message_ids())
    events = gw.audit()
    check(any(e.get("event") == "tls" and e.get("ok") and e.get("tls_version") in ("TLSv1.2", "TLSv1.3")
              for e in events), "no tls audit event")
    relayed = [e for e in events if e.get("event") == "message"]
    check(all(e["tls_version"].startswith("TLSv1.") for e in relayed), "message lines lack tls_version")
    check(gw.stop() == 0, "exit code")


@case
def starttls_injection(env):
    """Commands pipelined behind STARTTLS in plain text must never run inside TLS (CVE-2011-0411)."""
    sink = env.sink()
    cert, key = make_certificate(env.workdir)
    gw = Gateway(env, env.relay_to(sink, tls_certificate_file=cert, tls_key_file=key))
    raw = Raw(gw.port)
    raw.expect(220)
    raw.send("EHLO x\r\n")
    raw.expect(250)
    raw.send("STARTTLS\r\nMAIL FROM:<injected@evil.example>\r\nRCPT TO:<staff@%s>\r\n" % DOMAIN)
    raw.expect(220)
    check(raw.buffer == b"", "bytes after the 220: %r" % raw.buffer)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    tls = context.wrap_socket(raw.sock, server_hostname="localhost")
    raw.sock = tls
    raw.send("NOOP\r\n")
    text = raw.expect(250)
    check(text == "250 2.0.0 Ok", "first reply inside TLS is not the NOOP's: %r" % text)
    raw.send("MAIL FROM:<a@internet.example>\r\n")
    raw.expect(503)  # the EHLO before TLS is forgotten, and the injected MAIL never happened
    raw.send("QUIT\r\n")
    raw.expect(221)
    check(gw.stop() == 0, "exit code")


@case
def oversize(env):
    sink = env.sink()
    gw = Gateway(env, env.relay_to(sink), limits={"max_message_bytes": 100000})
    big = message("big-1@test", body="x" * 70 + "\n") + (b"y" * 70 + b"\r\n") * 2000  # ~150 kB
    with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
        client.ehlo("big.example")
        check("SIZE 100000" in client.ehlo_resp.decode(), "SIZE not advertised")
        # smtplib declares SIZE= itself: refused at MAIL, before any content.
        try:
            client.sendmail("a@internet.example", ["staff@" + DOMAIN], big)
            raise Failure("oversize message accepted")
        except smtplib.SMTPSenderRefused as error:
            check(error.smtp_code == 552 and b"5.3.4" in error.smtp_error, "MAIL: %r" % error)
        # Without SIZE=: the content is read to the dot and discarded, then 552 5.3.4.
        client.rset()
        check(client.mail("a@internet.example")[0] == 250, "MAIL")
        check(client.rcpt("staff@" + DOMAIN)[0] == 250, "RCPT")
        code, text = client.data(big)
        check(code == 552 and text.startswith(b"5.3.4"), "DATA: %d %r" % (code, text))
        check(client.noop()[0] == 250, "session not usable after 552")
        client.sendmail("a@internet.example", ["staff@" + DOMAIN], message("small-1@test"))
    check(wait_for(lambda: sink.message_ids() == ["<small-1@test>"]), "downstream: %r" % sink.message_ids())
    check(gw.stop() == 0, "exit code")


@case
def too_many_recipients(env):
    sink = env.sink()
    gw = Gateway(env, env.relay_to(sink, max_recipients=3))
    with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
        client.ehlo("r.example")
        client.mail("a@internet.example")
        codes = [client.rcpt("u%d@%s" % (i, DOMAIN))[0] for i in range(5)]
        check(codes == [250, 250, 250, 452, 452], "RCPT codes %r" % codes)
        code, _ = client.data(message("rcpt-1@test"))
        check(code == 250, "DATA %d" % code)
    check(wait_for(lambda: len(sink.messages) == 1), "not delivered")
    check(sink.messages[0][1] == ["u0@%s" % DOMAIN, "u1@%s" % DOMAIN, "u2@%s" % DOMAIN], "rcpts %r" % sink.messages[0][1])
    check(gw.stop() == 0, "exit code")


@case
def foreign_domain(env):
    sink = env.sink()
    gw = Gateway(env, env.relay_to(sink))
    with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
        for address in ("victim@gmail.example", "x@sub.%s" % DOMAIN, "x@[127.0.0.1]", "x%%y@evil.example"):
            try:
                client.sendmail("a@internet.example", [address], message("relay@test"))
                raise Failure("relayed to %s" % address)
            except smtplib.SMTPRecipientsRefused as error:
                code, text = error.recipients[address]
                check(code == 550 and text.startswith(b"5.7.1"), "%s: %d %r" % (address, code, text))
    time.sleep(0.5)
    check(sink.messages == [], "something was delivered")
    check(gw.stop() == 0, "exit code")


@case
def client_not_allowed(env):
    sink = env.sink()
    gw = Gateway(env, env.relay_to(sink, client_networks=["10.0.0.0/8", "192.0.2.0/24"]))
    raw = Raw(gw.port)
    code, text = raw.reply()
    check(code == 554 and "5.7.1" in text, "banner: %r" % text)
    check(raw.closed(), "connection not closed")
    # Session events are not waited for (the greeting never waits for a disk flush): written
    # within serve's one-second deferred flush.
    check(wait_for(lambda: any(e.get("event") == "connect" and e.get("accepted") is False for e in gw.audit())),
          "not audited")
    check(gw.stop() == 0, "exit code")


@case
def smuggling(env):
    """A bare-LF or bare-CR dot never ends DATA: the smuggled second message is never delivered.
    With a bare LF the whole message is refused; a bare CR is content, so the carrier (with the
    would-be second message as text inside it) is delivered once, as one message."""
    sink = env.sink()
    gw = Gateway(env, env.relay_to(sink))
    for terminator in (b"\n.\n", b"\r\n.\n", b"\n.\r\n", b"\r.\r", b"\r.\r\n"):
        bare_lf = b"\n" in terminator.replace(b"\r\n", b"")
        raw = Raw(gw.port)
        raw.expect(220)
        raw.send(b"EHLO s\r\nMAIL FROM:<a@internet.example>\r\nRCPT TO:<staff@%s>\r\nDATA\r\n" % DOMAIN.encode())
        for code in (250, 250, 250, 354):
            raw.expect(code)
        smuggled = (b"MAIL FROM:<ceo@bank.example>\r\nRCPT TO:<staff@%s>\r\nDATA\r\n" % DOMAIN.encode() +
                    message("smuggled@test", subject="smuggled") + b".\r\n")
        raw.send(message("carrier@test", subject="carrier") + terminator + smuggled)
        if bare_lf:
            text = raw.expect(550)
            check("5.6.11" in text, "reply %r" % text)
        else:
            raw.expect(250)
        raw.send(b"NOOP\r\n")
        check(raw.expect(250) == "250 2.0.0 Ok", "out of sync after the message")
        raw.close()
    time.sleep(0.5)
    check(sink.message_ids() == ["<carrier@test>"] * 2, "delivered: %r" % sink.message_ids())
    for _, _, data in sink.messages:
        check(b"\r\n.\r\n" not in data and b"\r." not in data.replace(b"\r\n", b"\n"),
              "a bare CR or a lone dot line reached the downstream")
    # A command with a bare LF is refused, not executed.
    raw = Raw(gw.port)
    raw.expect(220)
    raw.send(b"EHLO s\nNOOP\r\n")
    check(raw.expect(500).startswith("500 5.5.2"), "bare LF command")
    raw.expect(250)
    check(gw.stop() == 0, "exit code")


@case
def downstream_down(env):
    port = free_port()  # nothing listens here
    gw = Gateway(env, {"downstream_host": "127.0.0.1", "downstream_port": port})
    with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
        try:
            client.sendmail("a@internet.example", ["staff@" + DOMAIN], message("down-1@test"))
            raise Failure("accepted with the downstream down")
        except smtplib.SMTPDataError as error:
            check(error.smtp_code == 451 and error.smtp_error.startswith(b"4.4.1"), "reply %r" % error)
    check(gw.outbox_files() == [], "something went to the outbox in relay mode")
    lines = [e for e in gw.audit() if e.get("event") == "message"]
    check(lines and lines[0]["verdict"] == "tempfail" and "connect" in lines[0]["downstream"], "audit %r" % lines)
    check(gw.stop() == 0, "exit code")


@case
def downstream_4xx_once(env):
    sink = env.sink("fail-once")
    gw = Gateway(env, env.relay_to(sink))
    msg = message("retry-1@test")
    with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
        try:
            client.sendmail("a@internet.example", ["staff@" + DOMAIN], msg)
            raise Failure("first attempt accepted although the downstream said 451")
        except smtplib.SMTPDataError as error:
            check(error.smtp_code == 451 and b"451 4.3.0" in error.smtp_error, "reply %r" % error)
        client.sendmail("a@internet.example", ["staff@" + DOMAIN], msg)  # the sender's retry
    check(wait_for(lambda: sink.message_ids() == ["<retry-1@test>"]), "downstream: %r" % sink.message_ids())
    time.sleep(0.5)
    check(len(sink.messages) == 1, "delivered %d times" % len(sink.messages))
    check(gw.stop() == 0, "exit code")


@case
def downstream_5xx(env):
    sink = env.sink("always-5xx")
    gw = Gateway(env, env.relay_to(sink))
    with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
        try:
            client.sendmail("a@internet.example", ["staff@" + DOMAIN], message("perm-1@test"))
            raise Failure("accepted although the downstream said 554")
        except smtplib.SMTPDataError as error:
            check(error.smtp_code == 554 and error.smtp_error.startswith(b"5.7.0") and b"554" in error.smtp_error,
                  "reply %r" % error)
    check(sink.messages == [], "delivered")
    check(gw.stop() == 0, "exit code")


@case
def downstream_rcpt_refused(env):
    """One recipient refused downstream fails the whole message: nothing half-delivered. With and
    without PIPELINING offered (grouped RCPT replies are all read, so the pool stays in sync)."""
    for pipelining in (True, False):
        sink = env.sink("rcpt-5xx", pipelining=pipelining)
        gw = Gateway(env, env.relay_to(sink))
        with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
            for refused_first in (["unknown@" + DOMAIN, "ok@" + DOMAIN], ["ok@" + DOMAIN, "unknown@" + DOMAIN]):
                try:
                    client.sendmail("a@internet.example", refused_first, message("half@test"))
                    raise Failure("accepted (pipelining %s)" % pipelining)
                except smtplib.SMTPDataError as error:
                    check(error.smtp_code == 554 and error.smtp_error.startswith(b"5.1.1") and b"unknown@" in error.smtp_error,
                          "reply %r (pipelining %s)" % (error, pipelining))
            client.sendmail("a@internet.example", ["ok@" + DOMAIN], message("whole@test"))  # pool still in sync
        check(wait_for(lambda: sink.message_ids() == ["<whole@test>"]),
              "downstream: %r (pipelining %s)" % (sink.message_ids(), pipelining))
        check(gw.stop() == 0, "exit code")


class RecordingDownstream:
    """A hand-written downstream on a raw socket that keeps every recv() chunk, to see how mugai
    groups its commands. Accepts everything; offers PIPELINING unless told not to; with
    `close_after` it closes each connection after that many messages (a pooled connection the
    downstream dropped while idle)."""

    def __init__(self, pipelining=True, close_after=None):
        self.pipelining = pipelining
        self.close_after = close_after
        self.lock = threading.Lock()
        self.chunks = []  # (connection number, bytes), in arrival order
        self.delivered = []  # message bytes
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        number = 0
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            number += 1
            threading.Thread(target=self._session, args=(connection, number), daemon=True).start()

    def _session(self, connection, number):
        with connection:
            connection.sendall(b"220 recording.test ESMTP\r\n")
            buffer, content, in_data, here = b"", None, False, 0
            while True:
                try:
                    chunk = connection.recv(65536)
                except OSError:
                    return
                if not chunk:
                    return
                with self.lock:
                    self.chunks.append((number, chunk))
                buffer += chunk
                while True:
                    if in_data:
                        end = buffer.find(b"\r\n.\r\n")
                        if end < 0:
                            break
                        content, buffer, in_data = buffer[:end + 2], buffer[end + 5:], False
                        with self.lock:
                            self.delivered.append(content)
                        here += 1
                        connection.sendall(b"250 2.0.0 queued\r\n")
                        if self.close_after and here >= self.close_after:
                            return
                        continue
                    end = buffer.find(b"\r\n")
                    if end < 0:
                        break
                    line, buffer = buffer[:end], buffer[end + 2:]
                    verb = line.split(b" ")[0].upper()
                    if verb == b"EHLO":
                        connection.sendall(b"250-recording.test\r\n" +
                                           (b"250-PIPELINING\r\n" if self.pipelining else b"") + b"250 8BITMIME\r\n")
                    elif verb == b"DATA":
                        in_data = True
                        connection.sendall(b"354 go ahead\r\n")
                    elif verb == b"QUIT":
                        connection.sendall(b"221 bye\r\n")
                        return
                    else:
                        connection.sendall(b"250 2.0.0 ok\r\n")

    def connections(self):
        with self.lock:
            return len({number for number, _ in self.chunks})

    def close(self):
        self.server.close()


@case
def relay_pipelines_envelope(env):
    """A downstream offering PIPELINING gets [RSET,] MAIL and every RCPT in one write and DATA on
    its own (no content can follow a refused envelope); one that does not, one command per write."""
    for pipelining in (True, False):
        sink = RecordingDownstream(pipelining=pipelining)
        gw = Gateway(env, {"downstream_host": "127.0.0.1", "downstream_port": sink.port})
        with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
            for i in range(2):
                client.sendmail("a@internet.example", ["one@" + DOMAIN, "two@" + DOMAIN],
                                message("group-%d@test" % i))
        check(wait_for(lambda: len(sink.delivered) == 2), "delivered %d (pipelining %s)" % (len(sink.delivered), pipelining))
        check(gw.stop() == 0, "exit code")
        sink.close()
        chunks = [chunk for _, chunk in sink.chunks]
        envelopes = [c for c in chunks if b"MAIL FROM:" in c]
        check(len(envelopes) == 2, "envelope writes %r" % envelopes)
        if pipelining:
            check(re.fullmatch(rb"MAIL FROM:<a@internet\.example>[^\r\n]*\r\nRCPT TO:<one@%s>\r\nRCPT TO:<two@%s>\r\n"
                               % (DOMAIN.encode(), DOMAIN.encode()), envelopes[0]), "first group %r" % envelopes[0])
            check(envelopes[1].startswith(b"RSET\r\nMAIL FROM:") and envelopes[1].count(b"RCPT TO:") == 2,
                  "second group %r" % envelopes[1])
            check(not any(c.startswith(b"RSET") and b"MAIL" not in c for c in chunks), "a separate RSET round trip")
        else:
            check(all(c.count(b"\r\n") == 1 for c in envelopes), "grouped without PIPELINING: %r" % envelopes)
        check(chunks.count(b"DATA\r\n") == 2, "DATA not on its own: %r" % [c for c in chunks if b"DATA" in c])

    # More than 100 recipients: one command at a time even when offered (no group whose replies
    # could outgrow the socket buffers), and a pooled connection still starts with RSET.
    sink = RecordingDownstream(pipelining=True)
    gw = Gateway(env, {"downstream_host": "127.0.0.1", "downstream_port": sink.port, "max_recipients": 150})
    many = ["r%d@%s" % (i, DOMAIN) for i in range(101)]
    with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
        for i in range(2):
            client.sendmail("a@internet.example", many, message("many-%d@test" % i))
    check(wait_for(lambda: len(sink.delivered) == 2), "delivered %d (101 recipients)" % len(sink.delivered))
    check(gw.stop() == 0, "exit code")
    sink.close()
    chunks = [chunk for _, chunk in sink.chunks]
    check(all(c.count(b"\r\n") == 1 for c in chunks if b"RCPT TO:" in c or b"MAIL FROM:" in c),
          "grouped with 101 recipients")
    check(chunks.count(b"RSET\r\n") == 1 and chunks.index(b"RSET\r\n") < max(
        i for i, c in enumerate(chunks) if c.startswith(b"MAIL FROM:")), "no RSET before the second MAIL")


@case
def relay_pooled_connection_dropped(env):
    """The downstream closes each connection after one message. The next message finds its pooled
    connection dead before any content went out and goes over a fresh one: every message is
    answered 250 and arrives exactly once."""
    for pipelining in (True, False):
        sink = RecordingDownstream(pipelining=pipelining, close_after=1)
        gw = Gateway(env, {"downstream_host": "127.0.0.1", "downstream_port": sink.port})
        with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
            for i in range(3):
                time.sleep(0.2)  # the close reaches mugai's idle connection first
                client.sendmail("a@internet.example", ["staff@" + DOMAIN], message("dropped-%d@test" % i))
        check(wait_for(lambda: len(sink.delivered) == 3), "delivered %d (pipelining %s)" % (len(sink.delivered), pipelining))
        ids = sorted(re.search(rb"Message-ID: <([^>]*)>", m).group(1) for m in sink.delivered)
        check(ids == [b"dropped-0@test", b"dropped-1@test", b"dropped-2@test"], "ids %r" % ids)
        check(sink.connections() == 3, "connections %d" % sink.connections())
        check(gw.stop() == 0, "exit code")
        sink.close()


@case
def downstream_slow(env):
    for mode in ("slow-rcpt", "tarpit"):
        sink = env.sink(mode, delay=8)
        gw = Gateway(env, env.relay_to(sink, downstream_timeout_seconds=2))
        started = time.time()
        with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
            try:
                client.sendmail("a@internet.example", ["staff@" + DOMAIN], message("slow@test"))
                raise Failure("accepted")
            except smtplib.SMTPDataError as error:
                check(error.smtp_code == 451 and error.smtp_error.startswith(b"4.4.2"), "%s: reply %r" % (mode, error))
        elapsed = time.time() - started
        check(elapsed < 7, "%s: answer took %.1f s with a 2 s downstream timeout" % (mode, elapsed))
        check(gw.stop() == 0, "exit code")
    time.sleep(0.5)
    check(all(not s.messages for s in env.sinks), "a message arrived")


@case
def outbox_mode(env):
    gw = Gateway(env, {"downstream_host": ""})
    with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
        for i in range(3):
            client.sendmail("a@internet.example", ["staff@" + DOMAIN], message("box-%d@test" % i))
        client.sendmail("a@internet.example", ["staff@" + DOMAIN], message("box-0@test"))  # same bytes again
    files = gw.outbox_files()
    check(len(files) == 4, "outbox has %d files" % len(files))
    check(os.listdir(os.path.join(gw.dir, "outbox", "tmp")) == [], "temporary files left")
    ids = []
    for path in files:
        data = open(path, "rb").read()
        check(data.startswith(b"Return-Path: <a@internet.example>\r\nX-Mugai-Envelope-To: <staff@%s>\r\n" % DOMAIN.encode()),
              "envelope lines missing in %s" % path)
        ids.append(email.message_from_bytes(data)["Message-ID"].strip())
    check(sorted(ids) == ["<box-0@test>", "<box-0@test>", "<box-1@test>", "<box-2@test>"], "ids %r" % ids)
    check(gw.stop() == 0, "exit code")


@case
def profile_rejects(env):
    """A message the profile refuses: 550 5.7.1, original quarantined, nothing relayed."""
    sink = env.sink()
    gw = Gateway(env, env.relay_to(sink))
    sample = os.path.join(env.source, "samples", "mail", "exe-elf.eml")
    data = open(sample, "rb").read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
        try:
            client.sendmail("a@internet.example", ["staff@" + DOMAIN], data)
            raise Failure("executable accepted")
        except smtplib.SMTPDataError as error:
            check(error.smtp_code == 550 and error.smtp_error.startswith(b"5.7.1"), "reply %r" % error)
    check(sink.messages == [], "relayed")
    check(gw.quarantined_originals() >= 1, "original not quarantined")
    lines = [e for e in gw.audit() if e.get("event") == "message"]
    check(lines and lines[0]["verdict"] == "rejected", "audit %r" % lines)
    check(gw.stop() == 0, "exit code")


@case
def session_limits(env):
    sink = env.sink()
    gw = Gateway(env, env.relay_to(sink, max_sessions_per_client=2, command_timeout_seconds=2,
                                   max_errors_per_session=3))
    first, second = Raw(gw.port), Raw(gw.port)
    first.expect(220)
    second.expect(220)
    third = Raw(gw.port)
    code, text = third.reply()
    check(code == 421 and "4.7.0" in text, "third session: %r" % text)
    check(third.closed(), "third not closed")
    # Errors: the third error closes the session.
    second.send("FOO\r\nBAR\r\nBAZ\r\nNOOP\r\n")
    second.expect(500)
    second.expect(500)
    second.expect(500)
    code, text = second.reply()
    check(code == 421 and "4.7.0" in text, "after errors %r" % text)
    check(second.closed(), "not closed after errors")
    # Idle past the command timeout (2 s): 421 4.4.2 and close. A trickled, never finished
    # command does not extend it (slowloris).
    started = time.time()
    first.send("NO")
    time.sleep(0.5)
    first.send("O")
    code, text = first.reply()
    check(code == 421 and "4.4.2" in text and time.time() - started < 5, "timeout reply %r" % text)
    check(first.closed(), "not closed after timeout")
    # An HTTP request is not SMTP: closed at once.
    web = Raw(gw.port)
    web.expect(220)
    web.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    web.expect(421)
    check(web.closed(), "HTTP client not closed")
    check(gw.stop() == 0, "exit code")


@case
def data_timeout(env):
    """Content trickled in too slowly: 421 4.4.2 at the data deadline, nothing delivered."""
    sink = env.sink()
    gw = Gateway(env, env.relay_to(sink, data_timeout_seconds=2))
    raw = Raw(gw.port)
    raw.expect(220)
    raw.send("EHLO t\r\nMAIL FROM:<a@internet.example>\r\nRCPT TO:<staff@%s>\r\nDATA\r\n" % DOMAIN)
    for code in (250, 250, 250, 354):
        raw.expect(code)
    started = time.time()
    raw.sock.settimeout(0.3)
    text = None
    while time.time() - started < 6 and text is None:
        try:
            raw.send(b"x")  # one byte every 0.3 s: never idle, never finished
            chunk = raw.sock.recv(4096)
            if chunk:
                raw.buffer += chunk
                raw.sock.settimeout(5)
                code, text = raw.reply()
        except socket.timeout:
            continue
        except (BrokenPipeError, ConnectionResetError):
            break
    check(text is not None and text.startswith("421 4.4.2"), "reply %r" % text)
    check(time.time() - started < 4, "data deadline not enforced")
    check(sink.messages == [], "delivered")
    check(gw.stop() == 0, "exit code")


@case
def concurrent_sessions(env):
    sink = env.sink()
    gw = Gateway(env, env.relay_to(sink, max_sessions=60, max_sessions_per_client=60, downstream_connections=8,
                                   downstream_timeout_seconds=60, command_timeout_seconds=120))
    accepted, refused, errors = [], [], []
    lock = threading.Lock()

    def sender(number):
        try:
            with smtplib.SMTP("127.0.0.1", gw.port, timeout=120) as client:
                for i in range(20):
                    msg_id = "c%02d-%02d@test" % (number, i)
                    try:
                        client.sendmail("a@internet.example", ["staff@" + DOMAIN], message(msg_id))
                        with lock:
                            accepted.append("<%s>" % msg_id)
                    except smtplib.SMTPResponseException as error:
                        with lock:
                            refused.append(error.smtp_code)
        except Exception as error:  # noqa: BLE001 - every failure is reported below
            with lock:
                errors.append(repr(error))

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(50)]
    started = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    elapsed = time.time() - started
    check(not errors, "client errors: %r" % errors[:5])
    check(all(400 <= code < 600 for code in refused), "refusals not 4xx/5xx: %r" % refused)
    check(wait_for(lambda: len(sink.messages) >= len(accepted), 30), "missing deliveries")
    counts = collections.Counter(sink.message_ids())
    duplicates = [k for k, v in counts.items() if v > 1]
    check(not duplicates, "delivered twice: %r" % duplicates[:5])
    missing = [m for m in accepted if m not in counts]
    check(not missing, "250 without delivery: %r" % missing[:5])
    check(len(accepted) + len(refused) == 1000, "answers: %d" % (len(accepted) + len(refused)))
    check(len(accepted) == 1000, "only %d of 1000 accepted (refusals %r)" % (len(accepted), collections.Counter(refused)))
    connections = len(set(sink.peers))
    check(connections <= 8, "%d downstream connections for a pool of 8" % connections)
    print("50 x 20 messages in %.1f s over %d downstream connections" % (elapsed, connections))
    check(gw.stop() == 0, "exit code")


@case
def sigterm_during_traffic(env):
    sink = env.sink()
    gw = Gateway(env, env.relay_to(sink, shutdown_grace_seconds=5))
    accepted, lock, stop = [], threading.Lock(), threading.Event()

    def sender(number):
        i = 0
        while not stop.is_set():
            try:
                with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
                    for _ in range(5):
                        msg_id = "t%02d-%04d@test" % (number, i)
                        i += 1
                        client.sendmail("a@internet.example", ["staff@" + DOMAIN], message(msg_id))
                        with lock:
                            accepted.append("<%s>" % msg_id)
            except (OSError, smtplib.SMTPException):
                time.sleep(0.05)

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    check(wait_for(lambda: len(accepted) >= 20, 60), "traffic did not start")
    started = time.time()
    gw.proc.send_signal(signal.SIGTERM)
    rc = gw.proc.wait(timeout=30)
    stopped = time.time() - started
    stop.set()
    for t in threads:
        t.join(timeout=60)
    check(rc == 0, "exit code %s" % rc)
    check(stopped < 5 + 6, "stop took %.1f s" % stopped)
    counts = collections.Counter(sink.message_ids())
    missing = [m for m in accepted if m not in counts]
    check(not missing, "250 without delivery: %r" % missing[:5])
    check(all(v == 1 for v in counts.values()), "duplicates")
    print("%d messages accepted before and during shutdown; stop took %.1f s" % (len(accepted), stopped))


@case
def sigterm_mid_transaction(env):
    """A message being sent when SIGTERM arrives may finish within the grace period."""
    sink = env.sink()
    gw = Gateway(env, env.relay_to(sink, shutdown_grace_seconds=10))
    busy, idle = Raw(gw.port), Raw(gw.port)
    busy.expect(220)
    idle.expect(220)
    busy.send("EHLO b\r\nMAIL FROM:<a@internet.example>\r\nRCPT TO:<staff@%s>\r\nDATA\r\n" % DOMAIN)
    for code in (250, 250, 250, 354):
        busy.expect(code)
    data = message("inflight@test")
    busy.send(data[:50])
    gw.proc.send_signal(signal.SIGTERM)
    code, text = idle.reply()  # idle between transactions: told at once
    check(code == 421 and "4.3.2" in text, "idle session: %r" % text)
    time.sleep(1)
    check(gw.proc.poll() is None, "exited with a transaction in flight")
    busy.send(data[50:] + b".\r\n")
    text = busy.expect(250)
    code, text = busy.reply()
    check(code == 421 and "4.3.2" in text, "after the transaction: %r" % text)
    check(gw.proc.wait(timeout=15) == 0, "exit code")
    check(sink.message_ids() == ["<inflight@test>"], "downstream %r" % sink.message_ids())
    # After the grace period a session still inside its transaction is cut off with 421.
    gw = Gateway(env, env.relay_to(sink, shutdown_grace_seconds=1))
    slow = Raw(gw.port)
    slow.expect(220)
    slow.send("EHLO b\r\nMAIL FROM:<a@internet.example>\r\nRCPT TO:<staff@%s>\r\nDATA\r\n" % DOMAIN)
    for code in (250, 250, 250, 354):
        slow.expect(code)
    slow.send(message("cut@test")[:50])
    started = time.time()
    gw.proc.send_signal(signal.SIGTERM)
    code, text = slow.reply()
    check(code == 421 and "4.3.2" in text, "after grace: %r" % text)
    check(gw.proc.wait(timeout=15) == 0 and time.time() - started < 4, "exit")
    check(sink.message_ids() == ["<inflight@test>"], "downstream %r" % sink.message_ids())


@case
def downstream_restarted(env):
    """A pooled downstream connection that died is noticed (RSET) and replaced: no 451."""
    sink = env.sink()
    gw = Gateway(env, env.relay_to(sink))
    with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
        client.sendmail("a@internet.example", ["staff@" + DOMAIN], message("before@test"))
    sink.stop()
    time.sleep(0.5)
    again = env.sink(port=sink.port)
    with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
        client.sendmail("a@internet.example", ["staff@" + DOMAIN], message("after@test"))
    check(sink.message_ids() == ["<before@test>"] and again.message_ids() == ["<after@test>"],
          "downstream %r %r" % (sink.message_ids(), again.message_ids()))
    check(gw.stop() == 0, "exit code")


@case
def relay_starttls(env):
    cert, key = make_certificate(env.workdir)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    sink = env.sink(tls_context=context)
    gw = Gateway(env, {"downstream_host": "127.0.0.1", "downstream_port": sink.port, "downstream_starttls": True,
                       "downstream_ca_file": cert})
    with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
        client.sendmail("a@internet.example", ["staff@" + DOMAIN], message("down-tls@test"))
    check(wait_for(lambda: sink.message_ids() == ["<down-tls@test>"]), "downstream %r" % sink.message_ids())
    check(gw.stop() == 0, "exit code")
    # A downstream whose certificate we cannot verify gets nothing: 451.
    other_dir = tempfile.mkdtemp(dir=env.workdir)
    other_cert, _ = make_certificate(other_dir)
    gw = Gateway(env, {"downstream_host": "127.0.0.1", "downstream_port": sink.port, "downstream_starttls": True,
                       "downstream_ca_file": other_cert})
    with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
        try:
            client.sendmail("a@internet.example", ["staff@" + DOMAIN], message("untrusted@test"))
            raise Failure("relayed to an unverified downstream")
        except smtplib.SMTPDataError as error:
            check(error.smtp_code == 451, "reply %r" % error)
    check(sink.message_ids() == ["<down-tls@test>"], "downstream %r" % sink.message_ids())
    check(gw.stop() == 0, "exit code")


@case
def reload_config(env):
    sink = env.sink()
    gw = Gateway(env, env.relay_to(sink))
    original = open(gw.config_path, encoding="utf-8").read()
    with open(gw.config_path, "w", encoding="utf-8") as f:
        f.write(original + "\nthis is: [not valid yaml\n")
    gw.proc.send_signal(signal.SIGHUP)
    time.sleep(1)
    check(gw.proc.poll() is None, "died on a broken config")
    with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
        client.sendmail("a@internet.example", ["staff@" + DOMAIN], message("after-broken@test"))
    with open(gw.config_path, "w", encoding="utf-8") as f:
        f.write(original.replace('"accepted_domains": ["%s"]' % DOMAIN, "").replace(
            '  accepted_domains: ["%s"]' % DOMAIN, '  accepted_domains: ["%s", "town.example.jp"]' % DOMAIN))
    gw.proc.send_signal(signal.SIGHUP)
    check(wait_for(lambda: any("reloaded" in l for l in gw.stderr_lines), 10), "no reload: %r" % gw.stderr_lines)
    with smtplib.SMTP("127.0.0.1", gw.port, timeout=30) as client:
        client.sendmail("a@internet.example", ["staff@town.example.jp"], message("after-reload@test"))
    check(wait_for(lambda: len(sink.messages) == 2), "downstream %r" % sink.message_ids())
    check(gw.stop() == 0, "exit code")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mugai", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--case", action="append", default=[])
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    args = parser.parse_args()
    if args.list:
        print("\n".join(CASES))
        return 0
    names = args.case or list(CASES)
    failed = 0
    for name in names:
        env = Env(os.path.abspath(args.mugai), os.path.abspath(args.source))
        started = time.time()
        try:
            CASES[name](env)
            print("PASS %s (%.1f s)" % (name, time.time() - started), flush=True)
        except Exception as error:  # noqa: BLE001
            failed += 1
            print("FAIL %s: %s" % (name, error), flush=True)
            for gateway in env.gateways:
                sys.stdout.write("".join(gateway.stderr_lines[-20:]))
            print("working directory kept: %s" % env.workdir)
            env.close(keep=True)
            continue
        env.close(keep=args.keep)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
