#!/usr/bin/env bash
# Sets up whatever is missing, then runs every test: the Rust unit and integration tests
# of both crates, then the Playwright browser tests (hydrated and with JavaScript off)
# against a debug build of the demo server.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/setup.sh" --e2e
export PATH="$HOME/.cargo/bin:$PATH"

echo "==> Rust tests"
# Per package: building the workspace at once would unify the ssr and hydrate features.
cargo test -p app --features ssr
cargo test -p server

echo "==> browser tests"
cargo leptos build
(cd end2end && npx playwright test)
