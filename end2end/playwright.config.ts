// Playwright runs every spec twice: once hydrated (JavaScript on) and once with
// JavaScript off, against a demo server it starts on a fresh database. It uses Debian's
// Chromium (/usr/bin/chromium); downloading Playwright's own browser fails here.
import { defineConfig } from "@playwright/test";
import * as os from "os";
import * as path from "path";
import * as fs from "fs";

/** The password of the demo users admin, helpdesk and viewer in these tests. */
export const DEMO_PASSWORD = "e2e-demo-password";

const port = Number(process.env.FLEETDESK_E2E_PORT ?? 3123);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "fleetdesk-e2e-"));
const binary = path.resolve(__dirname, "../target/debug/fleetdesk");

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
  webServer: {
    command: `${binary} serve --demo --addr 127.0.0.1:${port} --data-dir ${dataDir}`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    env: { FLEETDESK_DEMO_PASSWORD: DEMO_PASSWORD },
  },
});
