#!/usr/bin/env bash
# run.sh - runs every unit test binary given and every tests/cli/*.sh, and
# ends with one line: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Under SANITIZE: report leaks except fontconfig's lifelong caches, and
# stop at the first undefined behaviour so that a test cannot miss it.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# VALGRIND=1 runs the unit tests under valgrind; VALGRIND=all also every
# tether program the CLI tests call by name (see tests/cli/lib.sh).
export VALGRIND=${VALGRIND:-}
for t in "$@"; do
    if [ -n "${VALGRIND:-}" ]; then
        valgrind -q --leak-check=full --error-exitcode=99 \
            --suppressions=tests/valgrind.supp "$t" >"$log" 2>&1
    else
        "$t" >"$log" 2>&1
    fi
    rc=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
    p=${p:-0}
    f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # crashed or leaked: count it as a failure
    fi
    if [ "$f" -ne 0 ]; then
        echo "FAIL $t"
        cat "$log"
    else
        echo "ok   $t ($p)"
    fi
    passed=$((passed + p))
    failed=$((failed + f))
done
for s in tests/cli/test_*.sh; do
    [ -e "$s" ] || continue
    bash "$s" >"$log" 2>&1
    rc=$?
    p=$(grep -c '^ok ' "$log")
    f=$(grep -c '^not ok ' "$log")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "not ok - $s exited $rc" >>"$log"
    fi
    if [ "$f" -ne 0 ]; then
        echo "FAIL $s"
        grep -v '^ok ' "$log"
    else
        echo "ok   $s ($p)"
    fi
    passed=$((passed + p))
    failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
