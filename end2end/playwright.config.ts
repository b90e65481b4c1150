// Playwright runs every spec twice: once hydrated (JavaScript on) and once with
// JavaScript off, against a demo server it starts on a fresh database. For the single
// sign-on spec (tests/sso.spec.ts) it also starts a real OpenID provider
// (oidc-provider-mock from PyPI, installed by `scripts/setup.sh --e2e` into .tools/) and
// a second demo server signing in through it, with password sign-in off. For the accounts
// spec (tests/accounts.spec.ts) it starts moto's server (PyPI moto[server], also under
// .tools/) and a third, non-demo server over two AWS accounts seeded in it
// (scripts/e2e-accounts.sh). It uses Debian's Chromium (/usr/bin/chromium); downloading
// Playwright's own browser fails here.
import { defineConfig } from "@playwright/test";
import * as os from "os";
import * as path from "path";
import * as fs from "fs";
import { ACCOUNTS_PORT, MOTO_PORT, PORT, PROVIDER_PORT, SSO_PORT } from "./ports";

/** The password of the demo users admin, helpdesk and viewer in these tests. */
export const DEMO_PASSWORD = "e2e-demo-password";

const port = PORT;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "fleetdesk-e2e-"));
const binary = path.resolve(__dirname, "../target/debug/fleetdesk");

const ssoDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "fleetdesk-e2e-sso-"));
const provider = path.resolve(__dirname, "../.tools/oidc-provider-mock/bin/oidc-provider-mock");
/** The provider's predefined users: one per Fleetdesk group, and one in no group. */
const providerUsers = [
  { sub: "sso-admin", preferred_username: "sso-admin", groups: ["fd-admins", "fd-viewers"] },
  { sub: "sso-helpdesk", preferred_username: "sso-helpdesk", groups: ["fd-helpdesk"] },
  { sub: "sso-viewer", preferred_username: "sso-viewer", groups: ["fd-viewers"] },
  { sub: "sso-stranger", preferred_username: "sso-stranger", groups: ["sales"] },
  // For the accounts server: a viewer whose group opens the dev account only.
  { sub: "sso-dev", preferred_username: "sso-dev", groups: ["fd-viewers", "fd-dev"] },
];
const providerArgs = providerUsers.map((user) => `--user-claims '${JSON.stringify(user)}'`).join(" ");

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  outputDir: "./output/test-results",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromium,
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "hydrated", use: { javaScriptEnabled: true } },
    { name: "no-js", use: { javaScriptEnabled: false } },
  ],
  webServer: [
    {
      // With the example prices file, so that cost insight shows savings in money.
      command: `${binary} serve --demo --addr 127.0.0.1:${port} --data-dir ${dataDir} --prices ${path.resolve(__dirname, "../docs/prices.example.csv")}`,
      url: `http://127.0.0.1:${port}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      env: { FLEETDESK_DEMO_PASSWORD: DEMO_PASSWORD },
    },
    {
      command: `${provider} --port ${PROVIDER_PORT} --require-nonce true ${providerArgs}`,
      url: `http://127.0.0.1:${PROVIDER_PORT}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
    },
    {
      command: `${binary} serve --demo --addr 127.0.0.1:${SSO_PORT} --data-dir ${ssoDataDir}`,
      url: `http://127.0.0.1:${SSO_PORT}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      env: {
        FLEETDESK_DEMO_PASSWORD: DEMO_PASSWORD,
        FLEETDESK_OIDC_ISSUER: `http://127.0.0.1:${PROVIDER_PORT}`,
        FLEETDESK_OIDC_CLIENT_ID: "fleetdesk-e2e",
        FLEETDESK_OIDC_CLIENT_SECRET: "e2e-client-secret",
        FLEETDESK_OIDC_ADMIN_GROUPS: "fd-admins",
        FLEETDESK_OIDC_HELPDESK_GROUPS: "fd-helpdesk",
        FLEETDESK_OIDC_VIEWER_GROUPS: "fd-viewers",
        FLEETDESK_OIDC_PROVIDER_NAME: "Test IdP",
        FLEETDESK_LOCAL_LOGIN: "0",
      },
    },
    {
      command: `${path.resolve(__dirname, "../.tools/moto/bin/moto_server")} -H 127.0.0.1 -p ${MOTO_PORT}`,
      url: `http://127.0.0.1:${MOTO_PORT}/moto-api/`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
    },
    {
      command: `${path.resolve(__dirname, "../scripts/e2e-accounts.sh")} ${ACCOUNTS_PORT} ${MOTO_PORT} ${PROVIDER_PORT} ${DEMO_PASSWORD}`,
      url: `http://127.0.0.1:${ACCOUNTS_PORT}/healthz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
    },
  ],
});
