#!/usr/bin/env bash
# Runs the server's integration tests N times in a row, each run under a timeout, and
# prints how many runs passed, failed and hung. A hang is a run that the timeout killed.
# Used to prove that the tests do not hang when several of them run at once in one process
# (as `cargo test` runs them).
#
#   scripts/soak-tests.sh [N] [FILTER]        N defaults to 200; FILTER is a test name filter,
#                                              e.g. `http::` for the page-rendering tests
#   SOAK_RUN_TIMEOUT=120 scripts/soak-tests.sh  seconds one run may take (default 120)
#
# Logs of failed and hung runs are kept in target/soak/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

runs="${1:-200}"
filter="${2:-}"
per_run="${SOAK_RUN_TIMEOUT:-120}"

# Build once; run the binary itself so that each run measures the tests, not cargo.
binary="$(cargo test -p server --test it --no-run --message-format=json 2>/dev/null \
  | grep '"profile":{[^}]*"test":true' \
  | grep -o '"executable":"[^"]*"' | cut -d'"' -f4 | tail -n 1)"
if [ -z "$binary" ] || [ ! -x "$binary" ]; then
  echo "soak-tests.sh: could not build the integration test binary" >&2
  exit 2
fi

logs="$ROOT/target/soak"
mkdir -p "$logs"
# A copy, so that builds made meanwhile do not replace the binary under the runs.
cp "$binary" "$logs/it"
binary="$logs/it"
passed=0
failed=0
hung=0
for run in $(seq 1 "$runs"); do
  log="$logs/run-$run.log"
  set +e
  (cd "$ROOT/server" && timeout --kill-after=5 "$per_run" "$binary" $filter >"$log" 2>&1)
  status=$?
  set -e
  case "$status" in
    0) passed=$((passed + 1)); rm -f "$log" ;;
    124 | 137) hung=$((hung + 1)); echo "run $run: HUNG (killed after ${per_run}s), log in $log" ;;
    *) failed=$((failed + 1)); echo "run $run: FAILED (exit $status), log in $log" ;;
  esac
  if [ $((run % 10)) -eq 0 ]; then
    echo "after $run runs: $passed passed, $failed failed, $hung hung"
  fi
done
echo "$runs runs${filter:+ of '$filter'}: $passed passed, $failed failed, $hung hung"
[ "$failed" -eq 0 ] && [ "$hung" -eq 0 ]
