#!/usr/bin/env bash
# fresh-machine.sh - shows that `make demo` and `make check` work on a machine
# where the libraries are installed by their own first step: in a copy of the
# committed tree, pkg-config fails (as it does before apt-get has run) until
# `make deps` has "installed" the packages by creating a marker. A Makefile
# that asked pkg-config while it was being read would compile without the
# cairo and pango flags and fail on report/report.h.
set -euo pipefail
cd "$(dirname "$0")/.."
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
git archive HEAD | tar -x -C "$T"
cat >"$T/pkg-config" <<SH
#!/bin/sh
[ -e "$T/installed" ] || exit 1
exec pkg-config "\$@"
SH
chmod +x "$T/pkg-config"
# The same two steps as `make demo`: deps, then the programs.
make -C "$T" -s PKG_CONFIG="$T/pkg-config" DEPS="touch $T/installed" deps
make -C "$T" -s -j2 PKG_CONFIG="$T/pkg-config" bin/tether-report >/dev/null
[ -x "$T/bin/tether-report" ]
echo "fresh-machine: bin/tether-report built after make deps, with pkg-config failing before it"
