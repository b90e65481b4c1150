#!/usr/bin/env bash
# Installs what building and testing Fleetdesk needs, skipping whatever is already there:
# the wasm target, the wasm-bindgen CLI matching Cargo.lock, and with
#   --release   binaryen's wasm-opt from npm (Debian's wasm-opt breaks release wasm)
#   --e2e       Debian's Chromium, the end2end node packages and, in Python venvs under
#               .tools/, the OpenID provider the single sign-on spec signs in through and
#               moto, the AWS mock the Rust multi-account tests run against; Debian's
#               PostgreSQL server programs (the tests start a throwaway cluster with
#               scripts/postgres.sh; nothing is started or enabled as a service).
# Safe to run again; each step checks first. See docs/toolchain.md for why.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

want_release=false
want_e2e=false
for arg in "$@"; do
  case "$arg" in
    --release) want_release=true ;;
    --e2e) want_e2e=true ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs PyPI package $1 at version $2 (with extras $3, if given) into the venv
# .tools/$1, unless that version is there already.
python_tool() {
  local venv="$TOOLS/$1" requirement="$1${3:+[$3]}==$2"
  if [ "$("$venv/bin/python" -c "import importlib.metadata as m; print(m.version('$1'))" 2>/dev/null)" != "$2" ]; then
    say "installing $requirement (PyPI) into .tools/"
    if ! python3 -m venv "$venv"; then
      as_root apt-get update
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv
      python3 -m venv "$venv"
    fi
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$requirement"
  fi
}

# 1. The wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. The wasm-bindgen CLI, which scripts/build-site.sh runs, must match the wasm-bindgen
#    crate in Cargo.lock exactly. (cargo-leptos is not needed: see docs/toolchain.md.)
wb_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
  say "installing wasm-bindgen-cli $wb_version"
  # Only the `wasm-bindgen` binary, without the TLS client its test runner downloads
  # browsers with: about 2 minutes instead of 3.
  only_bindgen=(--no-default-features --bin wasm-bindgen)
  if ! cargo install wasm-bindgen-cli --version "$wb_version" --locked --force "${only_bindgen[@]}"; then
    # Its lock file pins a webpki-roots release the registry no longer serves: build
    # from the downloaded source with that one dependency moved back.
    src="$(ls -d "$HOME"/.cargo/registry/src/*/wasm-bindgen-cli-"$wb_version" | head -n 1)"
    scratch="$(mktemp -d)"
    cp -r "$src/." "$scratch"
    (cd "$scratch" && cargo update -p webpki-roots --precise 1.0.10 && cargo install --path . --locked --force "${only_bindgen[@]}")
    rm -rf "$scratch"
  fi
fi

# 3. Release builds run wasm-opt; use npm's binaryen, never Debian's.
if $want_release && [ ! -x "$TOOLS/binaryen/node_modules/.bin/wasm-opt" ]; then
  say "installing binaryen 132 (wasm-opt) from npm into .tools/"
  npm install --prefix "$TOOLS/binaryen" --no-audit --no-fund binaryen@132.0.0
fi

# 4. Browser and mock-AWS tests: Debian's Chromium, the Playwright package and two
#    Python tools.
if $want_e2e; then
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Chromium from Debian"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
  fi
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    say "installing PostgreSQL from Debian"
    as_root apt-get update
    # A policy-rc.d that says no keeps the package from starting a cluster of its own
    # as a service during the install; the tests start theirs.
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql || {
      as_root rm -f /usr/sbin/policy-rc.d
      exit 1
    }
    as_root rm -f /usr/sbin/policy-rc.d
  fi
  if [ ! -x "$ROOT/end2end/node_modules/.bin/playwright" ]; then
    say "installing the end2end node packages"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund)
  fi
  # A real OpenID provider on 127.0.0.1 for end2end/tests/sso.spec.ts: it lets the test
  # pick the user (and so the groups) on its authorization page. Pinned: the spec relies
  # on that page.
  python_tool oidc-provider-mock 0.3.4
  # moto's server on 127.0.0.1 for the Rust tests that reach WorkSpaces in two accounts
  # through STS AssumeRole (seeded by server/tests/it/moto_seed.py). Pinned: the tests
  # rely on what this release implements.
  python_tool moto 5.2.5 server
fi
