#!/usr/bin/env bash
# Builds Fleetdesk without cargo-leptos, the way the Leptos maintainers describe: the
# hydrate library for wasm32 with cargo, its JavaScript glue with the wasm-bindgen CLI,
# the stylesheet and public files copied, all into target/site; then the server.
#
#   scripts/build-site.sh            debug build (tests): target/debug/fleetdesk
#   scripts/build-site.sh --release  release build: size-optimised wasm (wasm-release
#                                    profile, then wasm-opt) and target/release/fleetdesk
#
# Needs the wasm32 target, the wasm-bindgen CLI matching Cargo.lock and, for --release,
# npm's binaryen (scripts/setup.sh installs them). `cargo leptos build` still works for
# whoever has cargo-leptos and produces the same site.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/.tools/binaryen/node_modules/.bin:$HOME/.cargo/bin:$PATH"

release=false
for arg in "$@"; do
  case "$arg" in
    --release) release=true ;;
    *) echo "build-site.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

site="$ROOT/target/site"
pkg="$site/pkg"
if $release; then
  wasm_profile=wasm-release
  server_args=(--release)
else
  wasm_profile=dev
  server_args=()
fi
wasm_dir="$( [ "$wasm_profile" = dev ] && echo debug || echo "$wasm_profile" )"

echo "==> wasm ($wasm_profile)"
cargo build -p frontend --lib --target wasm32-unknown-unknown --profile "$wasm_profile"

echo "==> wasm-bindgen"
rm -rf "$pkg.new"
mkdir -p "$pkg.new"
wasm-bindgen "$ROOT/target/wasm32-unknown-unknown/$wasm_dir/frontend.wasm" \
  --target web --no-typescript --out-dir "$pkg.new" --out-name fleetdesk
# Leptos loads /pkg/<output-name>.wasm (cargo-leptos renames the file the same way).
mv "$pkg.new/fleetdesk_bg.wasm" "$pkg.new/fleetdesk.wasm"
if $release; then
  echo "==> wasm-opt"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$pkg.new/fleetdesk.wasm" -o "$pkg.new/fleetdesk.opt.wasm"
  mv "$pkg.new/fleetdesk.opt.wasm" "$pkg.new/fleetdesk.wasm"
fi
cp "$ROOT/style/main.css" "$pkg.new/fleetdesk.css"

# Content hashes in the file names, so browsers may cache them for good; the server
# binary reads the names from hash.txt beside it, as Leptos (and cargo-leptos'
# hash-files) does.
hashes=""
for kind in js wasm css; do
  hash="$(sha256sum "$pkg.new/fleetdesk.$kind" | cut -c1-20)"
  mv "$pkg.new/fleetdesk.$kind" "$pkg.new/fleetdesk.$hash.$kind"
  hashes+="$kind: $hash"$'\n'
done
if $release; then
  echo "==> precompress (brotli, gzip)"
  node "$ROOT/scripts/compress.mjs" "$pkg.new"/fleetdesk.*.{js,wasm,css}
fi
mkdir -p "$site"
cp -r "$ROOT/public/." "$site/"
rm -rf "$pkg"
mv "$pkg.new" "$pkg"

echo "==> server"
cargo build -p server --bin fleetdesk "${server_args[@]}"
bin_dir="$ROOT/target/$( $release && echo release || echo debug )"
printf '%s' "$hashes" > "$bin_dir/hash.txt"
