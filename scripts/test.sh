#!/usr/bin/env bash
# Sets up whatever is missing, then runs every test: the Rust unit and integration tests
# of both crates, a short load check, then the Playwright browser tests (hydrated and
# with JavaScript off) against a debug build of the demo server.
#
# Every test binary runs under a time limit (TEST_BINARY_MINUTES, default 15), so a test
# that hangs fails the run with the binary's name instead of running into CI's limit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/setup.sh" --e2e
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
limit="${TEST_BINARY_MINUTES:-15}m"

# Runs one command under the time limit; on a timeout says which binary hung.
run_limited() {
  local name="$1"
  shift
  local status=0
  timeout --kill-after=10 "$limit" "$@" || status=$?
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "FAILED: $name did not finish within $limit (killed: a test hangs)" >&2
    exit 1
  elif [ "$status" -ne 0 ]; then
    echo "FAILED: $name (exit $status)" >&2
    exit "$status"
  fi
}

# Builds a package's tests, then runs each of its test binaries from the package's
# folder (as `cargo test` does) under the time limit. Building per package: building the
# workspace at once would unify the ssr and hydrate features.
run_package_tests() {
  local package="$1"
  shift
  local binaries
  binaries="$(cargo test -p "$package" "$@" --no-run --message-format=json \
    | grep '"profile":{[^}]*"test":true' \
    | grep -o '"executable":"[^"]*"' | cut -d'"' -f4)"
  for binary in $binaries; do
    echo "==> $package: $(basename "$binary")"
    (cd "$ROOT/$package" && run_limited "$package test binary $(basename "$binary")" "$binary")
  done
}

echo "==> Rust tests"
run_package_tests app --features ssr
run_package_tests server

# The server's integration tests once more on PostgreSQL: a throwaway cluster on a free
# loopback port, one database per test (see server/tests/it/common.rs).
echo "==> Rust integration tests on PostgreSQL"
pg_root="$(mktemp -d)"
pg_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
trap '"$ROOT/scripts/postgres.sh" stop "$pg_root/cluster" || true; rm -rf "$pg_root"' EXIT
FLEETDESK_TEST_POSTGRES="$("$ROOT/scripts/postgres.sh" start "$pg_root/cluster" "$pg_port")"
export FLEETDESK_TEST_POSTGRES
run_package_tests server --test it
unset FLEETDESK_TEST_POSTGRES

# The load check: 20 signed-in users for 10 s over every busy page during a sync, on a
# debug build (figures for docs/performance.md come from the release run, see there).
# Fails on any failed request.
echo "==> load check"
FLEETDESK_LOAD_FLEET=5000 FLEETDESK_LOAD_USERS=20 FLEETDESK_LOAD_SECONDS=10 \
  run_limited "the load check" cargo bench --profile dev -p server --bench load

echo "==> browser tests"
"$ROOT/scripts/build-site.sh"
(cd end2end && run_limited "the Playwright tests" npx playwright test)
