#!/usr/bin/python3
"""Test downstream MTA for the SMTP proxy tests: an aiosmtpd server on loopback that records what
it accepts and can be told to misbehave.

Modes:
  ok          accept everything (250 to the end of data)
  fail-once   451 to the first end of data, 250 afterwards
  always-5xx  554 to every end of data
  rcpt-4xx    450 to every RCPT
  rcpt-5xx    550 to RCPT of addresses whose local part starts with "unknown", 250 to the others
  slow-rcpt   sleep --delay seconds before answering each RCPT (the message never arrives)
  tarpit      accept TCP connections and never say anything (not SMTP at all)

PIPELINING (RFC 2920) is offered unless `pipelining=False` (`--no-pipelining`): mugai then sends
RSET, MAIL and RCPT as one group, so both ways of talking to a downstream are tested.

In-process use: `sink = Downstream(mode); sink.start(); ... sink.messages; sink.stop()`.
Stand-alone: `downstream.py --port 12525 --mode ok [--store DIR]` (prints "listening on PORT").
"""
import argparse
import asyncio
import email
import os
import socket
import ssl
import sys
import threading
import time

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Handler:
    def __init__(self, owner):
        self.owner = owner

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname  # what aiosmtpd does itself when there is no hook
        if self.owner.pipelining:
            responses.insert(len(responses) - 1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        mode = self.owner.mode
        if mode == "rcpt-4xx":
            return "450 4.2.1 mailbox busy, try later"
        if mode == "rcpt-5xx" and address.split("@")[0].startswith("unknown"):
            return "550 5.1.1 <%s>: user unknown" % address
        if mode == "slow-rcpt":
            await asyncio.sleep(self.owner.delay)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        owner = self.owner
        with owner.lock:
            owner.data_calls += 1
            call = owner.data_calls
        if owner.mode == "fail-once" and call == 1:
            return "451 4.3.0 temporary trouble, try again"
        if owner.mode == "always-5xx":
            return "554 5.7.0 refused by downstream policy"
        owner.record(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content or envelope.content),
                     session.peer)
        return "250 2.0.0 OK queued as %d" % call


class Downstream:
    def __init__(self, mode="ok", delay=5.0, port=None, store=None, tls_context=None, pipelining=True):
        self.mode = mode
        self.pipelining = pipelining
        self.delay = delay
        self.port = port or free_port()
        self.store = store
        self.tls_context = tls_context
        self.lock = threading.Lock()
        self.messages = []  # (mail_from, [rcpt], bytes)
        self.peers = []  # the client address of the connection each message came over
        self.data_calls = 0
        self.controller = None
        self.tarpit = None
        self.tarpit_clients = []

    def record(self, mail_from, rcpts, data, peer=None):
        with self.lock:
            self.messages.append((mail_from, rcpts, data))
            self.peers.append(peer)
            if self.store:
                name = os.path.join(self.store, "%06d.eml" % len(self.messages))
                with open(name + ".tmp", "wb") as f:
                    f.write(data)
                os.rename(name + ".tmp", name)

    def message_ids(self):
        with self.lock:
            return [email.message_from_bytes(m[2]).get("Message-ID", "").strip() for m in self.messages]

    def start(self):
        if self.mode == "tarpit":
            self.tarpit = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.tarpit.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.tarpit.bind(("127.0.0.1", self.port))
            self.tarpit.listen(64)
            threading.Thread(target=self._tarpit_loop, daemon=True).start()
            return self
        kwargs = {}
        if self.tls_context is not None:
            kwargs["tls_context"] = self.tls_context
        self.controller = Controller(Handler(self), hostname="127.0.0.1", port=self.port,
                                     ready_timeout=10, server_hostname="downstream.test", **kwargs)
        self.controller.start()
        return self

    def _tarpit_loop(self):
        while True:
            try:
                client, _ = self.tarpit.accept()
            except OSError:
                return
            self.tarpit_clients.append(client)  # held open, never answered

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
        if self.tarpit is not None:
            self.tarpit.close()
            for client in self.tarpit_clients:
                client.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--mode", default="ok")
    parser.add_argument("--delay", type=float, default=5.0)
    parser.add_argument("--store", default=None)
    parser.add_argument("--no-pipelining", action="store_true")
    args = parser.parse_args()
    if args.store:
        os.makedirs(args.store, exist_ok=True)
    sink = Downstream(args.mode, args.delay, args.port or None, args.store,
                      pipelining=not args.no_pipelining).start()
    print("listening on %d" % sink.port, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sink.stop()


if __name__ == "__main__":
    sys.exit(main())
