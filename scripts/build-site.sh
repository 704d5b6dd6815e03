#!/usr/bin/env bash
# Builds the portal's browser half into the site folder `herald serve` reads (HERALD_SITE_ROOT,
# default target/site):
#   pkg/herald.js, pkg/herald.wasm      the hydrating front end (crate herald-frontend)
#   pkg/herald.css                      style/main.css
#   favicon.*                           public/
#
# These are the four steps cargo-leptos would run. We run them ourselves because installing
# cargo-leptos compiles about 500 crates (18 minutes on a fresh 2-core machine), which CI would pay
# on every clean run for no difference in what is served. The file names are the ones leptos'
# HydrationScripts links to: .cargo/config.toml sets LEPTOS_OUTPUT_NAME=herald at compile time,
# which makes it ask for `herald.wasm` rather than wasm-bindgen's `herald_bg.wasm`.
#
# Usage: scripts/build-site.sh [--debug]   (release by default: wasm-release profile + wasm-opt)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '[build-site] %s\n' "$*"; }

profile=wasm-release
if [ "${1:-}" = "--debug" ]; then profile=dev; fi
out_dir=$profile
if [ "$profile" = dev ]; then out_dir=debug; fi

site=${HERALD_SITE_ROOT:-target/site}
target=wasm32-unknown-unknown

for tool in wasm-bindgen wasm-opt; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/setup.sh --web" >&2; exit 1; }
done

log "cargo build -p herald-frontend --target $target --profile $profile"
cargo build -p herald-frontend --lib --target "$target" --profile "$profile"

# Staged beside the site and swapped in at the end, so a running server never serves a .js from
# one build with the .wasm of another.
mkdir -p "$(dirname "$site")"
stage=$(mktemp -d "$(dirname "$site")/.site.XXXXXX")
trap 'rm -rf "$stage"' EXIT
chmod 755 "$stage"
mkdir -p "$stage/pkg"

log "wasm-bindgen"
wasm-bindgen "target/$target/$out_dir/herald_frontend.wasm" \
  --target web --no-typescript --out-dir "$stage/pkg" --out-name herald

if [ "$profile" = wasm-release ]; then
  log "wasm-opt -Oz"
  # The features rustc enables by default for wasm32-unknown-unknown; wasm-opt must not strip
  # or reject them.
  wasm-opt -Oz \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    -o "$stage/pkg/herald_bg.opt.wasm" "$stage/pkg/herald_bg.wasm"
  mv "$stage/pkg/herald_bg.opt.wasm" "$stage/pkg/herald_bg.wasm"
fi

mv "$stage/pkg/herald_bg.wasm" "$stage/pkg/herald.wasm"
cp style/main.css "$stage/pkg/herald.css"
cp -R public/. "$stage/"

rm -rf "$site.old"
if [ -d "$site" ]; then mv "$site" "$site.old"; fi
mv "$stage" "$site"
trap - EXIT
rm -rf "$site.old"
log "site ready in $site ($(du -h "$site/pkg/herald.wasm" | cut -f1) of wasm)"
