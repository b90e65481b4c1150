// Cost insight (issue 24): /cost over the demo's usage histories, hydrated and without
// JavaScript — the recommendations in words, the filters, the money from the example
// prices file, the dry-run CSV, and the switch of checked WorkSpaces through the bulk
// review with a reason, found in the audit log.
import { test, expect, Page } from "@playwright/test";
import { login } from "./helpers";

/** Opens `path` until the daily usage reading (a few seconds after start) has figures. */
async function openWithReadings(page: Page, path: string) {
  await expect(async () => {
    await page.goto(path);
    await expect(page.getByText(/latest reading/)).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
}

test("cost insight shows each WorkSpace's hours, limit, recommendation and saving", async ({ page }, testInfo) => {
  await login(page, "viewer", testInfo, "/cost");
  await openWithReadings(page, "/cost");
  await expect(page.getByRole("heading", { name: "Cost insight", level: 1 })).toBeVisible();
  const totals = page.locator("section.card", { hasText: "Per account and Region" });
  await expect(totals.getByRole("cell", { name: "eu-west-1" })).toBeVisible();
  await expect(totals.getByRole("columnheader", { name: "Saving a month" })).toBeVisible();
  // A viewer reads the dry run but has nothing to select or review.
  await expect(page.locator("table.cost-table tbody input[type=checkbox]")).toHaveCount(0);
  await expect(page.getByRole("link", { name: /^Review switching/ })).toHaveCount(0);

  await page.getByLabel("Show").selectOption("auto-stop");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/show=auto-stop/);
  const rows = page.locator("table.cost-table tbody tr");
  await expect(rows.first()).toContainText("→ AUTO_STOP");
  for (const why of (await rows.locator("td.cost-why").allTextContents()).slice(0, 10)) {
    expect(why).toMatch(/→ AUTO_STOP \d+ h in 30 days, at or under the \d+ h at which AUTO_STOP is cheaper/);
  }
  // The example prices give the switch a saving in money.
  await expect(rows.first().locator("td.num").last()).toHaveText(/^\d+\.\d\d USD$/);

  const csv = await page.request.get("/cost.csv?show=auto-stop");
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).trim().split("\n");
  expect(lines[0]).toContain('"workspace_id","account","region","user_name","running_mode","compute_type","billable_hours","month_to_date_hours","limit_hours","recommended_mode"');
  expect(lines[0]).toContain('"unused"');
  expect(lines[0]).toContain('"monthly_saving_usd"');
  expect(lines.length).toBeGreaterThan(1);
  expect(lines[1]).toContain('"ALWAYS_ON"');
  expect(lines[1]).toContain('"AUTO_STOP"');
});

test("an admin switches checked WorkSpaces' running mode in one review, audited", async ({ page }, testInfo) => {
  await login(page, "admin", testInfo, "/cost");
  await openWithReadings(page, "/cost?show=auto-stop&sort=id");
  const boxes = page.locator("table.cost-table tbody input[type=checkbox]");
  await expect(boxes.first()).toBeVisible();
  for (let n = 0; n < 3; n++) {
    await boxes.nth(n).check();
  }
  await page.getByRole("button", { name: "Review switching to AUTO_STOP" }).click();
  await expect(page).toHaveURL(/\/bulk\?action=modify.*running_mode=AUTO_STOP/);
  await expect(page.getByRole("heading", { name: /^Switch to AUTO_STOP: [1-3] of 3 WorkSpaces$/ })).toBeVisible();
  await expect(page.getByText("ALWAYS_ON → AUTO_STOP").first()).toBeVisible();
  await page.getByLabel("Reason or ticket").fill("CHG-24: cost insight, light users");
  await page.getByRole("button", { name: /now$/ }).click();
  await expect(page.getByText(/Modify properties: [1-3] of 3 accepted by AWS/)).toBeVisible();
  await page.goto("/audit?action=workspace.modify");
  await expect(page.getByText("CHG-24: cost insight, light users").first()).toBeVisible();
});

test("the review links cover every recommended and every unused WorkSpace", async ({ page }, testInfo) => {
  await login(page, "admin", testInfo, "/cost");
  await openWithReadings(page, "/cost?show=unused");
  const unused = page.getByRole("link", { name: /^Review terminating \d+ unused$/ });
  await expect(unused).toBeVisible();
  const count = Number(((await unused.textContent()) ?? "").match(/\d+/)?.[0]);
  await unused.click();
  await expect(page).toHaveURL(/\/bulk\?action=terminate/);
  await expect(page.getByRole("heading", { name: new RegExp(`^Terminate: \\d+ of ${count} WorkSpaces?$`) })).toBeVisible();
  await expect(page.getByLabel("Type TERMINATE to confirm")).toBeVisible();
});
