#!/usr/bin/env bash
# Browser tests of dyad's web UI.
#
#   bash tests/e2e/run.sh path/to/dyad
#
# Builds a fresh store from examples/, tests/e2e/fixtures/xss.jsonl and network.jsonl (a dense
# dyad network, made up), starts
# `dyad serve` on a free loopback port, waits for /healthz, runs ui.test.mjs in headless
# Chromium (/usr/bin/chromium, or $CHROMIUM) and stops the server on exit. Screenshots of the
# main views go to target/e2e-screenshots/. Needs node and `npm ci` in tests/e2e (done here
# when node_modules is missing).
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: bash tests/e2e/run.sh path/to/dyad" >&2
    exit 2
fi
DYAD=$(realpath "$1")
[ -x "$DYAD" ] || { echo "e2e: $1 is not an executable" >&2; exit 2; }
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E="$ROOT/tests/e2e"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "e2e: no Chromium at $CHROMIUM (apt-get install -y chromium)" >&2; exit 2; }

if [ ! -d "$E2E/node_modules/playwright-core" ]; then
    (cd "$E2E" && npm ci --no-audit --no-fund --loglevel=error)
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dyad-e2e.XXXXXX")
SERVER_PID=
cleanup() {
    local rc=$?
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [ $rc -ne 0 ] && [ -s "$WORK/serve.log" ]; then
        echo "e2e: last lines of the server log:" >&2
        tail -n 30 "$WORK/serve.log" >&2
    fi
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A fresh store: the repository's examples plus the XSS fixture.
DB="$WORK/e2e.db"
(cd "$ROOT" && "$DYAD" ingest --quiet --db "$DB" examples/news.jsonl examples/summit.html tests/e2e/fixtures/xss.jsonl tests/e2e/fixtures/network.jsonl)

# A free loopback port: asked of the OS when python3 is there, else the first of 18080..18099
# that nothing listens on.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=
if command -v python3 >/dev/null 2>&1; then
    PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
else
    for p in $(seq 18080 18099); do
        if ! port_in_use "$p"; then PORT=$p; break; fi
    done
fi
[ -n "$PORT" ] || { echo "e2e: no free port" >&2; exit 1; }
URL="http://127.0.0.1:$PORT"

"$DYAD" serve --db "$DB" --addr "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!

# Wait (at most 30 s) for GET /healthz to answer 200.
ready=
for _ in $(seq 1 150); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "e2e: dyad serve exited before it was ready" >&2
        exit 1
    fi
    if node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$URL/healthz"; then
        ready=1
        break
    fi
    sleep 0.2
done
[ -n "$ready" ] || { echo "e2e: $URL/healthz did not answer within 30 s" >&2; exit 1; }

SHOTS="$ROOT/target/e2e-screenshots"
rm -rf "$SHOTS"
mkdir -p "$SHOTS"
cd "$ROOT"
DYAD_URL="$URL" SCREENSHOT_DIR="$SHOTS" CHROMIUM="$CHROMIUM" node "$E2E/ui.test.mjs"
echo "e2e: screenshots in $SHOTS"
