#!/usr/bin/env bash
# The multi-account server of the Playwright tests (end2end/tests/accounts.spec.ts):
# waits for the moto server Playwright started on MOTO_PORT, seeds two AWS accounts in it
# through assumed roles (prod 111111111111 with 3 WorkSpaces, dev 222222222222 with 2),
# creates the spec's users (admin; dev-viewer, limited to dev), then serves Fleetdesk over
# both accounts on PORT with single sign-on through the test OpenID provider, whose
# fd-dev group opens the dev account only.
#
# Usage: scripts/e2e-accounts.sh PORT MOTO_PORT PROVIDER_PORT PASSWORD
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="$1" moto_port="$2" provider_port="$3" password="$4"
endpoint="http://127.0.0.1:$moto_port"
data_dir="$(mktemp -d "${TMPDIR:-/tmp}/fleetdesk-e2e-accounts-XXXXXX")"
binary="$ROOT/target/debug/fleetdesk"

for _ in $(seq 200); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$moto_port") 2>/dev/null; then break; fi
  sleep 0.1
done
"$ROOT/.tools/moto/bin/python" "$ROOT/server/tests/it/moto_seed.py" "$endpoint" \
  111111111111:3 222222222222:2 >"$data_dir/seeded.json"

cat >"$data_dir/accounts.toml" <<TOML
[[account]]
name = "prod"
role_arn = "arn:aws:iam::111111111111:role/fleetdesk-e2e"

[[account]]
name = "dev"
role_arn = "arn:aws:iam::222222222222:role/fleetdesk-e2e"
TOML

# The SDK talks to moto for STS and WorkSpaces alike, with moto's test keys; no host
# profile or instance metadata may interfere, and moto's HTTP 500 for the operations it
# lacks is not retried.
export AWS_ENDPOINT_URL="$endpoint" AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=testing \
  AWS_SECRET_ACCESS_KEY=testing AWS_MAX_ATTEMPTS=1 AWS_EC2_METADATA_DISABLED=true \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export FLEETDESK_ACCOUNTS="$data_dir/accounts.toml" FLEETDESK_DATA_DIR="$data_dir" \
  FLEETDESK_REGIONS=us-east-1

echo "$password" | "$binary" user add admin --role admin --password-stdin
echo "$password" | "$binary" user add dev-viewer --role viewer --password-stdin
"$binary" user set-accounts dev-viewer dev

export FLEETDESK_OIDC_ISSUER="http://127.0.0.1:$provider_port" \
  FLEETDESK_OIDC_CLIENT_ID=fleetdesk-e2e-accounts FLEETDESK_OIDC_CLIENT_SECRET=e2e-client-secret \
  FLEETDESK_OIDC_VIEWER_GROUPS=fd-viewers FLEETDESK_OIDC_ACCOUNT_GROUPS=fd-dev=dev \
  FLEETDESK_OIDC_PROVIDER_NAME="Test IdP"
exec "$binary" serve --addr "127.0.0.1:$port" --insecure-cookies
