"""Starts a real `mugai serve` with the file-transfer proxy enabled on loopback, for the API and
browser tests. Users' password hashes are made with `mugai transfer hash-password`, so the CLI
is exercised by every test."""
import base64
import http.client
import json
import os
import queue
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time

USERS = {"alice": "correct horse 馬", "bob": "battery staple"}


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hash_password(mugai, password):
    done = subprocess.run([mugai, "transfer", "hash-password", "--iterations", "1000"], input=password + "\n",
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


def yaml(value):
    return json.dumps(value)  # JSON scalars and lists are valid YAML flow values


class Gateway:
    """`mugai serve` in a temporary directory. transfer: settings override the defaults below."""

    def __init__(self, mugai, transfer=None, workdir=None, first_rule=""):
        self.mugai = mugai
        self.dir = workdir or tempfile.mkdtemp(prefix="mugai-transfer-")
        self.tls = bool(transfer and transfer.get("tls_certificate_file"))
        settings = {
            "enabled": True,
            "upload_address": "127.0.0.1",
            "upload_port": free_port(),
            "download_address": "127.0.0.1",
            "download_port": free_port(),
            "state_dir": "transfers",
            "max_upload_bytes": 1048576,
            "uploads_per_minute": 1000,
            "auth_failures_per_minute": 1000,
        }
        settings.update(transfer or {})
        users = "".join('    - { name: %s, password_hash: %s, profiles: %s }\n'
                        % (name, yaml(hash_password(mugai, password)),
                           yaml(["lgwan-strict", "text-only"] if name == "alice" else ["text-only"]))
                        for name, password in USERS.items())
        config = """
quarantine_dir: quarantine
serve:
  listen_address: 127.0.0.1
  listen_port: %d
  admin_port: 0
  audit_log: audit.log
  outbox_dir: mail-outbox
  accepted_domains: [city.example.jp]
profiles:
  lgwan-strict:
    strictness: 100
    rules:
%s      - { match: executable, action: reject-message }
      - { match: script,     action: remove }
      - { match: text,       action: keep }
      - { match: html,       action: to-text }
      - { match: ooxml,      action: strip-active }
      - { match: any,        action: remove }
  text-only:
    strictness: 200
    rules:
      - { match: executable, action: reject-message }
      - { match: [text, html], action: to-text }
      - { match: any, action: remove }
select:
  - { default: lgwan-strict }
transfer:
%s  users:
%s""" % (free_port(), first_rule, "".join("  %s: %s\n" % (k, yaml(v)) for k, v in settings.items()), users)
        self.config_path = os.path.join(self.dir, "mugai.yaml")
        with open(self.config_path, "w", encoding="utf-8") as f:
            f.write(config)
        self.settings = settings
        self.lines = queue.Queue()
        self.stderr = []
        self.proc = subprocess.Popen([mugai, "serve", "--config", self.config_path], cwd=self.dir,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._pump, daemon=True).start()
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True).start()
        self.upload_port = None
        self.download_port = None
        deadline = time.time() + 60
        while self.upload_port is None:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.time()))
            except queue.Empty:
                line = None
            if line is None or time.time() > deadline:
                self.proc.kill()
                raise Failure("mugai serve did not start: rc=%s stderr=%s" % (self.proc.wait(), "".join(self.stderr)))
            found = re.search(r"upload page https?://127\.0\.0\.1:(\d+)/", line)
            if found:
                self.upload_port = int(found.group(1))
                down = re.search(r"download page https?://127\.0\.0\.1:(\d+)/", line)
                self.download_port = int(down.group(1)) if down else None

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise Failure("mugai serve did not stop on SIGTERM")
            check(rc == 0, "mugai serve exited %s: %s" % (rc, "".join(self.stderr)))

    def audit_lines(self):
        with open(self.path("audit.log"), encoding="utf-8") as f:
            return [json.loads(line) for line in f]

    def verify_audit(self):
        done = subprocess.run([self.mugai, "audit", "verify", self.path("audit.log")], capture_output=True, text=True)
        check(done.returncode == 0, "audit verify failed: %s %s" % (done.stdout, done.stderr))

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    # --- HTTP ---------------------------------------------------------------------------------

    def connection(self, side="upload", timeout=60):
        port = self.upload_port if side == "upload" else self.download_port
        if self.tls:
            context = ssl.create_default_context(cafile=self.settings["tls_certificate_file"])
            context.check_hostname = False
            return http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=context)
        return http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, user="alice", password=None, side="upload"):
        """(status, headers dict lower-case, body bytes, json-or-None)"""
        headers = dict(headers or {})
        if user is not None:
            secret = USERS.get(user, "") if password is None else password
            headers["Authorization"] = "Basic " + base64.b64encode(("%s:%s" % (user, secret)).encode()).decode()
        connection = self.connection(side)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            head = {k.lower(): v for k, v in response.getheaders()}
        finally:
            connection.close()
        parsed = None
        if head.get("content-type", "").startswith("application/json"):
            parsed = json.loads(data)
        return response.status, head, data, parsed

    def upload(self, data, filename, user="alice", profile=None, **kwargs):
        body, content_type = multipart([("file", filename, data)] + ([("profile", None, profile.encode())] if profile else []))
        return self.request("POST", "/api/v1/transfers", body=body, headers={"Content-Type": content_type},
                            user=user, **kwargs)


def multipart(fields, boundary="mugaiTestBoundary7MA4YWxkTrZu0gW"):
    """fields: (name, filename or None, bytes). Returns (body, content type)."""
    out = b""
    for name, filename, data in fields:
        out += b"--" + boundary.encode() + b"\r\n"
        disposition = 'form-data; name="%s"' % name
        if filename is not None:
            quoted = filename.replace("\\", "\\\\").replace('"', '\\"')  # RFC 822 quoted-string
            disposition += '; filename="%s"' % quoted
        out += b"Content-Disposition: " + disposition.encode("utf-8") + b"\r\n"
        if filename is not None:
            out += b"Content-Type: application/octet-stream\r\n"
        out += b"\r\n" + data + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return out, "multipart/form-data; boundary=" + boundary
