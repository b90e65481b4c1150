#!/usr/bin/env bash
# Builds the release folder: the `fleetdesk` binary with its site next to it, ready to copy
# to a server and run (`./fleetdesk serve`), and the same folder as a .tar.gz.
#
#   scripts/release.sh [OUT_DIR]     default OUT_DIR: target/dist
#
# Layout of OUT_DIR/fleetdesk/:
#   fleetdesk    the server, stripped (finds ./site and ./hash.txt beside itself)
#   hash.txt     the content hashes in the static files' names
#   site/        favicon and pkg/ (wasm, JavaScript, stylesheet; each also .br and .gz)
# The Dockerfile runs this script in its build stage.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$ROOT/target/dist}"
"$ROOT/scripts/setup.sh" --release
"$ROOT/scripts/build-site.sh" --release

folder="$out/fleetdesk"
rm -rf "$folder"
mkdir -p "$folder"
cp "$ROOT/target/release/fleetdesk" "$ROOT/target/release/hash.txt" "$folder/"
# Half the binary is its symbol table (Leptos' view types have very long names): 138 MB
# becomes 70 MB. Panics still name their file and line.
strip "$folder/fleetdesk"
cp -r "$ROOT/target/site" "$folder/site"
tar -C "$out" -czf "$out/fleetdesk.tar.gz" fleetdesk
echo "release folder: $folder ($(du -sh "$folder" | cut -f1)); archive: $out/fleetdesk.tar.gz"
