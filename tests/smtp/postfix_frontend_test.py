#!/usr/bin/python3
"""A real Postfix in front of mugai, as README's scale-out describes: Postfix queues the mail and
hands it to N `mugai serve` instances (one shared port, SO_REUSEPORT) as an after-queue
content_filter; mugai relays the sanitised mail to Postfix's re-injection listener, and Postfix
delivers it to the final sink (aiosmtpd).

Checks: every message arrives at the sink exactly once and sanitised; every instance took part;
a message mugai refuses (executable) is not delivered and Postfix bounces it; with every mugai
instance down, Postfix keeps the mail deferred and delivers it once mugai is back.

Needs root (Postfix's master drops privileges itself) and the postfix package.
usage: postfix_frontend_test.py --mugai PATH --source DIR [--instances N] [--keep]
"""
import argparse
import email
import os
import shutil
import smtplib
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from downstream import free_port  # noqa: E402
from e2e_test import DOMAIN, Env, Failure, Gateway, check, wait_for  # noqa: E402


def message(msg_id, content_type="text/plain; charset=utf-8", encoding="8bit", body="こんにちは。\nHello.\n"):
    return ("From: Sender <sender@internet.example>\r\nTo: staff@%s\r\nSubject: front test\r\n"
            "Message-ID: <%s>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0900\r\nMIME-Version: 1.0\r\n"
            "Content-Type: %s\r\nContent-Transfer-Encoding: %s\r\n\r\n%s"
            % (DOMAIN, msg_id, content_type, encoding, body.replace("\n", "\r\n"))).encode("utf-8")

SERVICES = """\
pickup    unix  n - n 60   1 pickup
cleanup   unix  n - n -    0 cleanup
qmgr      unix  n - n 300  1 qmgr
rewrite   unix  - - n -    - trivial-rewrite
bounce    unix  - - n -    0 bounce
defer     unix  - - n -    0 bounce
trace     unix  - - n -    0 bounce
verify    unix  - - n -    1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -    - proxymap
smtp      unix  - - n -    - smtp
relay     unix  - - n -    - smtp
showq     unix  n - n -    - showq
error     unix  - - n -    - error
retry     unix  - - n -    - error
discard   unix  - - n -    - discard
anvil     unix  - - n -    1 anvil
scache    unix  - - n -    1 scache
postlog   unix-dgram n - n - 1 postlogd
"""


class FrontPostfix:
    """A private Postfix instance: own config, queue and log under `directory`."""

    def __init__(self, directory, front_port, reinject_port, filter_port, sink_port):
        self.dir = directory
        self.front_port = front_port
        etc, data = os.path.join(directory, "etc"), os.path.join(directory, "data")
        for path in (etc, os.path.join(directory, "queue"), data):
            os.makedirs(path, exist_ok=True)
        os.chmod(directory, 0o755)
        shutil.chown(data, "postfix")
        with open(os.path.join(etc, "main.cf"), "w") as f:
            f.write(f"""compatibility_level = 3.6
queue_directory = {directory}/queue
data_directory = {data}
mail_owner = postfix
setgid_group = postdrop
myhostname = front.test
mydomain = test
myorigin = $myhostname
mydestination =
local_recipient_maps =
local_transport = error:no local delivery in this test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relay_domains = {DOMAIN}
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
relayhost = [127.0.0.1]:{sink_port}
smtp_dns_support_level = disabled
content_filter = mugai:[127.0.0.1]:{filter_port}
maillog_file = {directory}/maillog
maillog_file_prefixes = {directory}
smtputf8_enable = no
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
""")
        with open(os.path.join(etc, "master.cf"), "w") as f:
            f.write(f"127.0.0.1:{front_port} inet n - n - - smtpd\n")
            # Mail coming back from mugai is not filtered again.
            f.write(f"127.0.0.1:{reinject_port} inet n - n - - smtpd -o content_filter= "
                    "-o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters "
                    "-o smtpd_relay_restrictions=permit_mynetworks,reject\n")
            # One connection per delivery so the kernel spreads them over the mugai instances.
            f.write("mugai unix - - n - 4 smtp -o smtp_connection_cache_on_demand=no "
                    "-o smtp_send_xforward_command=no -o disable_mime_output_conversion=yes\n")
            f.write(SERVICES)
        self.etc = etc
        self._postfix("start")

    def _postfix(self, *args):
        done = subprocess.run(["postfix", "-c", self.etc, *args], capture_output=True, text=True)
        check(done.returncode == 0, "postfix %s failed: %s" % (" ".join(args), done.stderr + done.stdout))

    def flush(self):
        self._postfix("flush")

    def queued(self):
        count = 0
        for name in ("incoming", "active", "deferred", "maildrop"):
            for _, _, files in os.walk(os.path.join(self.dir, "queue", name)):
                count += len(files)
        return count

    def log(self):
        path = os.path.join(self.dir, "maillog")
        return open(path, errors="replace").read() if os.path.exists(path) else ""

    def stop(self):
        subprocess.run(["postfix", "-c", self.etc, "stop"], capture_output=True)


def start_instances(count, filter_port, reinject_port, mugai, source):
    instances = []
    for _ in range(count):
        env = Env(mugai, source)
        serve = {"listen_port": filter_port, "listen_reuse_port": True, "accepted_domains": [DOMAIN],
                 "downstream_host": "127.0.0.1", "downstream_port": reinject_port}
        instances.append((env, Gateway(env, serve)))
    return instances


def stop_instances(instances):
    for env, gateway in instances:
        check(gateway.stop() == 0, "a mugai instance did not exit 0 on SIGTERM")
        env.close(keep=False)


def delivered_ids(sink):
    return [msg_id.strip("<>") for msg_id in sink.message_ids()]


def run(args, workdir):
    from downstream import Downstream
    sink = Downstream("ok").start()
    front_port, reinject_port, filter_port = free_port(), free_port(), free_port()
    postfix = FrontPostfix(os.path.join(workdir, "postfix"), front_port, reinject_port, filter_port, sink.port)
    instances = []
    try:
        instances = start_instances(args.instances, filter_port, reinject_port, args.mugai, args.source)

        # 1. Twenty messages through Postfix -> mugai x N -> Postfix -> sink, each exactly once.
        ids = ["front-%02d@test" % n for n in range(20)]
        with smtplib.SMTP("127.0.0.1", front_port, timeout=30) as client:
            for msg_id in ids:
                client.sendmail("sender@internet.example", ["staff@" + DOMAIN],
                                message(msg_id, "text/html; charset=utf-8", body="<p>本文<script>alert(1)</script></p>\n"))
        check(wait_for(lambda: len(sink.messages) >= len(ids), timeout=120),
              "only %d of %d messages reached the sink; postfix log:\n%s" % (len(sink.messages), len(ids),
                                                                             postfix.log()[-3000:]))
        time.sleep(2)  # a duplicate would arrive now
        got = delivered_ids(sink)
        check(sorted(got) == sorted(ids), "sink got %s, expected each of %s once" % (got, ids))
        for _, _, raw in sink.messages:
            text = raw.decode("utf-8", "replace")
            check("<script" not in text and "alert(1)" not in text, "an HTML body crossed unsanitised")
            check("text/plain" in email.message_from_bytes(raw).get("Content-Type", ""),
                  "the body was not converted to text")
        handled = [sum(1 for line in gateway.audit() if line.get("event") == "message")
                   for _, gateway in instances]
        check(sum(handled) == len(ids), "audit lines per instance %s do not add up to %d" % (handled, len(ids)))
        check(all(count > 0 for count in handled), "an instance took no message: %s" % handled)
        print("messages per mugai instance: %s" % handled)

        # 2. A message mugai refuses (an executable): 5xx to Postfix, never delivered, bounced.
        sink.messages.clear()
        exe = "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAgAAAAA==\n"
        with smtplib.SMTP("127.0.0.1", front_port, timeout=30) as client:
            client.sendmail("sender@internet.example", ["staff@" + DOMAIN],
                            message("front-exe@test", "application/octet-stream; name=setup.exe", "base64", exe))
        check(wait_for(lambda: "front-exe@test" in postfix.log() and "status=bounced" in postfix.log(), timeout=60),
              "postfix did not bounce the refused message:\n%s" % postfix.log()[-3000:])
        time.sleep(1)
        check("front-exe@test" not in delivered_ids(sink), "the refused executable reached the sink")

        # 3. Every instance down: Postfix keeps the mail; mugai back: delivered exactly once.
        stop_instances(instances)
        instances = []
        sink.messages.clear()
        later = ["front-later-%d@test" % n for n in range(5)]
        with smtplib.SMTP("127.0.0.1", front_port, timeout=30) as client:
            for msg_id in later:
                client.sendmail("sender@internet.example", ["staff@" + DOMAIN], message(msg_id))
        check(wait_for(lambda: "status=deferred" in postfix.log(), timeout=60),
              "postfix did not defer while mugai was down:\n%s" % postfix.log()[-2000:])
        check(not sink.messages, "mail reached the sink while every mugai instance was down")
        instances = start_instances(args.instances, filter_port, reinject_port, args.mugai, args.source)
        postfix.flush()
        check(wait_for(lambda: len(sink.messages) >= len(later), timeout=120),
              "deferred mail was not delivered after mugai came back:\n%s" % postfix.log()[-3000:])
        time.sleep(2)
        check(sorted(delivered_ids(sink)) == sorted(later), "after restart the sink got %s" % delivered_ids(sink))
        check(wait_for(lambda: postfix.queued() == 0, timeout=30), "postfix still holds %d messages" % postfix.queued())
    finally:
        for env, gateway in instances:
            if gateway.proc.poll() is None:
                gateway.proc.kill()
            env.close(keep=args.keep)
        postfix.stop()
        sink.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mugai", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    args.mugai, args.source = os.path.abspath(args.mugai), os.path.abspath(args.source)
    if os.geteuid() != 0 or not shutil.which("postfix"):
        print("FAIL postfix_frontend: needs root and the postfix package (scripts/install-deps.sh)")
        return 1
    workdir = tempfile.mkdtemp(prefix="mugai-postfix-front-")
    os.chmod(workdir, 0o755)  # Postfix opens its data dir as the postfix user
    started = time.time()
    try:
        run(args, workdir)
    except Failure as error:
        print("FAIL postfix_frontend: %s\nworking directory kept: %s" % (error, workdir))
        return 1
    print("PASS postfix_frontend (%.1f s)" % (time.time() - started))
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
