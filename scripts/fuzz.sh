#!/usr/bin/env bash
# Fuzzes the importers (issue 10, point 4) with cargo-fuzz (libFuzzer), one target after the
# other, and prints per target one line, and the total last:
#
#   fuzz world_csv: 300 s, 1,234,567 runs, 0 crashes, corpus 345
#   fuzz: 3 targets, 900 s, 3,456,789 runs, 0 crashes
#
# Usage: scripts/fuzz.sh [TARGET...]      (no target: every target of fuzz/Cargo.toml)
#
# Settings (environment):
#   FUZZ_SECONDS=300   how long each target runs; 0 runs only the committed corpus once (a
#                      regression check of the seeds and of every crash kept there)
#   FUZZ_MAX_LEN=8192  the largest input libFuzzer makes, in bytes
#   FUZZ_JOBS=         cargo's -j for the build (default: cargo's own)
#
# Each input must be answered within a second (-timeout=1: a slower one is reported as a crash,
# a "timeout-" file) and never panic; the targets also assert what the importers promise of
# their result (fuzz/src/lib.rs). The fuzz crate is not a member of the workspace and builds in
# fuzz/target, with debug assertions and overflow checks on. cargo-fuzz needs nightly compiler
# flags; on the stable toolchain RUSTC_BOOTSTRAP=1 lets it have them.
#
# The sanitizer is off (-s none): the code under test is safe Rust, so the failures to find are
# panics, overflows and slow inputs, which need no AddressSanitizer, and without it a target
# runs about twice as many inputs in the same time.
#
# fuzz/dict/TARGET.dict, when present, gives libFuzzer the tokens of the format (column names,
# JSON keys) so that mutations more often make input the reader gets far into.
#
# The seeds are fuzz/corpus/TARGET/ (small slices of data/world, committed, read only); what a
# run finds goes to fuzz/target/corpus/TARGET/ (kept between runs, not committed). A crash is
# written to fuzz/target/artifacts/TARGET/; the script prints how to reproduce it. Once the bug
# is fixed, copy the crash into fuzz/corpus/TARGET/ as regression-NAME so every later run
# replays it first.
#
# Exits 1 when a target crashed or timed out (after running the others), 2 when it cannot run.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ="$ROOT/fuzz"
FUZZ_SECONDS="${FUZZ_SECONDS:-300}"
FUZZ_MAX_LEN="${FUZZ_MAX_LEN:-8192}"
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="$FUZZ/target"

if ! [[ "$FUZZ_SECONDS" =~ ^[0-9]+$ ]]; then
    echo "FUZZ_SECONDS must be a whole number of seconds" >&2
    exit 2
fi
command -v cargo >/dev/null || { echo "cargo is missing" >&2; exit 2; }
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz (cargo install cargo-fuzz --locked)"
    cargo install --quiet --locked cargo-fuzz
fi

cd "$FUZZ"
mapfile -t ALL < <(cargo fuzz list)
if (( $# > 0 )); then
    TARGETS=("$@")
    for t in "${TARGETS[@]}"; do
        printf '%s\n' "${ALL[@]}" | grep -qx -- "$t" || {
            echo "no fuzz target $t (there are: ${ALL[*]})" >&2
            exit 2
        }
    done
else
    TARGETS=("${ALL[@]}")
fi

BUILD=(cargo fuzz build --release --debug-assertions --sanitizer none)
if [[ -n "${FUZZ_JOBS:-}" ]]; then
    export CARGO_BUILD_JOBS="$FUZZ_JOBS"
fi
echo "== building: ${BUILD[*]} ${TARGETS[*]}"
for t in "${TARGETS[@]}"; do
    "${BUILD[@]}" "$t"
done

LOGS="$(mktemp -d "${TMPDIR:-/tmp}/fuzz.XXXXXX")"
trap 'rm -rf "$LOGS"' EXIT

# thousands N: 1234567 -> 1,234,567
thousands() { printf '%s' "$1" | rev | sed 's/[0-9]\{3\}/&,/g; s/,$//' | rev; }

FAILED=()
TOTAL_RUNS=0
TOTAL_SECONDS=0
TOTAL_CRASHES=0
for t in "${TARGETS[@]}"; do
    work="$FUZZ/target/corpus/$t"
    artifacts="$FUZZ/target/artifacts/$t"
    mkdir -p "$work" "$artifacts" "$FUZZ/corpus/$t"
    find "$artifacts" -type f | sort >"$LOGS/$t.before"
    if (( FUZZ_SECONDS == 0 )); then
        limit=(-runs=0)
    else
        limit=(-max_total_time="$FUZZ_SECONDS")
    fi
    dict=()
    if [[ -f "$FUZZ/dict/$t.dict" ]]; then
        dict=(-dict="$FUZZ/dict/$t.dict")
    fi
    echo "== $t: ${FUZZ_SECONDS} s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    started=$(date +%s)
    set +e
    cargo fuzz run --release --debug-assertions --sanitizer none "$t" "$work" "$FUZZ/corpus/$t" -- \
        "${limit[@]}" "${dict[@]}" -timeout=1 -max_len="$FUZZ_MAX_LEN" -rss_limit_mb=2048 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 >"$LOGS/$t.log" 2>&1
    rc=$?
    set -e
    seconds=$(( $(date +%s) - started ))
    # libFuzzer's final statistics, and its last status line for the corpus size.
    runs="$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$LOGS/$t.log" | tail -1)"
    corpus="$(grep -o 'corp: [0-9]*' "$LOGS/$t.log" | tail -1 | awk '{ print $2 }')"
    find "$artifacts" -type f | sort | comm -13 "$LOGS/$t.before" - >"$LOGS/$t.new"
    crashes="$(wc -l <"$LOGS/$t.new")"
    if (( rc != 0 && crashes == 0 )); then
        # It failed without leaving an input behind (a build or start-up failure).
        tail -40 "$LOGS/$t.log" >&2
        crashes=1
    fi
    if (( crashes > 0 )); then
        FAILED+=("$t")
        grep -E '^(==[0-9]+==|thread|panicked|SUMMARY|.*(panicked at|assertion|Test unit written))' "$LOGS/$t.log" | head -20 || true
        while read -r f; do
            echo "   reproduce: (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run -s none -a $t $f)"
        done <"$LOGS/$t.new"
    fi
    echo "fuzz $t: $seconds s, $(thousands "${runs:-0}") runs, $crashes crashes, corpus ${corpus:-0}"
    TOTAL_RUNS=$(( TOTAL_RUNS + ${runs:-0} ))
    TOTAL_SECONDS=$(( TOTAL_SECONDS + seconds ))
    TOTAL_CRASHES=$(( TOTAL_CRASHES + crashes ))
done

echo "fuzz: ${#TARGETS[@]} targets, $TOTAL_SECONDS s, $(thousands "$TOTAL_RUNS") runs, $TOTAL_CRASHES crashes"
if (( ${#FAILED[@]} > 0 )); then
    echo "fuzz: crashes in ${FAILED[*]}" >&2
    exit 1
fi
