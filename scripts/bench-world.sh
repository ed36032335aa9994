#!/usr/bin/env bash
# The world register's benchmarks (issue 9), with the figures for the issue's note:
#
#   (a) importing data/world/twin_cities.csv (25,917 rows) into a fresh SQLite database: < 2 s
#       (the `world_import` bench of stedenband-app);
#   (b) a town's partners, a search and a shortest chain answered by the server: < 1 ms median
#       (wrk, 1 connection, 5 s each);
#   (c) the server under load (wrk, 32 connections) serving a town's partners as JSON at >= 30x
#       the requests/s Datasette serves for the same question, p99 < 5 ms, RSS < 50 MB.
#
# Usage: scripts/bench-world.sh   (from anywhere; run it on an otherwise idle machine)
#
# Settings (environment):
#   DURATION=15          seconds of each load test (wrk -t1 -c32 -dDURATIONs --latency)
#   LATENCY_DURATION=5   seconds of each single-connection latency test
#   WARMUP=2             seconds of an unmeasured load run before each measured one
#   PORT=18080 DS_PORT=18081   where our server and Datasette listen (127.0.0.1)
#   BENCH_VENV=/tmp/bench-world-venv   the virtualenv Datasette is installed in (made if missing)
#   DATASETTE_SPEC=datasette           what pip installs there (pin a version: datasette==0.65.1)
#   SKIP_IMPORT_BENCH=1  leave out (a)
#
# It installs what is missing: wrk (apt-get, when run as root) and Datasette (pip, in the
# virtualenv); then builds the release binary and:
#
#  1. runs `cargo bench -p stedenband-app --bench world_import` and takes its median;
#  2. fills a SQLite file with `stedenband serve --demo --database-url FILE` (the demo data and
#     the world list; its memory when ready is printed), stops it, and starts our server on that
#     file (`stedenband serve --database-url FILE`, as in production) pinned to CPU 0, looks up Hranice (CZ) and measures
#     /api/v1/towns/{id}/partners under load with wrk pinned to CPU 1; then
#  3. the single-connection latencies of partners, a search (q=hrani) and a chain
#     (Leidschendam-Voorburg to Denzlingen, ids looked up with the search API);
#  4. the server's VmRSS and VmHWM (/proc/PID/status) after all of that; then stops it and
#  5. makes a SQLite file for Datasette from the same CSV (a table `pairs` with its 8 columns,
#     indexed on (city1, country1) and on (city2, country2)), starts Datasette on it pinned to
#     CPU 0 and measures, with the same wrk settings, the same question: the rows where Hranice
#     (Czech Republic) is city1 or city2, as JSON (/world.json?sql=...&_shape=array with the
#     town and country as named parameters). Both answers' partner counts are printed.
#  6. prints a summary and exits 1 if a target was missed (everything is printed regardless).
#
# The two servers never run at the same time; each gets CPU 0 and wrk gets CPU 1 when taskset
# can pin (otherwise they share both cores, and the summary says so).
#
# Datasette's settings, chosen to be fair to it: `datasette serve --immutable` (the file is
# opened read-only and never checked for changes: Datasette's mode for publishing data that does
# not change, and its fastest), its defaults otherwise (num_sql_threads 3, the uvicorn that pip
# installs with it, without uvloop/httptools). It writes an access log line per request (uvicorn
# at level info; `datasette serve` has no switch for it), to a file. Our server runs as
# `serve` with its default log level (info: no line per request). Both get an unmeasured
# warm-up run before the measured one.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DURATION="${DURATION:-15}"
LATENCY_DURATION="${LATENCY_DURATION:-5}"
WARMUP="${WARMUP:-2}"
PORT="${PORT:-18080}"
DS_PORT="${DS_PORT:-18081}"
BENCH_VENV="${BENCH_VENV:-/tmp/bench-world-venv}"
DATASETTE_SPEC="${DATASETTE_SPEC:-datasette}"
CSV="$ROOT/data/world/twin_cities.csv"
LUA="$ROOT/scripts/wrk/report.lua"
BIN="$ROOT/target/release/stedenband"

# Targets.
IMPORT_MAX_S=2
MEDIAN_MAX_MS=1
RATIO_MIN=30
P99_MAX_MS=5
RSS_MAX_MB=50

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-world.XXXXXX")"
OUR_PID=""
DS_PID=""

stop() {
    # Stops one of the servers this script started, by its own PID: SIGTERM (our server then
    # removes its temporary database), SIGKILL after 10 s.
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
    stop "$OUR_PID"
    stop "$DS_PID"
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '\n== %s\n' "$*"; }

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
if [[ ! -x "$BENCH_VENV/bin/datasette" ]]; then
    say "installing Datasette in $BENCH_VENV"
    python3 -m venv "$BENCH_VENV"
    "$BENCH_VENV/bin/pip" install --quiet --disable-pip-version-check "$DATASETTE_SPEC"
fi
PY="$BENCH_VENV/bin/python"

# Pinning: the server on CPU 0, wrk on CPU 1, where taskset is present and allowed to.
PIN0=()
PIN1=()
PINNED="no (taskset missing or not allowed: servers and wrk share the cores)"
if command -v taskset >/dev/null && taskset -c 0 true 2>/dev/null && taskset -c 1 true 2>/dev/null; then
    PIN0=(taskset -c 0)
    PIN1=(taskset -c 1)
    PINNED="yes (server on CPU 0, wrk on CPU 1)"
fi

say "building (cargo build --release -p stedenband)"
cargo build --release --quiet -p stedenband

# ---- helpers ------------------------------------------------------------------------------------

# json EXPR: evaluates a Python expression over the JSON on stdin (bound to `j`).
json() { "$PY" -c "import json,sys; j=json.load(sys.stdin); print($1)"; }

# url_quote TEXT
url_quote() { "$PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

# field NAME LINE: a `name=value` of a WRK_RESULT line.
field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<"$2"; }

# cpu_ticks PID: the CPU time (user + system, all threads) a process has used, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
TICKS="$(getconf CLK_TCK)"

# wrk_run LABEL ARGS...: runs wrk pinned to CPU 1 with the reporting script, prints its output,
# and leaves its WRK_RESULT line in $WRK_LINE, and in $WRK_CPU_S the CPU seconds the server
# ($SERVER_PID) used meanwhile.
WRK_LINE=""
WRK_CPU_S=""
SERVER_PID=""
wrk_run() {
    local label="$1" out before
    shift
    echo "-- $label: wrk $* (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    before="$(cpu_ticks "$SERVER_PID")"
    out="$("${PIN1[@]}" wrk -s "$LUA" "$@")"
    WRK_CPU_S="$(awk -v a="$before" -v b="$(cpu_ticks "$SERVER_PID")" -v t="$TICKS" 'BEGIN { printf "%.2f", (b - a) / t }')"
    echo "$out" | grep -v '^WRK_RESULT'
    echo "server CPU time meanwhile: $WRK_CPU_S s"
    WRK_LINE="$(grep '^WRK_RESULT' <<<"$out" || true)"
    if [[ -z "$WRK_LINE" ]]; then
        echo "wrk did not report (see above)" >&2
        exit 1
    fi
    local bad
    bad=$(( $(field non2xx "$WRK_LINE") + $(field socket_errors "$WRK_LINE") ))
    if (( bad > 0 )); then
        echo "!! $label: $bad requests failed (non-2xx or socket errors)"
        FAILED_REQUESTS=$(( FAILED_REQUESTS + bad ))
    fi
}
FAILED_REQUESTS=0

# wait_http URL SECONDS PID: waits until URL answers 200 (and PID still runs).
wait_http() {
    local url="$1" seconds="$2" pid="$3"
    for _ in $(seq $(( seconds * 10 ))); do
        kill -0 "$pid" 2>/dev/null || return 1
        curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

us_to_ms() { awk -v u="$1" 'BEGIN { printf "%.3f", u / 1000 }'; }

# ---- 1. the import -----------------------------------------------------------------------------

IMPORT_S=""
if [[ "${SKIP_IMPORT_BENCH:-}" != 1 ]]; then
    say "1. import (cargo bench -p stedenband-app --bench world_import)"
    cargo bench --quiet -p stedenband-app --bench world_import | tee "$WORK/import.txt"
    IMPORT_S="$(sed -n 's/^world import: median \([0-9.]*\) s.*/\1/p' "$WORK/import.txt")"
fi

# ---- 2. our server -----------------------------------------------------------------------------

say "2. our server on a stored database: filled by serve --demo, then restarted (pinned: $PINNED)"
# As a server runs in production: on a database that holds the data, not importing at start.
# `serve --demo --database-url FILE` fills FILE (the demo data and the world list) and serves
# it; it is stopped once ready and `serve --database-url FILE` measured.
DEMO_DB="$WORK/stedenband.db"
"$BIN" serve --demo --database-url "sqlite://$DEMO_DB" --listen "127.0.0.1:$PORT" >"$WORK/fill.out" 2>"$WORK/fill.err" &
FILL_PID=$!
SERVER_PID=$FILL_PID
for _ in $(seq 1200); do
    grep -q '^Stedenband demo: ' "$WORK/fill.out" 2>/dev/null && break
    kill -0 "$FILL_PID" 2>/dev/null || { cat "$WORK/fill.err" >&2; exit 1; }
    sleep 0.1
done
DEMO_RSS_KB="$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$FILL_PID/status")"
echo "serve --demo (the import in the same process) when ready: VmRSS $((DEMO_RSS_KB / 1024)) MB"
kill "$FILL_PID"; wait "$FILL_PID" 2>/dev/null || true
"${PIN0[@]}" "$BIN" serve --database-url "sqlite://$DEMO_DB" --listen "127.0.0.1:$PORT" >"$WORK/server.out" 2>"$WORK/server.err" &
OUR_PID=$!
SERVER_PID=$OUR_PID
started=$(date +%s.%N)
for _ in $(seq 1200); do
    curl -fsS "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
    if ! kill -0 "$OUR_PID" 2>/dev/null; then
        echo "the server stopped:" >&2
        cat "$WORK/server.err" >&2
        exit 1
    fi
    sleep 0.1
done
curl -fsS "http://127.0.0.1:$PORT/health/ready" >/dev/null || { echo "the server did not start in 120 s" >&2; exit 1; }
printf 'ready after %.1f s (the world graph built from the database)\n' "$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"
BASE="http://127.0.0.1:$PORT"
kb() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$2/status"; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
READY_RSS_MB="$(mb "$(kb VmRSS "$OUR_PID")")"
echo "memory when ready: VmRSS $READY_RSS_MB MB, VmHWM $(mb "$(kb VmHWM "$OUR_PID")") MB"

# town_id QUERY NAME: the id of the first town the search finds whose name is NAME.
town_id() {
    curl -fsS "$BASE/api/v1/towns?$1" |
        json "next(t['id'] for t in j['towns'] if t['name'] == '$2')"
}
HRANICE="$(town_id 'q=hranice&country=CZ' Hranice)"
LEIDSCHENDAM="$(town_id 'q=leidschendam' Leidschendam-Voorburg)"
DENZLINGEN="$(town_id 'q=denzlingen' Denzlingen)"
echo "ids: Hranice (CZ) $HRANICE, Leidschendam-Voorburg $LEIDSCHENDAM, Denzlingen $DENZLINGEN"

PARTNERS_URL="$BASE/api/v1/towns/$HRANICE/partners"
SEARCH_URL="$BASE/api/v1/towns?q=hrani"
CHAIN_URL="$BASE/api/v1/network/chain?a=$LEIDSCHENDAM&b=$DENZLINGEN"
curl -fsS "$PARTNERS_URL" >"$WORK/ours.json"
OUR_PARTNERS="$(json "len(j['partners'])" <"$WORK/ours.json")"
echo "our answer: $(wc -c <"$WORK/ours.json") bytes, $OUR_PARTNERS partners:" \
    "$(json "', '.join(p['town']['name'] + ' (' + p['town']['country'] + ', ' + '+'.join(r['kind'] for r in p['records']) + ')' for p in j['partners'])" <"$WORK/ours.json")"
echo "chain: $(curl -fsS "$CHAIN_URL" | json "' > '.join(s['town']['name'] for s in j['steps'])")"

say "load: partners of Hranice, 32 connections, ${DURATION} s"
wrk_run "warm-up (not counted)" -t1 -c32 -d"${WARMUP}s" "$PARTNERS_URL" >/dev/null
wrk_run "ours" -t1 -c32 -d"${DURATION}s" --latency "$PARTNERS_URL"
OUR_RPS="$(field rps "$WRK_LINE")"
OUR_RPCPU="$(awk -v n="$(field requests "$WRK_LINE")" -v c="$WRK_CPU_S" 'BEGIN { printf "%.0f", (c > 0) ? n / c : 0 }')"
OUR_CPU_SHARE="$(awk -v c="$WRK_CPU_S" -v d="$DURATION" 'BEGIN { printf "%.0f", 100 * c / d }')"
OUR_P50="$(us_to_ms "$(field p50_us "$WRK_LINE")")"
OUR_P99="$(us_to_ms "$(field p99_us "$WRK_LINE")")"

# ---- 3. latency --------------------------------------------------------------------------------

say "3. latency: 1 connection, ${LATENCY_DURATION} s each"
wrk_run "partners" -t1 -c1 -d"${LATENCY_DURATION}s" --latency "$PARTNERS_URL"
LAT_PARTNERS="$(us_to_ms "$(field p50_us "$WRK_LINE")")"
wrk_run "search" -t1 -c1 -d"${LATENCY_DURATION}s" --latency "$SEARCH_URL"
LAT_SEARCH="$(us_to_ms "$(field p50_us "$WRK_LINE")")"
wrk_run "chain" -t1 -c1 -d"${LATENCY_DURATION}s" --latency "$CHAIN_URL"
LAT_CHAIN="$(us_to_ms "$(field p50_us "$WRK_LINE")")"

# ---- 4. memory ---------------------------------------------------------------------------------

say "4. our server's memory after the load (/proc/$OUR_PID/status)"
grep -E '^(VmRSS|VmHWM):' "/proc/$OUR_PID/status"
RSS_MB="$(mb "$(kb VmRSS "$OUR_PID")")"
HWM_MB="$(mb "$(kb VmHWM "$OUR_PID")")"
stop "$OUR_PID"
OUR_PID=""

# ---- 5. Datasette ------------------------------------------------------------------------------

say "5. Datasette $("$BENCH_VENV/bin/datasette" --version | awk '{ print $NF }') on 127.0.0.1:$DS_PORT (pinned: $PINNED)"
DS_DB="$WORK/world.db"
"$PY" - "$CSV" "$DS_DB" <<'PYTHON'
import csv, sqlite3, sys
src, dst = sys.argv[1], sys.argv[2]
con = sqlite3.connect(dst)
con.execute("""CREATE TABLE pairs (city1 TEXT, country1 TEXT, lat1 REAL, lng1 REAL,
                                   city2 TEXT, country2 TEXT, lat2 REAL, lng2 REAL)""")
num = lambda v: float(v) if v.strip() else None
with open(src, newline="", encoding="utf-8") as f:
    r = csv.DictReader(f)
    con.executemany("INSERT INTO pairs VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (
        (x["city1"], x["country1"], num(x["lat1"]), num(x["lng1"]),
         x["city2"], x["country2"], num(x["lat2"]), num(x["lng2"])) for x in r))
con.execute("CREATE INDEX pairs_city1 ON pairs (city1, country1)")
con.execute("CREATE INDEX pairs_city2 ON pairs (city2, country2)")
con.execute("ANALYZE")
con.commit()
print(f"{dst}: {con.execute('SELECT COUNT(*) FROM pairs').fetchone()[0]} rows in pairs")
PYTHON
SQL="select * from pairs where (city1 = :town and country1 = :country) or (city2 = :town and country2 = :country)"
DS_URL="http://127.0.0.1:$DS_PORT/world.json?sql=$(url_quote "$SQL")&town=Hranice&country=$(url_quote "Czech Republic")&_shape=array"
"${PIN0[@]}" "$BENCH_VENV/bin/datasette" serve --immutable "$DS_DB" --host 127.0.0.1 --port "$DS_PORT" \
    >"$WORK/datasette.out" 2>"$WORK/datasette.err" &
DS_PID=$!
SERVER_PID=$DS_PID
if ! wait_http "http://127.0.0.1:$DS_PORT/-/versions.json" 60 "$DS_PID"; then
    echo "Datasette did not start:" >&2
    cat "$WORK/datasette.err" >&2
    exit 1
fi
curl -fsS "$DS_URL" >"$WORK/datasette.json"
DS_PARTNERS="$(json "len(j)" <"$WORK/datasette.json")"
echo "Datasette's answer: $(wc -c <"$WORK/datasette.json") bytes, $DS_PARTNERS rows:" \
    "$(json "', '.join(r['city2'] if r['city1'] == 'Hranice' else r['city1'] for r in j)" <"$WORK/datasette.json")"
echo "query: $SQL (town=Hranice, country=Czech Republic)"

say "load: the same question, 32 connections, ${DURATION} s"
wrk_run "warm-up (not counted)" -t1 -c32 -d"${WARMUP}s" "$DS_URL" >/dev/null
wrk_run "Datasette" -t1 -c32 -d"${DURATION}s" --latency "$DS_URL"
DS_RPS="$(field rps "$WRK_LINE")"
DS_RPCPU="$(awk -v n="$(field requests "$WRK_LINE")" -v c="$WRK_CPU_S" 'BEGIN { printf "%.0f", (c > 0) ? n / c : 0 }')"
DS_CPU_SHARE="$(awk -v c="$WRK_CPU_S" -v d="$DURATION" 'BEGIN { printf "%.0f", 100 * c / d }')"
DS_P50="$(us_to_ms "$(field p50_us "$WRK_LINE")")"
DS_P99="$(us_to_ms "$(field p99_us "$WRK_LINE")")"
DS_RSS_MB="$(mb "$(kb VmRSS "$DS_PID")")"
stop "$DS_PID"
DS_PID=""

# ---- 6. summary --------------------------------------------------------------------------------

RATIO="$(awk -v a="$OUR_RPS" -v b="$DS_RPS" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "inf" }')"
MISSED=()
# verdict NAME OK(1/0): sets V to "met" or "MISSED" (and notes NAME as missed).
verdict() {
    if [[ "$2" == 1 ]]; then V="met"; else V="MISSED"; MISSED+=("$1"); fi
}
lt() { awk -v a="$1" -v b="$2" 'BEGIN { print (a != "" && a + 0 < b + 0) ? 1 : 0 }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "inf" || (a != "" && a + 0 >= b + 0)) ? 1 : 0 }'; }

say "summary ($(nproc) cores, pinned: $PINNED; load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
if [[ -n "$IMPORT_S" ]]; then
    verdict import "$(lt "$IMPORT_S" "$IMPORT_MAX_S")"
    printf '%-40s %10s s     (< %s s: %s)\n' "import into fresh SQLite, median" "$IMPORT_S" "$IMPORT_MAX_S" "$V"
else
    printf '%-40s %10s\n' "import" "not run"
fi
printf '%-40s %10s req/s (p50 %s ms; %s%% of a core; %s requests per CPU-second)\n' "ours: partners, 32 connections" "$OUR_RPS" "$OUR_P50" "$OUR_CPU_SHARE" "$OUR_RPCPU"
printf '%-40s %10s req/s (p50 %s ms, p99 %s ms; %s%% of a core; %s requests per CPU-second; RSS %s MB)\n' "Datasette: same question" "$DS_RPS" "$DS_P50" "$DS_P99" "$DS_CPU_SHARE" "$DS_RPCPU" "$DS_RSS_MB"
verdict ratio "$(ge "$RATIO" "$RATIO_MIN")"
printf '%-40s %10s x     (>= %s: %s)\n' "ratio ours / Datasette" "$RATIO" "$RATIO_MIN" "$V"
printf '%-40s %10s x     (information: the same per CPU-second, whatever share of a core each got)\n' "ratio per CPU-second" "$(awk -v a="$OUR_RPCPU" -v b="$DS_RPCPU" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "inf" }')"
verdict p99 "$(lt "$OUR_P99" "$P99_MAX_MS")"
printf '%-40s %10s ms    (< %s ms: %s)\n' "ours: p99 under load" "$OUR_P99" "$P99_MAX_MS" "$V"
verdict rss "$(lt "$RSS_MB" "$RSS_MAX_MB")"
printf '%-40s %10s MB    (< %s MB: %s; peak VmHWM %s MB)\n' "ours: VmRSS after the load" "$RSS_MB" "$RSS_MAX_MB" "$V" "$HWM_MB"
printf '%-40s %10s MB\n' "ours: VmRSS when ready, before any load" "$READY_RSS_MB"
verdict partners-latency "$(lt "$LAT_PARTNERS" "$MEDIAN_MAX_MS")"
printf '%-40s %10s ms    (< %s ms: %s)\n' "median latency, partners" "$LAT_PARTNERS" "$MEDIAN_MAX_MS" "$V"
verdict search-latency "$(lt "$LAT_SEARCH" "$MEDIAN_MAX_MS")"
printf '%-40s %10s ms    (< %s ms: %s)\n' "median latency, search (q=hrani)" "$LAT_SEARCH" "$MEDIAN_MAX_MS" "$V"
verdict chain-latency "$(lt "$LAT_CHAIN" "$MEDIAN_MAX_MS")"
printf '%-40s %10s ms    (< %s ms: %s)\n' "median latency, chain" "$LAT_CHAIN" "$MEDIAN_MAX_MS" "$V"
printf '%-40s %10s / %s\n' "partners of Hranice: ours / Datasette" "$OUR_PARTNERS" "$DS_PARTNERS"
if [[ "$OUR_PARTNERS" != "$DS_PARTNERS" ]]; then
    echo "   (the counts differ: compare the two lists printed above)"
fi
if (( FAILED_REQUESTS > 0 )); then
    MISSED+=("failed-requests")
    echo "failed requests during the runs: $FAILED_REQUESTS"
fi
if (( ${#MISSED[@]} > 0 )); then
    echo "targets missed: ${MISSED[*]}"
    exit 1
fi
echo "all targets met"
