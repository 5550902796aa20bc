#!/usr/bin/python3
"""End-to-end tests of the isolated workers (gateway/worker) through `mugai serve`, with the
test-only `test-fault` module (sanitizers/testfault, only in MUGAI_TEST_MODULES=ON builds): a
rule sends attachments named *.fault to it; their content picks the misbehaviour.

usage: isolation_e2e_test.py --mugai PATH --source DIR --case NAME | --list
"""
import argparse
import collections
import email
import email.policy
import glob
import json
import os
import pwd
import re
import smtplib
import sys
import threading
import time
import urllib.request
from email.message import EmailMessage

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from downstream import free_port  # noqa: E402
from e2e_test import DOMAIN, Env, Failure, Gateway, check, message, wait_for  # noqa: E402

CASES = collections.OrderedDict()
FAULT_RULE = '      - { match: text, name: "*.fault", module: test-fault, action: keep }\n'


def case(function):
    CASES[function.__name__] = function
    return function


def add_fault_rule(text):
    """The fault rule first in every profile's rule list."""
    return text.replace("    rules:\n", "    rules:\n" + FAULT_RULE)


def fault_message(msg_id, fault):
    mail = EmailMessage()
    mail["From"] = "sender@internet.example"
    mail["To"] = "staff@" + DOMAIN
    mail["Subject"] = "fault " + fault
    mail["Message-ID"] = "<%s>" % msg_id
    mail.set_content("see the attachment\n")
    mail.add_attachment(("MUGAI-TEST-FAULT:%s\n" % fault).encode(), maintype="text", subtype="plain",
                        filename="probe.fault")
    return mail.as_bytes(policy=mail.policy.clone(linesep="\r\n"))


def start(env, **serve):
    sink = env.sink()
    settings = {"workers": 2, "worker_cpu_seconds": 1, "worker_timeout_seconds": 10, "worker_memory_mb": 1024,
                "admin_port": free_port(), "max_sessions_per_client": 50}
    settings.update(serve)
    gw = Gateway(env, env.relay_to(sink, **settings), edit=add_fault_rule)
    gw.admin_port = settings["admin_port"]
    return sink, gw


def send(gw, data):
    """(code, text) of the end of DATA."""
    try:
        with smtplib.SMTP("127.0.0.1", gw.port, timeout=60) as client:
            client.sendmail("sender@internet.example", ["staff@" + DOMAIN], data)
            return 250, ""
    except smtplib.SMTPResponseException as error:
        return error.smtp_code, error.smtp_error.decode(errors="replace")
    except smtplib.SMTPDataError as error:
        return error.smtp_code, str(error)


def metrics(gw):
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % gw.admin_port, timeout=10) as response:
        text = response.read().decode()
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            values[name] = float(value)
    return values


def restarts(gw, reason):
    return metrics(gw).get('mugai_worker_restarts_total{reason="%s"}' % reason, 0)


def worker_pids(gw):
    pids = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = open(stat).read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == gw.proc.pid:
            pids.append(int(stat.split("/")[2]))
    return pids


def limit_line(pid, name):
    for line in open("/proc/%d/limits" % pid):
        if line.startswith(name):
            return line
    return ""


def landlock_available():
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.syscall(444, None, 0, 1) >= 1  # landlock_create_ruleset(NULL, 0, VERSION)


# ---------------------------------------------------------------------------------------------
@case
def each_fault_gets_451(env):
    sink, gw = start(env)
    expected = {"abort": "crashed", "segv": "crashed", "alloc": "killed-by-limit", "loop": "killed-by-limit",
                "sleep": "timeout"}
    send(gw, message("warm-up@test"))  # start a worker to look at
    if "unlimited" in limit_line(worker_pids(gw)[0], "Max address space"):
        # ASan build, no RLIMIT_AS: its hard_rss_limit_mb aborts the worker (crashed), unless the
        # allocator gives up first (killed-by-limit); which one wins is a race. Both are 451.
        expected["alloc"] = ("crashed", "killed-by-limit")
    observed = {}
    for fault, reasons in expected.items():
        reasons = reasons if isinstance(reasons, tuple) else (reasons,)
        before = {reason: restarts(gw, reason) for reason in reasons}
        code, text = send(gw, fault_message("fault-%s@test" % fault, fault))
        check(code == 451, "%s: expected 451, got %d %s" % (fault, code, text))
        matched = [reason for reason in reasons if reason in text]
        check("4.3.0" in text and len(matched) == 1, "%s: reply %r" % (fault, text))
        observed[fault] = matched[0]
        check(restarts(gw, matched[0]) == before[matched[0]] + 1, "%s: %s counter did not move" % (fault, matched[0]))
    code, text = send(gw, message("after-faults@test"))
    check(code == 250, "normal mail after the faults: %d %s" % (code, text))
    check(wait_for(lambda: len(sink.messages) == 2), "downstream got %d" % len(sink.messages))
    check(not any(b"MUGAI-TEST-FAULT" in data for _, _, data in sink.messages), "a fault message crossed")
    lines = [e for e in gw.audit() if e.get("event") == "message"]
    failures = collections.Counter(e.get("worker_failure") for e in lines if "worker_failure" in e)
    check(failures == collections.Counter(observed.values()), "audit: %r" % failures)
    check(all(e["verdict"] == "tempfail" for e in lines if "worker_failure" in e), "audit verdicts")
    # The originals are written while the worker runs; a 451 before their metadata removes them.
    originals = glob.glob(os.path.join(gw.dir, "mugai-quarantine", "*", "*.orig"))
    orphans = [path for path in originals if not os.path.exists(path[:-len(".orig")] + ".json")]
    check(len(originals) == 2 and not orphans, "quarantine: %d originals, without metadata: %r" % (len(originals), orphans))
    check(gw.proc.poll() is None, "daemon died")
    check(gw.stop() == 0, "exit code")


@case
def parallel_sessions_still_250(env):
    sink, gw = start(env, workers=3)
    results = collections.defaultdict(list)
    lock = threading.Lock()

    def sender(kind, number):
        for i in range(10):
            if kind == "good":
                data = message("good-%d-%d@test" % (number, i))
            else:
                data = fault_message("bad-%d-%d@test" % (number, i), ("abort", "segv", "alloc")[i % 3])
            code, _ = send(gw, data)
            with lock:
                results[kind].append(code)

    threads = [threading.Thread(target=sender, args=("good", n)) for n in range(4)]
    threads += [threading.Thread(target=sender, args=("bad", n)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    check(results["good"] == [250] * 40, "good sessions: %r" % collections.Counter(results["good"]))
    check(results["bad"] == [451] * 20, "fault sessions: %r" % collections.Counter(results["bad"]))
    check(wait_for(lambda: len(sink.messages) == 40), "downstream got %d" % len(sink.messages))
    check(gw.stop() == 0, "exit code")


@case
def survives_100_faults(env):
    sink, gw = start(env, worker_memory_mb=384)
    faults = ("abort", "segv", "alloc")
    codes = collections.Counter()
    for i in range(100):
        code, _ = send(gw, fault_message("hundred-%d@test" % i, faults[i % 3]))
        codes[code] += 1
    check(codes == {451: 100}, "replies: %r" % codes)
    check(gw.proc.poll() is None, "daemon died")
    values = metrics(gw)
    killed = sum(v for k, v in values.items() if k.startswith("mugai_worker_restarts_total{reason=\"crashed\"") or
                 k.startswith("mugai_worker_restarts_total{reason=\"killed-by-limit\""))
    check(killed == 100, "restarts counted: %r" % killed)
    check(values["mugai_worker_starts_total"] >= 100, "starts: %r" % values["mugai_worker_starts_total"])
    code, text = send(gw, message("after-hundred@test"))
    check(code == 250, "normal mail after 100 faults: %d %s" % (code, text))
    check(wait_for(lambda: len(sink.messages) == 1), "downstream")
    check(len(worker_pids(gw)) <= 2, "more workers than the pool size: %r" % worker_pids(gw))
    check(gw.stop() == 0, "exit code")


@case
def held_after_three_failures(env):
    sink, gw = start(env)
    data = fault_message("same@test", "abort")
    replies = [send(gw, data) for _ in range(3)]
    check([c for c, _ in replies] == [451, 451, 550], "replies: %r" % replies)
    check("5.7.0" in replies[2][1] and "quarantine" in replies[2][1], "hold reply: %r" % (replies[2],))
    check(gw.quarantined_originals() == 1, "held original not in quarantine")
    entries = [json.load(open(p)) for p in glob.glob(os.path.join(gw.dir, "mugai-quarantine", "**", "*.json"),
                                                       recursive=True)]
    check(any(json.dumps(e).find("sanitiser-failure") >= 0 for e in entries), "no sanitiser-failure entry")
    check(metrics(gw)["mugai_messages_held_after_worker_failures_total"] == 1, "held counter")
    held = [e for e in gw.audit() if e.get("held")]
    check(len(held) == 1 and held[0]["verdict"] == "rejected", "audit: %r" % held)
    check(not sink.messages, "something was delivered")
    check(gw.stop() == 0, "exit code")


@case
def worker_confinement(env):
    sink, gw = start(env, workers=1)
    code, text = send(gw, fault_message("socket@test", "socket"))
    check(code == 250, "socket probe: %d %s" % (code, text))
    reports = "".join(open(p).read() for p in glob.glob(os.path.join(gw.dir, "mugai-quarantine", "**", "*.json"),
                                                        recursive=True))
    check("test-fault.socket-denied" in reports, "AF_INET socket not denied in the worker")
    code, text = send(gw, fault_message("write@test", "write"))
    check(code == 250, "write probe: %d %s" % (code, text))
    reports = "".join(open(p).read() for p in glob.glob(os.path.join(gw.dir, "mugai-quarantine", "**", "*.json"),
                                                        recursive=True))
    check("test-fault.write-scratch-ok" in reports, "the worker cannot write its scratch directory")
    if landlock_available():
        check("test-fault.write-outside-denied" in reports, "the worker wrote to /tmp despite Landlock")
    pids = worker_pids(gw)
    check(len(pids) == 1, "workers: %r" % pids)
    status = dict(line.split(":", 1) for line in open("/proc/%d/status" % pids[0]) if ":" in line)
    check(status["Seccomp"].strip() == "2", "no seccomp filter: %r" % status["Seccomp"])
    check(status["NoNewPrivs"].strip() == "1", "no NO_NEW_PRIVS")
    if os.geteuid() == 0:
        check(status["Uid"].split()[0] != "0", "worker runs as root: %r" % status["Uid"])
    cwd = os.readlink("/proc/%d/cwd" % pids[0])
    check("mugai-worker-" in cwd, "worker cwd %r" % cwd)
    limits = open("/proc/%d/limits" % pids[0]).read()
    check("Max cpu time" in limits and "Max address space" in limits, "limits")
    fds = os.listdir("/proc/%d/fd" % pids[0])
    check(len(fds) <= 5, "worker inherited descriptors: %r" % sorted(fds))
    check(gw.stop() == 0, "exit code")
    check(not os.path.exists(cwd), "scratch directory left behind")


def relay_one_attachment(env, plugin_dir, rule, filename, subtype, data):
    """`mugai serve` with one worker, `plugin_dir` and `rule` first in every profile; one mail with
    one text/<subtype> attachment relayed (250) and arrived downstream. Returns (sink, gateway)."""
    def edit(text):
        return "plugin_dir: %s\n" % json.dumps(plugin_dir) + text.replace("    rules:\n", "    rules:\n" + rule)

    sink = env.sink()
    gw = Gateway(env, env.relay_to(sink, workers=1), edit=edit)
    mail = EmailMessage()
    mail["From"] = "sender@internet.example"
    mail["To"] = "staff@" + DOMAIN
    mail["Subject"] = filename
    mail["Message-ID"] = "<%s@test>" % filename
    mail.set_content("see the attachment\n")
    mail.add_attachment(data, maintype="text", subtype=subtype, filename=filename)
    code, text = send(gw, mail.as_bytes(policy=mail.policy.clone(linesep="\r\n")))
    check(code == 250, "%s message: %d %s" % (filename, code, text))
    check(wait_for(lambda: len(sink.messages) == 1), "downstream")
    return sink, gw


@case
def csv_plugin_in_worker(env):
    """The example plug-in (samples/plugin/csv_formula) named by a profile rule, run in a worker."""
    check(env.plugin_dir and os.path.exists(os.path.join(env.plugin_dir, "csv_formula.so")), "no plug-in built")
    rule = '      - { match: text, name: "*.csv", module: csv-formula, action: strip-active }\n'
    sink, gw = relay_one_attachment(env, env.plugin_dir, rule, "list.csv", "csv",
                                    b'name,amount\r\n=HYPERLINK("http://evil"),1\r\n"@SUM(A1)",2\r\nok,3\r\n')
    delivered = email.message_from_bytes(sink.messages[0][2], policy=email.policy.default)
    csv_parts = [p for p in delivered.walk() if p.get_filename() == "list.csv"]
    check(len(csv_parts) == 1, "csv attachment missing: %r" % [p.get_filename() for p in delivered.walk()])
    body = csv_parts[0].get_payload(decode=True)
    check(b"'=HYPERLINK" in body and b"\"'@SUM(A1)\"" in body and b"ok,3" in body, "not defused: %r" % body)
    events = [e for e in gw.audit() if e.get("event") == "message"]
    check(any(p.get("module") == "csv-formula" and p.get("action") == "sanitized" for p in events[0]["parts"]),
          "audit parts: %r" % events[0]["parts"])
    check(gw.stop() == 0, "exit code")


@case
def plugin_code_only_in_sandbox(env):
    """A plug-in's load-time code (tests/sanitizers/plugin/loadtime_plugin.cpp says who loaded it)
    runs in the sandboxed describe helper and in the workers, never in the daemon; started as
    root, never as root."""
    check(env.probe_plugin_dir and glob.glob(os.path.join(env.probe_plugin_dir, "*.so")), "no probe built")
    rule = '      - { match: text, name: "*.probe", module: loadtime-probe, action: keep }\n'
    _, gw = relay_one_attachment(env, env.probe_plugin_dir, rule, "note.probe", "plain", b"just text\n")
    events = [e for e in gw.audit() if e.get("event") == "message"]
    check(any(p.get("module") == "loadtime-probe" and p.get("action") == "kept" for p in events[0]["parts"]),
          "the plug-in did not run in the worker: %r" % events[0]["parts"])
    daemon = gw.proc.pid
    check(gw.stop() == 0, "exit code")
    loads = [tuple(int(v) for v in re.findall(r"=(\d+)", line))
             for line in gw.stderr_lines if line.startswith("mugai-test-plugin-loaded")]
    check(len({pid for pid, _ in loads}) >= 2, "expected the describe helper and a worker: %r" % loads)
    check(all(pid != daemon for pid, _ in loads), "plug-in code ran in the daemon (pid %d): %r" % (daemon, loads))
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody").pw_uid
        check(all(uid == nobody for _, uid in loads), "plug-in code ran as another user than nobody: %r" % loads)


@case
def office_conversion_in_worker(env):
    """LibreOffice (ole2 convert) still works inside the confined worker: namespaces, /tmp pipe."""
    doc = os.path.join(env.office_dir, "macro.doc")
    check(os.path.exists(doc), "office sample missing: %s" % doc)
    sink, gw = start(env, workers=1, worker_timeout_seconds=120, worker_cpu_seconds=60, worker_memory_mb=2048)
    mail = EmailMessage()
    mail["From"] = "sender@internet.example"
    mail["To"] = "staff@" + DOMAIN
    mail["Subject"] = "doc"
    mail["Message-ID"] = "<doc@test>"
    mail.set_content("the minutes\n")
    mail.add_attachment(open(doc, "rb").read(), maintype="application", subtype="msword", filename="minutes.doc")
    code, text = send(gw, mail.as_bytes(policy=mail.policy.clone(linesep="\r\n")))
    check(code == 250, "doc message: %d %s" % (code, text))
    events = [e for e in gw.audit() if e.get("event") == "message"]
    doc_parts = [p for p in events[-1]["parts"] if p["filename"] == "minutes.doc"]
    check(doc_parts and doc_parts[0]["action"] == "converted", "doc part: %r" % doc_parts)
    check(gw.stop() == 0, "exit code")


@case
def transfer_upload_worker_crash(env):
    """The file-transfer proxy uses the same pool: a crashing worker hands nothing over."""
    sys.path.insert(0, os.path.join(env.source, "tests", "transfer"))
    import transfer_lib  # noqa: E402 - the transfer tests' gateway helper
    os.makedirs(os.path.join(env.workdir, "transfer"))
    gateway = transfer_lib.Gateway(env.mugai, None, os.path.join(env.workdir, "transfer"), first_rule=FAULT_RULE)
    try:
        status, _, _, crashed = gateway.upload(b"MUGAI-TEST-FAULT:segv\n", "probe.fault")
        check(crashed.get("verdict") == "tempfail", "crash upload: %s %r" % (status, crashed))
        check(crashed["report"]["rejection_code"] == "sanitiser-failure", "report: %r" % crashed["report"])
        check(not crashed.get("download"), "a download link for a failed upload: %r" % crashed)
        status, _, _, fine = gateway.upload(b"plain words\n", "memo.txt")
        check(fine.get("verdict") == "delivered", "upload after the crash: %s %r" % (status, fine))
        check(gateway.proc.poll() is None, "daemon died")
    finally:
        gateway.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mugai", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--case", action="append", default=[])
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--plugin-dir", default="", help="directory holding the built csv_formula.so")
    parser.add_argument("--office-dir", default="", help="samples/office/generate.py output")
    parser.add_argument("--probe-plugin-dir", default="", help="directory holding the built load-time probe plug-in")
    args = parser.parse_args()
    if args.list:
        print("\n".join(CASES))
        return 0
    failed = 0
    for name in args.case or list(CASES):
        env = Env(os.path.abspath(args.mugai), os.path.abspath(args.source))
        env.plugin_dir = os.path.abspath(args.plugin_dir) if args.plugin_dir else ""
        env.office_dir = os.path.abspath(args.office_dir) if args.office_dir else ""
        env.probe_plugin_dir = os.path.abspath(args.probe_plugin_dir) if args.probe_plugin_dir else ""
        started = time.time()
        try:
            CASES[name](env)
            print("PASS %s (%.1f s)" % (name, time.time() - started), flush=True)
        except (Failure, AssertionError, OSError, KeyError) as error:
            failed += 1
            print("FAIL %s: %s" % (name, error), flush=True)
            for gateway in env.gateways:
                sys.stdout.write("".join(gateway.stderr_lines[-30:]))
        finally:
            env.close(args.keep or failed > 0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
