#!/usr/bin/env bash
# Time to interactive of the fleet and WorkSpace pages in Chromium on loopback: builds
# the release site, starts the demo server on a free port and measures with
# end2end/tti.mjs (median of 15 warm loads each), with the bytes each load moved.
# Prints the wasm's size, raw and precompressed, too.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/setup.sh" --release --e2e
# scripts/build-site.sh runs wasm-opt from .tools (npm's binaryen: Debian's breaks the wasm).
export PATH="$ROOT/.tools/binaryen/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
"$ROOT/scripts/build-site.sh" --release

wasm="$(ls "$ROOT"/target/site/pkg/fleetdesk.*.wasm)"
echo "wasm: $(stat -c %s "$wasm") bytes, $(stat -c %s "$wasm.br") brotli, $(stat -c %s "$wasm.gz") gzip -9 (served precompressed)"

port="${FLEETDESK_TTI_PORT:-3399}"
data_dir="$(mktemp -d)"
password="tti-demo-password"
FLEETDESK_DEMO_PASSWORD="$password" "$ROOT/target/release/fleetdesk" serve --demo \
  --addr "127.0.0.1:$port" --data-dir "$data_dir" >"$data_dir/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$data_dir"' EXIT
for _ in $(seq 300); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.1
done
id="$(curl -s -c "$data_dir/jar" -o /dev/null -d "username=admin&password=$password&next=%2F" \
  "http://127.0.0.1:$port/api/auth/login" && curl -s -b "$data_dir/jar" \
  "http://127.0.0.1:$port/fleet.csv" | sed -n 2p | cut -d'"' -f2)"
cd end2end
node tti.mjs "http://127.0.0.1:$port" admin "$password" / 15
node tti.mjs "http://127.0.0.1:$port" admin "$password" "/workspaces/$id" 15
