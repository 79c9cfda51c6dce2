#!/usr/bin/env bash
# deps.sh - installs the Debian packages tether needs, when some are missing.
# As root it runs apt-get; otherwise it prints the command to run.
set -eu
missing=()
for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
        missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "deps: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
    echo "deps: missing Debian packages; run:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
