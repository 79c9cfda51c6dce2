#!/usr/bin/env bash
# run.sh SECONDS TARGET... - runs each libFuzzer target for SECONDS on a
# fresh seed corpus (fuzz/seeds.sh) and prints one line per target. A crash,
# leak, sanitizer report or timeout is kept as build/fuzz/crashes/NAME-*
# and makes the run fail; reproduce it with `TARGET FILE`.
set -u
cd "$(dirname "$0")/.."
secs=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p build/fuzz/crashes
failed=0
for bin in "$@"; do
    name=$(basename "$bin")
    corpus="$work/$name"
    bash fuzz/seeds.sh "$name" "$corpus"
    log="build/fuzz/$name.log"
    # -close_fd_mask=2: the importers' messages about bad rows are noise
    # here; libFuzzer and the sanitizers keep their own copy of stderr.
    "$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
        -max_len=65536 -close_fd_mask=2 -print_final_stats=1 \
        -artifact_prefix="build/fuzz/crashes/$name-" "$corpus" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    if [ "$rc" -ne 0 ]; then
        echo "FAIL $name (exit $rc, ${runs:-?} runs); log: $log"
        grep -E 'ERROR|SUMMARY|Test unit written|deadly signal|timeout' "$log" | head -20
        failed=1
    else
        echo "ok   $name: ${runs:-?} runs in ${secs}s, $cov"
    fi
done
exit $failed
