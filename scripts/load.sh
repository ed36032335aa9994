#!/usr/bin/env bash
# The load test (issue 10, point 5): wrk with 32 connections for 60 s against the main read
# routes, pages and API, with one request in ten a write through the JSON API (an administrator's
# personal access token; each write registers a new municipality under a unique name). Ends with
# one line:
#
#   load: 60 s, 32 connections, 10% writes: 12,345 req/s, p99 4.2 ms, 0 socket errors, 0 non-2xx/3xx, RSS 48 MB -> 52 MB
#
# and exits 1 when a request failed (a socket error: connect, read, write or timeout; or an
# answer other than 2xx/3xx) or when the database does not hold every acknowledged write.
#
# Usage: scripts/load.sh   (from anywhere; the figures mean most on an otherwise idle machine)
#
# Settings (environment):
#   DURATION=60        seconds of load
#   CONNECTIONS=32     wrk's connections
#   THREADS=1          wrk's threads (pinned to one CPU, one thread keeps it busy)
#   WRITE_EVERY=10     one request in WRITE_EVERY is a write (10: 10% writes)
#   PORT=18421         where the server listens (127.0.0.1)
#   STEDENBAND_BIN=    a release binary to use instead of building target/release/stedenband
#                      (a copy, so that a build running meanwhile cannot replace it mid-run)
#
# What it does:
#  1. builds the release binary (cargo build --release -p stedenband) and installs wrk when it
#     is missing (apt-get, as root);
#  2. fills a SQLite file with `stedenband serve --demo --database-url FILE` (the demo data and
#     the world list), stops it, makes an administrator (`user create`, the password on stdin)
#     and a personal access token (`user token`), and starts `stedenband serve` on the file as in
#     production, pinned to CPU 0 (wrk gets CPU 1) where taskset can pin;
#  3. looks up real addresses in the demo data (a partnership, an activity, Hranice in the world
#     register) and checks with curl that every read answers 200 and that a write answers 201;
#  4. reads the server's VmRSS (/proc/PID/status), runs wrk with scripts/wrk/load.lua, reads
#     VmRSS again, stops the server, and counts the municipalities the writes made in the
#     database: at least every write wrk saw acknowledged, at most every write it sent.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DURATION="${DURATION:-60}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-1}"
WRITE_EVERY="${WRITE_EVERY:-10}"
PORT="${PORT:-18421}"
LUA="$ROOT/scripts/wrk/load.lua"
BIN="${STEDENBAND_BIN:-$ROOT/target/release/stedenband}"
BASE="http://127.0.0.1:$PORT"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/load.XXXXXX")"
SERVER_PID=""

stop() {
    # Stops the server this script started, by its PID: SIGTERM, SIGKILL after 10 s.
    local pid="$1"
    [[ -n "$pid" ]] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    stop "$SERVER_PID"
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '\n== %s\n' "$*" >&2; }
fail() {
    echo "load: $*" >&2
    exit 1
}

# ---- what is needed -----------------------------------------------------------------------------

if ! command -v wrk >/dev/null; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        say "installing wrk"
        DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null ||
            { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null; }
    else
        echo "wrk is missing: install it (apt-get install wrk) and run again" >&2
        exit 2
    fi
fi
for tool in curl python3 cargo; do
    command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 2; }
done

PIN0=()
PIN1=()
PINNED="no (taskset missing or not allowed: the server and wrk share the cores)"
if command -v taskset >/dev/null && taskset -c 0 true 2>/dev/null && taskset -c 1 true 2>/dev/null; then
    PIN0=(taskset -c 0)
    PIN1=(taskset -c 1)
    PINNED="yes (server on CPU 0, wrk on CPU 1)"
fi

if [[ -z "${STEDENBAND_BIN:-}" ]]; then
    say "building (cargo build --release -p stedenband)"
    cargo build --release --quiet -p stedenband
fi
[[ -x "$BIN" ]] || { echo "no binary at $BIN" >&2; exit 2; }

# ---- the database -------------------------------------------------------------------------------

DB="$WORK/load.db"
URL="sqlite://$DB"
say "filling $DB with serve --demo (the demo data and the world list)"
"$BIN" serve --demo --database-url "$URL" --listen "127.0.0.1:$PORT" >"$WORK/fill.out" 2>"$WORK/fill.err" &
SERVER_PID=$!
for _ in $(seq 1200); do
    grep -q '^Stedenband demo: ' "$WORK/fill.out" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/fill.err" >&2; fail "serve --demo stopped"; }
    sleep 0.1
done
grep -q '^Stedenband demo: ' "$WORK/fill.out" || fail "serve --demo was not ready in 120 s"
stop "$SERVER_PID"
SERVER_PID=""

say "an administrator and a personal access token"
# The password on stdin (the first line), as `user create` reads it when stdin is no terminal.
PASSWORD="load-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$PASSWORD" | "$BIN" user create load-admin --admin --database-url "$URL" >/dev/null
TOKEN="$("$BIN" user token load-admin --label "scripts/load.sh" --database-url "$URL" | tail -1)"
[[ "$TOKEN" == sb_* ]] || fail "user token printed no token"

say "serve on $DB (pinned: $PINNED)"
"${PIN0[@]}" "$BIN" serve --database-url "$URL" --listen "127.0.0.1:$PORT" >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1200); do
    curl -fsS -o /dev/null "$BASE/health/ready" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.err" >&2; fail "the server stopped"; }
    sleep 0.1
done
curl -fsS -o /dev/null "$BASE/health/ready" || fail "the server was not ready in 120 s"

# ---- the addresses ------------------------------------------------------------------------------

# json EXPR: a Python expression over the JSON on stdin (bound to `j`).
json() { python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"; }
get() { curl -fsS -H 'Accept: application/json' "$BASE$1"; }

HOME_SLUG=leidschendam-voorburg
MUNICIPALITY_ID="$(get "/api/v1/municipalities/$HOME_SLUG" | json "j['id']")"
PARTNERSHIP_ID="$(get "/api/v1/partnerships?municipality=$HOME_SLUG" | json "j['items'][0]['id']")"
ACTIVITY_ID="$(get "/api/v1/activities" | json "j[0]['id']")"
HRANICE_ID="$(get "/api/v1/towns?q=hranice&country=CZ" | json "next(t['id'] for t in j['towns'] if t['name'] == 'Hranice')")"
YEAR="$(date +%Y)"
FROM=$(( YEAR - 10 ))

# Pages and API side by side: home, the municipalities (list and one), partnerships, activities,
# money and the report, the world register's search and a town with its partners.
PATHS=(
    "/"
    "/municipalities"
    "/municipalities/$HOME_SLUG"
    "/partnerships"
    "/partnerships/$PARTNERSHIP_ID"
    "/activities"
    "/activities/$ACTIVITY_ID"
    "/municipalities/$HOME_SLUG/money?from=$FROM&to=$YEAR"
    "/municipalities/$HOME_SLUG/subsidies"
    "/municipalities/$HOME_SLUG/report?from=$FROM&to=$YEAR"
    "/towns?q=hrani"
    "/towns/$HRANICE_ID"
    "/api/v1/municipalities?q=lei"
    "/api/v1/municipalities/$HOME_SLUG"
    "/api/v1/partnerships?municipality=$HOME_SLUG"
    "/api/v1/partnerships/$PARTNERSHIP_ID"
    "/api/v1/activities"
    "/api/v1/municipalities/$MUNICIPALITY_ID/money?from=$FROM&to=$YEAR"
    "/api/v1/reports?municipality=$HOME_SLUG&from=$FROM&to=$YEAR"
    "/api/v1/towns?q=hrani"
    "/api/v1/towns/$HRANICE_ID/partners"
)

say "checking every address answers 200 (the home page: 303 to the only municipality)"
for p in "${PATHS[@]}"; do
    code="$(curl -sS -o "$WORK/check.body" -w '%{http_code}' "$BASE$p")"
    printf '  %s %s (%s bytes)\n' "$code" "$p" "$(wc -c <"$WORK/check.body")" >&2
    want=200
    [[ "$p" == / ]] && want=303
    [[ "$code" == "$want" ]] || fail "$p answered $code"
done
code="$(curl -sS -o "$WORK/check.body" -w '%{http_code}' -X POST "$BASE/api/v1/municipalities" \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d '{"name":"Load check","country":"DE","kind":"municipality"}')"
printf '  %s POST /api/v1/municipalities (the write, with the token)\n' "$code" >&2
[[ "$code" == 201 ]] || { cat "$WORK/check.body" >&2; fail "the write answered $code"; }

# ---- the load -----------------------------------------------------------------------------------

rss_mb() { awk '$1 == "VmRSS:" { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
RSS_BEFORE="$(rss_mb "$SERVER_PID")"
RUN="$(date +%s)"
say "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, 1 request in $WRITE_EVERY a write, ${#PATHS[@]} read addresses (load average $(cut -d' ' -f1-3 /proc/loadavg))"
LOAD_PATHS="${PATHS[*]}" LOAD_TOKEN="$TOKEN" LOAD_RUN="$RUN" LOAD_WRITE_EVERY="$WRITE_EVERY" \
    "${PIN1[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$LUA" "$BASE" \
    >"$WORK/wrk.out" 2>&1 || { cat "$WORK/wrk.out" >&2; fail "wrk failed"; }
grep -v '^LOAD_RESULT' "$WORK/wrk.out" >&2
LINE="$(grep '^LOAD_RESULT' "$WORK/wrk.out")" || fail "wrk did not report"
kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$WORK/server.err" >&2; fail "the server died under load"; }
RSS_AFTER="$(rss_mb "$SERVER_PID")"
LOAD_AVERAGE="$(cut -d' ' -f1-3 /proc/loadavg)"
stop "$SERVER_PID"
SERVER_PID=""

field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<"$LINE"; }
REQUESTS="$(field requests)"
RPS="$(field rps)"
P50="$(awk -v u="$(field p50_us)" 'BEGIN { printf "%.2f", u / 1000 }')"
P99="$(awk -v u="$(field p99_us)" 'BEGIN { printf "%.1f", u / 1000 }')"
MAX="$(awk -v u="$(field max_us)" 'BEGIN { printf "%.1f", u / 1000 }')"
NON2XX="$(field non2xx)"
SOCKET=$(( $(field connect) + $(field read) + $(field write) + $(field timeout) ))
SENT="$(field writes_sent)"

# Every write wrk saw answered (all of them 2xx when NON2XX is 0) is in the database: the
# requests it completed hold at least SENT - CONNECTIONS writes (one in flight per connection
# when the time ran out), and none of the writes it sent may be there twice or more than sent.
STORED="$(python3 - "$DB" "Load $RUN t%" <<'PYTHON'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
print(con.execute("SELECT COUNT(*) FROM municipalities WHERE name LIKE ?", (sys.argv[2],)).fetchone()[0])
PYTHON
)"

{
    echo
    echo "machine: $(nproc) cores, pinned: $PINNED; load average after the run: $LOAD_AVERAGE"
    echo "requests: $REQUESTS in ${DURATION} s ($RPS/s); latency p50 $P50 ms, p99 $P99 ms, max $MAX ms"
    echo "socket errors: connect $(field connect), read $(field read), write $(field write), timeout $(field timeout); non-2xx/3xx: $NON2XX"
    echo "writes: $SENT sent, $STORED municipalities in the database afterwards"
    echo "server VmRSS: $RSS_BEFORE MB before, $RSS_AFTER MB after"
} >&2

PROBLEMS=()
(( SOCKET == 0 )) || PROBLEMS+=("$SOCKET socket errors")
(( NON2XX == 0 )) || PROBLEMS+=("$NON2XX answers not 2xx/3xx")
(( STORED <= SENT )) || PROBLEMS+=("$STORED writes stored, only $SENT sent")
(( STORED >= SENT - CONNECTIONS )) || PROBLEMS+=("only $STORED of $SENT writes stored")
(( REQUESTS > 0 )) || PROBLEMS+=("no requests")

RPS_TEXT="$(LC_NUMERIC=C awk -v r="$RPS" 'BEGIN { printf "%d", r + 0.5 }' | sed ':a; s/\B[0-9]\{3\}\>/,&/; ta')"
PERCENT="$(awk -v e="$WRITE_EVERY" 'BEGIN { if (e > 0) printf "%g", 100 / e; else print 0 }')"
if (( ${#PROBLEMS[@]} > 0 )); then
    echo "FAILED: ${PROBLEMS[*]}" >&2
fi
echo "load: ${DURATION} s, $CONNECTIONS connections, ${PERCENT}% writes: $RPS_TEXT req/s, p99 $P99 ms, $SOCKET socket errors, $NON2XX non-2xx/3xx, RSS $(printf '%.0f' "$RSS_BEFORE") MB -> $(printf '%.0f' "$RSS_AFTER") MB"
(( ${#PROBLEMS[@]} == 0 ))
