#!/usr/bin/env bash
# README command (1): installs dependencies, builds, sanitises every sample mail with the
# embedded default configuration (one line per mail), then starts the SMTP gateway on that same
# configuration (127.0.0.1:2525, sanitised mail written to ./mugai-outbox).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
dir=$(scripts/build.sh release | tail -n 1)
"$dir/gateway/cli/mugai" demo --samples samples/mail --out out
if [ "${MUGAI_DEMO_ONLY:-0}" = 1 ]; then exit 0; fi
cat <<'TXT'

Starting the gateway on the embedded default configuration (Ctrl-C to stop).
Send it a test mail from another terminal, for example:
  swaks --server 127.0.0.1:2525 --to staff@city.example.jp --from you@example.com \
        --header 'Subject: test' --body 'こんにちは'
Sanitised mail appears in ./mugai-outbox/, originals in ./mugai-quarantine/,
the audit log in ./mugai-audit.log (check it with: mugai audit verify mugai-audit.log).
TXT
exec "$dir/gateway/cli/mugai" serve
