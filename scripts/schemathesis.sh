#!/usr/bin/env bash
# Schemathesis against the JSON API (issue 10, "no 5xx from any input"): generates requests from
# the OpenAPI document at /api/v1/openapi.json (valid and invalid bodies, parameters and headers)
# and checks every answer: no server error, the status code, content type, headers and body as
# documented, invalid input refused and valid input accepted.
#
# Usage: scripts/schemathesis.sh   (from anywhere)
#
# It builds the binary, starts `stedenband serve --demo` on a SQLite file in a temporary folder
# (the demo data and the world list), makes an administrator with a personal access token through
# the command line on the same file, and runs Schemathesis twice: once as the public (no
# Authorization header) and once as the administrator (`Authorization: Bearer sb_…`). The
# administrator's run writes (creates, updates, adopts, ends): the database is thrown away at
# the end. Exits 1 when either run found a failure; the last line is the figure.
#
# Settings (environment):
#   PORT=18401              where the server listens (127.0.0.1)
#   MAX_EXAMPLES=50         test cases Schemathesis generates per operation and phase
#   PHASES=examples,coverage,fuzzing,stateful   the Schemathesis phases to run
#   SEED=1                  Schemathesis's random seed (the same seed generates the same cases)
#   WORKERS=2               concurrent Schemathesis workers
#   PROFILE=debug           the cargo profile of the server (debug or release)
#   SCHEMATHESIS_SPEC=schemathesis==4.32.5   what pip installs into target/schemathesis-venv
#   REPORT_DIR=target/schemathesis   where the JUnit reports and the server log are kept

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PORT="${PORT:-18401}"
MAX_EXAMPLES="${MAX_EXAMPLES:-50}"
PHASES="${PHASES:-examples,coverage,fuzzing,stateful}"
SEED="${SEED:-1}"
WORKERS="${WORKERS:-2}"
PROFILE="${PROFILE:-debug}"
SCHEMATHESIS_SPEC="${SCHEMATHESIS_SPEC:-schemathesis==4.32.5}"
REPORT_DIR="${REPORT_DIR:-$ROOT/target/schemathesis}"
VENV="$ROOT/target/schemathesis-venv"
BASE="http://127.0.0.1:$PORT"

echo "== building stedenband ($PROFILE)"
if [ "$PROFILE" = release ]; then
  cargo build --release -q -p stedenband
  BIN="$ROOT/target/release/stedenband"
else
  cargo build -q -p stedenband
  BIN="$ROOT/target/debug/stedenband"
fi

echo "== Schemathesis ($SCHEMATHESIS_SPEC in $VENV)"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
wanted="${SCHEMATHESIS_SPEC#schemathesis==}"
have="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null || true)"
if [ -z "$have" ] || { [ "$wanted" != "$SCHEMATHESIS_SPEC" ] && [ "$have" != "$wanted" ]; }; then
  "$VENV/bin/pip" install -q "$SCHEMATHESIS_SPEC"
fi
"$VENV/bin/schemathesis" --version

TMP="$(mktemp -d /tmp/stedenband-schemathesis.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

mkdir -p "$REPORT_DIR"
REPORT_DIR="$(cd "$REPORT_DIR" && pwd)"

# Schemathesis's configuration. One deliberate allowance: a schema-valid request answered 422
# does not count as "valid data rejected" (positive_data_acceptance). Every 422 of this API is
# the domain refusing input with `invalidParams` naming each field, for rules a JSON schema
# cannot state: a reference to a municipality, partnership or person that does not exist, dates
# in order, amounts in Dutch or English notation, a rule of a council decision, fields required
# together. A schema-valid request answered 400 (the body or query could not even be read as
# the document describes it) stays a failure, as does every 5xx, an undocumented status and a
# response that does not match its schema.
cat >"$TMP/schemathesis.toml" <<'TOML'
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]
TOML
DB="sqlite://$TMP/db.sqlite"
LOG="$REPORT_DIR/server.log"

echo "== starting the demo server on $BASE"
# An explicit --database-url, so the command line below reaches the same database: without it
# the demo runs on a temporary file of its own.
NO_COLOR=1 "$BIN" serve --demo --database-url "$DB" --listen "127.0.0.1:$PORT" --log warn,stedenband=info >"$LOG" 2>&1 &
SERVER_PID=$!
ready=""
for _ in $(seq 1 600); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "the server stopped while starting; its log ($LOG):" >&2
    tail -n 30 "$LOG" >&2
    exit 1
  fi
  if curl -fsS -o /dev/null "$BASE/health/ready" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.5
done
if [ -z "$ready" ]; then
  echo "the server did not become ready within 300 s; its log ($LOG):" >&2
  tail -n 30 "$LOG" >&2
  exit 1
fi

echo "== an administrator with a personal access token"
PASSWORD="st-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$PASSWORD" | "$BIN" user create schemathesis-admin --admin --database-url "$DB" >/dev/null
TOKEN="$("$BIN" user token schemathesis-admin --label schemathesis --database-url "$DB" | tail -n 1)"
case "$TOKEN" in
  sb_*) ;;
  *) echo "no token from 'stedenband user token'" >&2; exit 1 ;;
esac

# One Schemathesis run: its summary and failures on stderr, and "OPERATIONS CASES FAILURES" on
# stdout.
run() {
  local role="$1"; shift
  local junit="$REPORT_DIR/$role.xml"
  echo "== Schemathesis as $role" >&2
  local started=$SECONDS status=0
  # From REPORT_DIR: Schemathesis keeps its cache of failing cases (for `st replay`) in
  # .schemathesis/ of the working directory, which belongs under target/, not in the checkout.
  (cd "$REPORT_DIR" && "$VENV/bin/schemathesis" --config-file "$TMP/schemathesis.toml" run "$BASE/api/v1/openapi.json" \
    --checks all \
    --phases "$PHASES" \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --workers "$WORKERS" \
    --generation-database none \
    --request-timeout 30 \
    --no-color \
    --report junit --report-junit-path "$junit" \
    "$@") >"$REPORT_DIR/$role.txt" 2>&1 || status=$?
  # The summary and any failures (the whole output is in REPORT_DIR).
  # (awk rather than sed | head: head closing the pipe early would fail it under pipefail.)
  awk '/^=+ (FAILURES|ERRORS|SUMMARY) =+$/ { on = 1 } on && shown++ < 400' "$REPORT_DIR/$role.txt" >&2
  echo "($role: $((SECONDS - started)) s, exit status $status)" >&2
  "$VENV/bin/python" - "$junit" "$REPORT_DIR/$role.txt" "$status" <<'EOF'
import re, sys, xml.etree.ElementTree as ET
junit, text, status = sys.argv[1], open(sys.argv[2], encoding="utf-8").read(), int(sys.argv[3])
# Failures per test (an operation, or the stateful scenarios) from the JUnit report; the
# operations tested and the cases generated from Schemathesis's own summary.
root = ET.parse(junit).getroot()
failures = sum(
    1
    for case in root.iter("testcase")
    if case.find("failure") is not None or case.find("error") is not None
)
m = re.search(r"Tested:\s*(\d+)", text)
operations = int(m.group(1)) if m else 0
m = re.search(r"Test cases:\s*\n?\s*([\d,]+) generated", text)
generated = int(m.group(1).replace(",", "")) if m else 0
if status != 0 and failures == 0:
    failures = 1  # Schemathesis failed for a reason of its own (a warning or a broken schema)
print(operations, generated, failures)
EOF
}

public="$(run public)"
admin="$(run administrator -H "Authorization: Bearer $TOKEN")"
read -r p_ops p_cases p_fail <<<"$public"
read -r a_ops a_cases a_fail <<<"$admin"

if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "the server died during the run; its log is $LOG" >&2
  a_fail=$((a_fail + 1))
fi
echo "schemathesis: public $p_ops operations $p_cases cases $p_fail failures; administrator $a_ops operations $a_cases cases $a_fail failures"
[ "$p_fail" -eq 0 ] && [ "$a_fail" -eq 0 ]
