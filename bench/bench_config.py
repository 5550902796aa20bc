#!/usr/bin/env python3
"""Writes a mugai config for the benchmark topology: the embedded profiles and limits (messages
up to 10 MB), one profile for everything, and a serve section listening on 127.0.0.1:PORT,
relaying to 127.0.0.1:SINK, accepting @city.example.jp from 127.0.0.1, auditing to audit.log.

    bench_config.py SOURCE_YAML TARGET_YAML PORT SINK PROFILE [WORKERS]
"""
import re
import sys


def drop(text, key):
    return re.sub(r"(?ms)^%s:.*?(?=^\S|\Z)" % key, "", text)


def main():
    source, target, port, sink, profile = sys.argv[1:6]
    workers = sys.argv[6] if len(sys.argv) > 6 else "4"
    text = open(source, encoding="utf-8").read()
    text = drop(drop(text, "serve"), "select")
    text = re.sub(r"(?m)^(\s+max_message_bytes:\s*)\d+", r"\g<1>10485760", text)
    text += f"""
select:
  - {{ default: {profile} }}
serve:
  listen_address: 127.0.0.1
  listen_port: {port}
  hostname: mugai.bench
  client_networks: [127.0.0.0/8]
  accepted_domains: [city.example.jp]
  downstream_host: 127.0.0.1
  downstream_port: {sink}
  downstream_connections: 16
  max_sessions: 200
  max_sessions_per_client: 200
  audit_log: audit.log
  admin_port: 0
  workers: {workers}
"""
    open(target, "w", encoding="utf-8").write(text)


if __name__ == "__main__":
    main()
