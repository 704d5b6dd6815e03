#!/usr/bin/env bash
# Compatibility test against the official `svix` Python SDK 2.9.1 (tests/sdk/test_svix_sdk.py).
#
# Builds target/debug/herald, then for each backend (SQLite, then PostgreSQL) starts
# `herald serve` on a free local port with a fresh database and runs the pytest suite against it.
# Both backends must pass. Non-interactive and idempotent: the venv (.venv-sdk) and the pip
# packages are only installed when missing, so a second run is fast.
#
# Environment (all optional):
#   SDK_TEST_PG_BASE   PostgreSQL server URL without a database name
#                      (default postgres://postgres@127.0.0.1:5432)
#   SDK_TEST_BACKENDS  which backends to run, space separated (default "sqlite postgres")
#   PYTEST_ARGS        extra pytest arguments, e.g. "-x -k endpoint"
#   SDK_TEST_SKIP_BUILD=1  use the existing target/debug/herald without running cargo build
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '[sdk-test] %s\n' "$*"; }

SVIX_VERSION=2.9.1
VENV="$ROOT/.venv-sdk"
PY="$VENV/bin/python"
PG_BASE=${SDK_TEST_PG_BASE:-postgres://postgres@127.0.0.1:5432}
BACKENDS=${SDK_TEST_BACKENDS:-sqlite postgres}

# 1. The Python environment: only created / installed when missing or at the wrong version.
if [ ! -x "$PY" ]; then
  log "creating $VENV"
  python3 -m venv "$VENV"
fi
if ! "$PY" - "$SVIX_VERSION" >/dev/null 2>&1 <<'EOF'
import sys, importlib.metadata as m
assert m.version("svix") == sys.argv[1]
m.version("pytest")
EOF
then
  log "pip install svix==$SVIX_VERSION pytest"
  "$PY" -m pip install -q --disable-pip-version-check "svix==$SVIX_VERSION" pytest
fi

# 2. The server binary.
if [ "${SDK_TEST_SKIP_BUILD:-0}" = 1 ]; then
  log "SDK_TEST_SKIP_BUILD=1: using the existing binary"
else
  log "cargo build -p herald"
  cargo build -q -p herald
fi
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/herald"
[ -x "$BIN" ] || { log "no binary at $BIN"; exit 1; }

# 3. Bookkeeping for the exit trap: the running server, temp dirs, the PostgreSQL databases.
SERVER_PID=""
TMPDIRS=()
PG_DBS=()

stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}

cleanup() {
  stop_server
  for db in "${PG_DBS[@]+"${PG_DBS[@]}"}"; do
    psql "$PG_BASE/postgres" -qX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
  done
  for d in "${TMPDIRS[@]+"${TMPDIRS[@]}"}"; do rm -rf "$d"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

http_status() {
  "$PY" - "$1" <<'EOF'
import sys, urllib.request, urllib.error
try:
    with urllib.request.urlopen(sys.argv[1], timeout=2) as r:
        print(r.status)
except urllib.error.HTTPError as e:
    print(e.code)
except Exception:
    print(0)
EOF
}

# run_suite NAME DATABASE_URL TMPDIR: start the server, wait for health, run pytest; returns pytest's code.
run_suite() {
  local name=$1 db_url=$2 tmp=$3
  local port key url status rc
  port=$(free_port)
  key="sk_sdk_test_$("$PY" -c 'import secrets; print(secrets.token_hex(20))')"
  url="http://127.0.0.1:$port"

  log "[$name] starting herald on $url"
  # Run from the temp dir so that a developer's ./herald.toml does not leak into the test.
  (
    cd "$tmp"
    exec env \
      HERALD_BIND="127.0.0.1:$port" \
      HERALD_DATABASE_URL="$db_url" \
      HERALD_DATA_DIR="$tmp" \
      HERALD_ALLOW_PRIVATE_NETWORKS=true \
      HERALD_BOOTSTRAP_API_KEY="$key" \
      HERALD_RETRY_SCHEDULE=200ms,400ms \
      "$BIN" serve
  ) >"$tmp/server.log" 2>&1 &
  SERVER_PID=$!

  status=0
  for _ in $(seq 1 300); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      log "[$name] herald exited before becoming healthy; its log:"
      cat "$tmp/server.log" >&2
      SERVER_PID=""
      return 1
    fi
    status=$(http_status "$url/api/v1/health")
    [ "$status" = "204" ] && break
    sleep 0.1
  done
  if [ "$status" != "204" ]; then
    log "[$name] GET /api/v1/health never answered 204 (last: $status); server log:"
    tail -50 "$tmp/server.log" >&2
    return 1
  fi

  log "[$name] running pytest tests/sdk"
  rc=0
  # shellcheck disable=SC2086
  SVIX_TEST_SERVER_URL="$url" SVIX_TEST_TOKEN="$key" SVIX_TEST_BACKEND="$name" \
    "$PY" -m pytest -q -p no:cacheprovider tests/sdk ${PYTEST_ARGS:-} || rc=$?
  if [ "$rc" != 0 ]; then
    log "[$name] pytest failed ($rc); last lines of the server log:"
    tail -40 "$tmp/server.log" >&2
  fi
  stop_server
  return "$rc"
}

final=0
for backend in $BACKENDS; do
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/herald-sdk.XXXXXX")
  TMPDIRS+=("$tmp")
  case "$backend" in
    sqlite)
      db_url="sqlite://$tmp/sdk.db"
      ;;
    postgres)
      db="herald_sdk_$(date +%s)_$$_$RANDOM"
      if ! psql "$PG_BASE/postgres" -qX -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$db\"" >/dev/null; then
        log "[postgres] cannot create a database on $PG_BASE (is PostgreSQL running?)"
        final=1
        continue
      fi
      PG_DBS+=("$db")
      db_url="$PG_BASE/$db"
      ;;
    *) log "unknown backend '$backend'"; exit 2 ;;
  esac
  rc=0
  run_suite "$backend" "$db_url" "$tmp" || rc=$?
  if [ "$rc" = 0 ]; then log "[$backend] passed"; else log "[$backend] FAILED ($rc)"; fi
  [ "$final" = 0 ] && final=$rc
done
exit "$final"
