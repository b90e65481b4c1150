#!/usr/bin/env bash
# Sets up, builds and starts Fleetdesk. Without AWS credentials in the environment or in
# ~/.aws, it serves the built-in demo fleet on http://127.0.0.1:3000.
#
# The browser gets the size-optimised wasm; the server is the debug build, which compiles
# in about a third of a release build's time (and is the one scripts/test.sh uses). For
# deployments build the release folder with scripts/release.sh.
# Extra arguments go to `fleetdesk serve`, e.g. `scripts/demo.sh --addr 0.0.0.0:8080`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/setup.sh" --release
export PATH="$ROOT/.tools/binaryen/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

"$ROOT/scripts/build-site.sh" --wasm-release

has_aws_credentials() {
  [ -n "${AWS_ACCESS_KEY_ID:-}" ] || [ -n "${AWS_PROFILE:-}" ] || [ -n "${AWS_WEB_IDENTITY_TOKEN_FILE:-}" ] \
    || [ -f "$HOME/.aws/credentials" ] || [ -f "$HOME/.aws/config" ]
}

asks_for_demo() {
  for arg in "$@"; do [ "$arg" = "--demo" ] && return 0; done
  [ "${FLEETDESK_DEMO:-}" = "1" ] || [ "${FLEETDESK_DEMO:-}" = "true" ]
}

if asks_for_demo "$@" || has_aws_credentials || [ -n "${FLEETDESK_REGIONS:-}" ]; then
  exec "$ROOT/target/debug/fleetdesk" serve "$@"
else
  echo "No AWS credentials found: starting the demo fleet."
  exec "$ROOT/target/debug/fleetdesk" serve --demo "$@"
fi
