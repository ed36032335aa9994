#!/usr/bin/env bash
# Backup, restore and the move from SQLite to PostgreSQL (issue 10), as an operator runs them,
# with one line of figures at the end. .ci/run runs it after the tests.
#
#   1. `stedenband demo` fills a SQLite file (the demo register and the world list);
#   2. `stedenband backup` copies it while a server runs on it and writes go on (VACUUM INTO);
#      the copy has mode 0600;
#   3. `stedenband restore` loads the copy into an empty SQLite file and into an empty
#      PostgreSQL database; `stedenband check` passes on both (integrity, foreign keys, audit log);
#   4. `export municipality` (SQLite) -> `import municipality` (PostgreSQL) -> `export
#      municipality` (PostgreSQL) gives the identical file.
#
# Usage: scripts/backup-check.sh   (BIN=path/to/stedenband, default target/debug/stedenband,
# built if missing; TEST_DATABASE_URL names the PostgreSQL server, default the local one)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${BIN:-target/debug/stedenband}"
[ -x "$BIN" ] || cargo build -q -p stedenband
PG_ADMIN="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
PORT="${PORT:-18431}"
work=$(mktemp -d)
pgdb="backup_check_$$"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  psql "$PG_ADMIN" -qAtc "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1 || true
  psql "$PG_ADMIN" -qAtc "DROP DATABASE IF EXISTS ${pgdb}_b WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
pg_url() { echo "${PG_ADMIN%/*}/$1"; }
export RUST_LOG=warn
run() { "$BIN" "$@"; }
fail() { echo "backup-check: FAILED: $*" >&2; exit 1; }

live="sqlite://$work/live.db"
run demo --database-url "$live" >/dev/null

# A server on the live file, with writes going on, while the backup is taken.
# Started directly, not through run(): $! must be the server itself, not a subshell.
"$BIN" serve --database-url "$live" --listen "127.0.0.1:$PORT" >"$work/serve.log" 2>&1 &
server=$!
# A debug build builds the world graph of 25,000 pairs before it answers: allow two minutes.
for _ in $(seq 1 1200); do
  curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; fail "the server stopped"; }
  sleep 0.1
done
curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null || { cat "$work/serve.log" >&2; fail "the server did not start"; }
printf 'check-password-1\n' | run user create checker --admin --database-url "$live" >/dev/null
token=$(printf '' | run user token checker --database-url "$live" 2>/dev/null | tail -1)
(
  for i in $(seq 1 200); do
    curl -fs -o /dev/null -X POST "http://127.0.0.1:$PORT/api/v1/municipalities" \
      -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"name\":\"Backup check $i\",\"country\":\"NL\"}" || true
  done
) &
writer=$!
sleep 0.5
before=$(sqlite3 "$work/live.db" "SELECT count(*) FROM municipalities WHERE name LIKE 'Backup check %'")
backup_line=$(run backup "$work/copy.db" --database-url "$live")
wait "$writer"
kill "$server"; wait "$server" 2>/dev/null || true; server=""
[ "$(stat -c %a "$work/copy.db")" = 600 ] || fail "the backup's mode is $(stat -c %a "$work/copy.db"), not 600"
in_copy=$(sqlite3 "$work/copy.db" "SELECT count(*) FROM municipalities WHERE name LIKE 'Backup check %'")
[ "$in_copy" -ge "$before" ] || fail "$before writes acknowledged before the backup, $in_copy in it"

run restore "$work/copy.db" --database-url "sqlite://$work/restored.db" >/dev/null
run check --database-url "sqlite://$work/restored.db" >/dev/null || fail "check of the SQLite restore"
psql "$PG_ADMIN" -qAtc "CREATE DATABASE $pgdb" >/dev/null
run restore "$work/copy.db" --database-url "$(pg_url "$pgdb")" >/dev/null
run check --database-url "$(pg_url "$pgdb")" >/dev/null || fail "check of the PostgreSQL restore"

# The move: SQLite -> JSON -> PostgreSQL -> JSON.
run export municipality "$work/sqlite.json" --database-url "$live" >/dev/null
psql "$PG_ADMIN" -qAtc "CREATE DATABASE ${pgdb}_b" >/dev/null
start=$EPOCHREALTIME
run import municipality "$work/sqlite.json" --database-url "$(pg_url "${pgdb}_b")" >/dev/null
import_s=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
run export municipality "$work/postgres.json" --database-url "$(pg_url "${pgdb}_b")" >/dev/null
cmp -s "$work/sqlite.json" "$work/postgres.json" || fail "SQLite -> JSON -> PostgreSQL -> JSON differs"
rows=$(grep -c '^      {' "$work/sqlite.json" || true)
size=$(du -m "$work/copy.db" | cut -f1)
echo "backup-check: backup under writes ($in_copy of them in it, $before acknowledged before it; ${size} MB, mode 600) restored into SQLite and PostgreSQL, both pass check; move SQLite -> JSON ($rows rows) -> PostgreSQL (${import_s} s) -> JSON identical"
[ -n "$backup_line" ] || true
