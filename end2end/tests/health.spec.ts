// Session health (issue 23): the WorkSpace page's card, its server-drawn charts and the
// window links, hydrated and without JavaScript, over the demo's CloudWatch history.
import { test, expect } from "@playwright/test";
import { login } from "./helpers";

test("a WorkSpace page shows its session health as charts with values in words", async ({ page }, testInfo) => {
  await login(page, "helpdesk", testInfo, "/?state=AVAILABLE&sort=id");
  const id = (await page.locator("table.data tbody tr").first().locator("input[type=checkbox]").getAttribute("value")) ?? "";
  expect(id).toMatch(/^ws-/);
  await page.goto(`/workspaces/${id}`);
  const card = page.locator("section#health");
  await expect(card.getByRole("heading", { name: "Session health" })).toBeVisible();
  const latency = card.getByRole("img", { name: /^In-session latency: latest \d+ ms, highest \d+ ms/ });
  await expect(latency).toBeVisible();
  await expect(card.getByText(/Read from CloudWatch at/)).toBeVisible();

  // The chart itself: an SVG the server drew, with its unit on the axis.
  const src = (await latency.getAttribute("src")) ?? "";
  const svg = await page.request.get(src);
  expect(svg.status()).toBe(200);
  expect(svg.headers()["content-type"]).toContain("image/svg+xml");
  const text = await svg.text();
  expect(text).toContain("<svg");
  expect(text).toContain("ms");

  // Another window is a plain link.
  await card.getByRole("link", { name: "7 days" }).click();
  await expect(page).toHaveURL(/window=7d/);
  await expect(page.locator("section#health").getByText("7 days")).toBeVisible();
  await expect(page.locator("section#health img").first()).toHaveAttribute("src", /window=7d/);
});

test("a stopped WorkSpace's card says CloudWatch has no data", async ({ page }, testInfo) => {
  await login(page, "helpdesk", testInfo, "/?state=STOPPED&sort=id");
  const id = (await page.locator("table.data tbody tr").first().locator("input[type=checkbox]").getAttribute("value")) ?? "";
  await page.goto(`/workspaces/${id}`);
  await expect(page.locator("section#health").getByText(/CloudWatch has no data for this WorkSpace/)).toBeVisible();
});

test("the session health page lists WorkSpaces in trouble, one click from their page, with a CSV", async ({ page }, testInfo) => {
  await login(page, "helpdesk", testInfo, "/health");
  await expect(page.getByRole("heading", { name: "Session health", level: 1 })).toBeVisible();
  await expect(page.getByText(/CloudWatch metrics requested/)).toBeVisible();
  const rows = page.locator("table.data tbody tr");
  await expect(rows.first()).toBeVisible();
  await expect(page.locator("table.data td.health-over").first()).toBeVisible();

  const csv = await page.request.get("/health.csv");
  expect(csv.status()).toBe(200);
  const header = (await csv.text()).split("\n")[0];
  expect(header).toContain('"workspace_id"');
  expect(header).toContain('"in_session_latency_ms"');

  await page.getByRole("link", { name: /^CPU/ }).click();
  await expect(page).toHaveURL(/sort=cpu_usage/);
  // The sorted rows are in (hydrated, the router swaps them in after the URL changes).
  await expect(page.locator('th[aria-sort="descending"]')).toContainText("CPU");
  const first = rows.first().getByRole("link");
  const id = (await first.textContent()) ?? "";
  await first.click();
  await expect(page).toHaveURL(new RegExp(`/workspaces/${id}`));
  await expect(page.locator("section#health")).toBeVisible();
});

test("the session health page filters by Region and by the metric over its threshold", async ({ page }, testInfo) => {
  await login(page, "helpdesk", testInfo, "/health?all=1");
  const rows = page.locator("table.data tbody tr");
  await expect(rows.first()).toBeVisible();
  await page.getByLabel("Region").selectOption("us-east-1");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/region=us-east-1/);
  await expect(rows.first()).toBeVisible();
  for (const place of await rows.locator("td:nth-child(3)").allTextContents()) {
    expect(place).toBe("us-east-1");
  }

  // Over one threshold: every row is marked in that column (latency is the 4th).
  await page.goto("/health?over=in_session_latency");
  await expect(page.getByLabel("Over threshold")).toHaveValue("in_session_latency");
  await expect(rows.first()).toBeVisible();
  const count = await rows.count();
  await expect(page.locator("table.data tbody td:nth-child(4).health-over")).toHaveCount(count);
  const csv = await page.request.get("/health.csv?region=eu-west-1&all=1");
  const lines = (await csv.text()).trim().split("\n").slice(1);
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.every((line) => line.includes('"eu-west-1"'))).toBe(true);
});
