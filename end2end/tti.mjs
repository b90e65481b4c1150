// Time to interactive of a Fleetdesk page in Chromium: from the start of the navigation
// to the moment the page is interactive (the layout's data-hydrated="true", set once the
// wasm has hydrated the page's islands), median of N loads with a warm cache.
//
// Usage: node tti.mjs BASE_URL USER PASSWORD [PATH] [N]
// e.g.   node tti.mjs http://127.0.0.1:3000 admin secret-password / 15
// scripts/bench-tti.sh starts a release demo server and runs this against it.
import { chromium } from "playwright-core";

const [base, user, password, path = "/", runs = "15"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });

/** Bytes of wasm, JavaScript and CSS this page's load moved over the wire (compressed
 * bodies plus headers; 0 for what came from the browser's cache). */
const assetBytes = () =>
  page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .filter((entry) => /\.(wasm|js|css)$/.test(new URL(entry.name).pathname))
      .reduce((sum, entry) => sum + entry.transferSize, 0),
  );

// The first page a new user opens, with an empty cache: the login page.
await page.goto(`${base}/login`);
await page.locator(".layout[data-hydrated='true']").waitFor();
const firstLoad = await assetBytes();
await page.getByLabel("User name").fill(user);
await page.getByLabel("Password").fill(password);
await page.getByRole("button", { name: "Log in" }).click();
await page.locator(".user-name").waitFor();

const times = [];
let nextVisit = 0;
for (let n = 0; n < Number(runs) + 1; n++) {
  await page.goto(`${base}${path}`);
  await page.locator(".layout[data-hydrated='true']").waitFor();
  // Milliseconds since this navigation started.
  const hydrated = await page.evaluate(() => performance.now());
  if (n > 0) times.push(hydrated); // the first load fills the cache
  if (n === 1) nextVisit = await assetBytes();
}
times.sort((a, b) => a - b);
const wasm = await page.evaluate(() =>
  performance
    .getEntriesByType("resource")
    .filter((entry) => entry.name.endsWith(".wasm"))
    .map((entry) => `${entry.name.split("/").pop()} ${entry.encodedBodySize} bytes`),
);
console.log(`${path}: time to interactive, median of ${runs}: ${times[Math.floor(times.length / 2)].toFixed(0)} ms`);
console.log(`  (min ${times[0].toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms; ${wasm.join(", ") || "wasm from cache"})`);
console.log(`  wasm + JS + CSS on the wire: first load (login page, empty cache) ${firstLoad} bytes; next visit of ${path} ${nextVisit} bytes`);
await browser.close();
