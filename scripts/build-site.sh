#!/usr/bin/env bash
# Builds the portal's browser half into the site folder `herald serve` reads (HERALD_SITE_ROOT,
# default target/site):
#   pkg/herald.js, pkg/herald.wasm      the hydrating front end (crate herald-frontend)
#   pkg/herald.css                      style/main.css
#   favicon.*                           public/
#   pkg/herald.<hash>.*, hash.txt       the names the pages link to, precompressed (.br, .gz)
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

for tool in wasm-bindgen wasm-opt brotli; do
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

# Content-hashed copies (herald.<hash>.{js,wasm,css}) that the pages link to, so a browser may
# keep them for a year and a new build is fetched at once; hash.txt says which (leptos'
# HydrationScripts reads its js and wasm lines, the shell its css line). The plain names stay
# for anything that asks for them by name.
: > "$stage/hash.txt"
for ext in js wasm css; do
  h=$(sha256sum "$stage/pkg/herald.$ext" | cut -c1-16)
  cp "$stage/pkg/herald.$ext" "$stage/pkg/herald.$h.$ext"
  echo "$ext: $h" >> "$stage/hash.txt"
done

# Precompressed beside each asset: the server sends herald.<hash>.wasm.br to a browser that
# accepts brotli, .gz to one that accepts gzip, with Content-Encoding, and never compresses
# them per request.
if [ "$profile" = wasm-release ]; then
  log "brotli and gzip"
  for f in "$stage"/pkg/herald.*.js "$stage"/pkg/herald.*.wasm "$stage"/pkg/herald.*.css "$stage"/*.svg; do
    [ -f "$f" ] || continue
    brotli -q 11 -f -o "$f.br" "$f"
    gzip -9 -n -k -f "$f"
  done
fi

rm -rf "$site.old"
if [ -d "$site" ]; then mv "$site" "$site.old"; fi
mv "$stage" "$site"
trap - EXIT
rm -rf "$site.old"
br=$(ls "$site"/pkg/herald.*.wasm.br 2>/dev/null | head -n1 || true)
log "site ready in $site ($(du -h "$site/pkg/herald.wasm" | cut -f1) of wasm${br:+, $(du -h "$br" | cut -f1) with brotli})"
