# lib.sh - helpers for the CLI tests: each check prints "ok - NAME" or
# "not ok - NAME" with what differed. Source it at the top of a test.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The real exports the tests read (with their licences and SOURCES.md).
TESTDATA=${TESTDATA:-$ROOT/tests/data/real}
export PATH="$ROOT/bin:$PATH"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TETHER_DB="$T/t.db"
export TZ=UTC

# VALGRIND=all: every tether program a test calls by name runs under
# valgrind; an error or a leak of its own makes it exit 99 (the report is
# kept in $T/valgrind.log and shown by the failing check).
if [ "${VALGRIND:-}" = all ]; then
    vg() {
        local prog=$1
        shift
        valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
            --error-exitcode=99 --suppressions="$ROOT/tests/valgrind.supp" \
            --log-file="$T/valgrind.%p.log" "$ROOT/bin/$prog" "$@"
        local rc=$?
        [ $rc -ne 99 ] || cat "$T"/valgrind.*.log >&2
        return $rc
    }
    tether-collect() { vg tether-collect "$@"; }
    tether-analyze() { vg tether-analyze "$@"; }
    tether-report() { vg tether-report "$@"; }
    tether-sample() { vg tether-sample "$@"; }
fi

# ok NAME: records a pass.
ok() { echo "ok - $1"; }
# fail NAME DETAIL...: records a failure.
fail() { echo "not ok - $1"; shift; printf '    %s\n' "$@"; }

# expect_eq NAME ACTUAL EXPECTED
expect_eq() {
    if [ "$2" == "$3" ]; then ok "$1"; else
        fail "$1" "expected: $3" "actual:   $2"; fi
}

# expect_match NAME TEXT REGEX (grep -E)
expect_match() {
    if printf '%s\n' "$2" | grep -Eq -- "$3"; then ok "$1"; else
        fail "$1" "expected to match: $3" "text: $2"; fi
}

# expect_no_match NAME TEXT REGEX
expect_no_match() {
    if printf '%s\n' "$2" | grep -Eq -- "$3"; then
        fail "$1" "expected not to match: $3" "text: $2"; else ok "$1"; fi
}

# run CMD...: runs a command, keeping its status in RC, stdout in OUT and
# stderr in ERR.
run() {
    "$@" >"$T/out" 2>"$T/err"
    RC=$?
    OUT=$(cat "$T/out")
    ERR=$(cat "$T/err")
}

# sql QUERY: the query's result from the test database.
sql() { sqlite3 -batch -noheader "$TETHER_DB" "$1"; }

# org_files N STARTED_ON: writes people.csv (people p1..p2N, every third
# remote, in UTC) and pairs.csv (pairs P1..PN, pi mentoring p(i+N), started
# on STARTED_ON) in the current folder.
org_files() {
    awk -v n="$1" 'BEGIN {
        print "person_id,name,email,work_mode,timezone,joined_on"
        for (i = 1; i <= 2 * n; i++)
            printf "p%d,Person %d,p%d@example.com,%s,UTC,2020-01-01\n", i, i,
                i, i % 3 ? "office" : "remote"
    }' >people.csv
    awk -v n="$1" -v s="$2" 'BEGIN {
        print "pair_id,program,mentor,mentee,started_on"
        for (i = 1; i <= n; i++)
            printf "P%d,Global,p%d,p%d,%s\n", i, i, i + n, s
    }' >pairs.csv
}
