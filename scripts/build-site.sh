#!/usr/bin/env bash
# Builds Fleetdesk without cargo-leptos, the way the Leptos maintainers describe: the
# hydrate library for wasm32 with cargo, its JavaScript glue with the wasm-bindgen CLI,
# the stylesheet and public files copied, all into target/site; then the server.
#
#   scripts/build-site.sh                 debug wasm and server (tests):
#                                         target/debug/fleetdesk
#   scripts/build-site.sh --wasm-release  size-optimised wasm (wasm-release profile, then
#                                         wasm-opt, brotli and gzip copies) with the debug
#                                         server: what scripts/demo.sh serves, built in
#                                         about a third of a release server's time
#   scripts/build-site.sh --release       size-optimised wasm and target/release/fleetdesk
#                                         (deployments, benchmarks, scripts/release.sh)
#
# With an optimised wasm, the server compiles alongside it (the wasm then builds in
# target/wasm, since cargo locks a target folder per build; the wasm-release profile shares
# nothing with the server's builds anyway). Needs the wasm32 target, the wasm-bindgen CLI
# matching Cargo.lock and, for the optimised wasm, npm's binaryen (scripts/setup.sh
# installs them). `cargo leptos build` still works for whoever has cargo-leptos and
# produces the same site.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/.tools/binaryen/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

wasm_release=false
server_release=false
for arg in "$@"; do
  case "$arg" in
    --wasm-release) wasm_release=true ;;
    --release) wasm_release=true; server_release=true ;;
    *) echo "build-site.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

site="$ROOT/target/site"
pkg="$site/pkg"
if $server_release; then
  server_profile=release
  server_args=(--release)
else
  server_profile=debug
  server_args=()
fi
bin_dir="$ROOT/target/$server_profile"

build_server() {
  cargo build -p server --bin fleetdesk "${server_args[@]}"
}

if $wasm_release; then
  wasm_profile=wasm-release
  wasm_dir=wasm-release
  wasm_target_dir="$ROOT/target/wasm"
  server_log="$ROOT/target/build-server.log"
  mkdir -p "$ROOT/target"
  echo "==> server ($server_profile, alongside the wasm; log: $server_log)"
  build_server > "$server_log" 2>&1 &
  server_pid=$!
  trap 'kill "$server_pid" 2>/dev/null || true' EXIT
else
  wasm_profile=dev
  wasm_dir=debug
  wasm_target_dir="$ROOT/target"
fi

echo "==> wasm ($wasm_profile)"
cargo build -p frontend --lib --target wasm32-unknown-unknown --profile "$wasm_profile" \
  --target-dir "$wasm_target_dir"

echo "==> wasm-bindgen"
rm -rf "$pkg.new"
mkdir -p "$pkg.new"
wasm-bindgen "$wasm_target_dir/wasm32-unknown-unknown/$wasm_dir/frontend.wasm" \
  --target web --no-typescript --out-dir "$pkg.new" --out-name fleetdesk
# Leptos loads /pkg/<output-name>.wasm (cargo-leptos renames the file the same way).
mv "$pkg.new/fleetdesk_bg.wasm" "$pkg.new/fleetdesk.wasm"
if $wasm_release; then
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
if $wasm_release; then
  echo "==> precompress (brotli, gzip)"
  node "$ROOT/scripts/compress.mjs" "$pkg.new"/fleetdesk.*.{js,wasm,css}
fi
mkdir -p "$site"
cp -r "$ROOT/public/." "$site/"
rm -rf "$pkg"
mv "$pkg.new" "$pkg"

if $wasm_release; then
  echo "==> waiting for the server build"
  if ! wait "$server_pid"; then
    tail -n 40 "$server_log" >&2
    echo "build-site.sh: the server build failed (whole log: $server_log)" >&2
    exit 1
  fi
  trap - EXIT
  grep -h "Finished" "$server_log" || true
else
  echo "==> server"
  build_server
fi
printf '%s' "$hashes" > "$bin_dir/hash.txt"
