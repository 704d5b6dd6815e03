#!/usr/bin/env bash
# Installs what building and testing Herald needs on a Debian bookworm machine of this kind.
# Idempotent: every step checks first and skips what is already there, so a second run is fast.
set -euo pipefail

log() { printf '[setup] %s\n' "$*"; }
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# 1. Debian packages: rustc-web (the wasm32-capable toolchain), lld for wasm linking, chromium for
#    browser tests, pkg-config/libssl for crates that want them, Go and Python to run the portal's
#    verification snippets against real deliveries in the tests, brotli to precompress the site.
APT_PKGS=(rustc-web cargo-web rust-web-src rust-web-llvm lld-22 rustfmt-web rust-web-clippy chromium python3-venv pkg-config libssl-dev golang-go brotli)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. A rustup toolchain named "web" pointing at Debian's rustc-web (>= 1.96, can target wasm32).
if ! rustup toolchain list | grep -q '^web'; then
  log "rustup toolchain link web /usr"
  rustup toolchain link web /usr
fi

export PATH="$HOME/.cargo/bin:$PATH"

# Steps 3 to 5: the front-end tool chain that scripts/build-site.sh uses. cargo-leptos is not
# needed: scripts/build-site.sh says why.

# 3. std for wasm32-unknown-unknown, built once into Debian's sysroot.
if ! ls /usr/lib/rustlib/wasm32-unknown-unknown/lib/libstd-*.rlib >/dev/null 2>&1; then
  log "building wasm32 std into /usr/lib/rustlib"
  here=$(cd "$(dirname "$0")" && pwd)
  $SUDO sh "$here/build-wasm32-sysroot.sh"
fi

# 4. wasm-bindgen CLI, pinned to the wasm-bindgen crate version in Cargo.lock.
WB_VERSION=0.2.130
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WB_VERSION"; then
  log "cargo install wasm-bindgen-cli $WB_VERSION"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

# 5. wasm-opt from npm (Debian's binaryen is too old and breaks hydration).
if ! wasm-opt --version 2>/dev/null | grep -q "version 132"; then
  log "npm install -g binaryen@132.0.0"
  npm install -g --silent binaryen@132.0.0
fi

# 6. PostgreSQL must be up for the PostgreSQL half of the test suite.
if command -v pg_ctlcluster >/dev/null 2>&1; then
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    log "starting PostgreSQL"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
fi

log "ok"
