#!/usr/bin/env bash
# Runs the browser tests: installs the node modules when they are missing or older than
# package-lock.json, then `npm test`. Its exit code is the tests'. Needs no input.
# HERALD_BIN picks the binary (default: ../target/release/herald, else ../target/debug/herald).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund </dev/null
fi

exec npm test </dev/null
