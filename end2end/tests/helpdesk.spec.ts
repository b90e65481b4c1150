// The help desk's first four walkthrough defects (issue 27): the bulk selection belongs
// to WorkSpace ids, not row positions; every page hydrates, every time; a change is sent
// once, and its result page has nothing left to press.
import { test, expect, Page } from "@playwright/test";
import { jsOff, login, open } from "./helpers";

/** The WorkSpace id of the n-th row of the fleet table. */
async function rowId(page: Page, n: number): Promise<string> {
  return (await page.locator("table.data tbody tr").nth(n).locator("input[type=checkbox]").getAttribute("value")) ?? "";
}

test("a checked WorkSpace stays checked by id across pages and filters", async ({ page }, testInfo) => {
  test.skip(jsOff(testInfo), "without JavaScript each page is its own form: nothing carries over");
  await login(page, "helpdesk", testInfo, "/?sort=id");
  const first = await rowId(page, 2);
  await page.locator("table.data tbody tr").nth(2).locator("input[type=checkbox]").check();
  await expect(page.getByRole("status").filter({ hasText: "1 WorkSpace selected" })).toBeVisible();

  await page.getByRole("link", { name: "Next →" }).first().click();
  await expect(page).toHaveURL(/page=1/);
  const other = await rowId(page, 2);
  expect(other).not.toBe(first);
  await expect(page.locator("table.data tbody input[type=checkbox]:checked")).toHaveCount(0);

  // A state chip: the rows change, the selection does not follow the position.
  await page.getByRole("link", { name: /^STOPPED/ }).click();
  await expect(page).toHaveURL(/state=STOPPED/);
  await expect(page.locator("table.data tbody input[type=checkbox]:checked")).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: "1 WorkSpace selected" })).toBeVisible();

  await page.getByLabel("Bulk action").selectOption("reboot");
  await page.getByRole("button", { name: "Review…" }).click();
  const rows = page.locator("table.data tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(first);

  // Clearing empties the selection and Review has nothing to review.
  await page.goBack();
  await page.getByRole("button", { name: "Clear selection" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Nothing selected" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Review…" })).toBeDisabled();
  await page.screenshot({ path: `output/fleet-selection-${testInfo.project.name}.png`, fullPage: false });
});

test("the header box selects every WorkSpace of the page", async ({ page }, testInfo) => {
  test.skip(jsOff(testInfo), "the box exists only where JavaScript runs");
  await login(page, "helpdesk", testInfo, "/?state=AVAILABLE&sort=id");
  const boxes = page.locator("table.data tbody input[type=checkbox]");
  const count = await boxes.count();
  await page.getByLabel("Select every WorkSpace on this page").check();
  await expect(page.locator("table.data tbody input[type=checkbox]:checked")).toHaveCount(count);
  await expect(page.getByRole("status").filter({ hasText: `${count} WorkSpaces selected` })).toBeVisible();
});

test("a bulk review is sent once and then shows only its results", async ({ page }, testInfo) => {
  await login(page, "helpdesk", testInfo, "/?state=AVAILABLE&directory=d-93670c1e5a&sort=id");
  const boxes = page.locator("table.data tbody input[type=checkbox]");
  const ids = [(await boxes.nth(3).getAttribute("value")) ?? "", (await boxes.nth(4).getAttribute("value")) ?? ""];
  await boxes.nth(3).check();
  await boxes.nth(4).check();
  await page.getByLabel("Bulk action").selectOption("reboot");
  await page.getByRole("button", { name: "Review…" }).click();
  await expect(page.getByRole("heading", { name: "Reboot: 2 of 2 WorkSpaces" })).toBeVisible();
  const reason = `INC-${testInfo.project.name}-once`;
  await page.getByLabel("Reason or ticket").fill(reason);
  await page.getByRole("button", { name: "Reboot now" }).click();
  // The page comes back from the post with done=<audit entry> and its per-WorkSpace results.
  await expect(page).toHaveURL(/done=\d+/);
  const report = page.getByRole("status").filter({ hasText: "Reboot: 2 of 2 accepted by AWS" });
  await expect(report).toBeVisible();
  for (const id of ids) {
    await expect(report).toContainText(id);
  }
  // Nothing armed is left: no button, no "will reboot".
  await expect(page.getByRole("button", { name: "Reboot now" })).toHaveCount(0);
  await expect(page.getByText("will reboot")).toHaveCount(0);
  await page.screenshot({ path: `output/bulk-sent-${testInfo.project.name}.png`, fullPage: true });

  await page.goto(`/audit?action=workspace.reboot`);
  await expect(page.locator("table.data tbody tr", { hasText: reason })).toHaveCount(1);
  for (const id of ids) {
    await expect(page.locator("table.data tbody tr", { hasText: reason })).toContainText(id);
  }
});

test("a resent review form is refused by its one-time token", async ({ page }, testInfo) => {
  await login(page, "helpdesk", testInfo, "/?state=AVAILABLE&directory=d-93670c1e5a&sort=id");
  const id = (await page.locator("table.data tbody input[type=checkbox]").nth(5).getAttribute("value")) ?? "";
  await open(page, `/bulk?action=reboot&ids=${id}`, testInfo);
  const token = (await page.locator("input[name=form_token]").getAttribute("value")) ?? "";
  expect(token).toMatch(/^[0-9a-f]{32}$/);
  const form = { action: "reboot", "ids[0]": id, reason: "INC-resent", form_token: token };
  // As the page's own form would send it: from this origin.
  const headers = { Origin: new URL(page.url()).origin };
  expect((await page.request.post("/api/actions/run", { form, headers })).status()).toBe(200);
  const again = await page.request.post("/api/actions/run", { form, headers });
  expect(again.status()).toBe(400);
  expect(await again.text()).toContain("sent already");
});

test("a review with nothing to send says what would work instead", async ({ page }, testInfo) => {
  await login(page, "helpdesk", testInfo, "/?state=STOPPED&sort=id");
  const id = (await page.locator("table.data tbody input[type=checkbox]").first().getAttribute("value")) ?? "";
  await open(page, `/bulk?action=reboot&ids=${id}`, testInfo);
  await expect(page.getByText(/Nothing to reboot/)).toBeVisible();
  await expect(page.getByText(/rebuild or restore/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Reboot now" })).toHaveCount(0);
  await open(page, `/bulk?action=reboot`, testInfo);
  await expect(page.getByText(/No WorkSpace was checked/)).toBeVisible();
  await expect(page.getByText("missing field")).toHaveCount(0);
});

/** The pages a help-desk agent and an admin open, with a real WorkSpace id. */
async function everyPage(page: Page): Promise<string[]> {
  await page.goto("/?state=AVAILABLE&sort=id");
  const id = (await page.locator("table.data tbody tr").first().getByRole("link").textContent()) ?? "";
  return [
    "/", "/?state=AVAILABLE", "/connections", "/directories", "/images", "/applications",
    "/ip-groups", "/connection-aliases", "/account", "/audit", "/users", "/workspaces/new",
    `/workspaces/${id}`, `/tags/${id}`, `/bulk?action=reboot&ids=${id}`,
  ];
}

test("every page hydrates without an error, 20 loads each", async ({ page }, testInfo) => {
  test.skip(jsOff(testInfo), "hydration needs JavaScript");
  test.setTimeout(600_000);
  await login(page, "admin", testInfo);
  const paths = await everyPage(page);
  const problems: string[] = [];
  let current = "";
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`${current}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`${current}: ${error.message}`));
  for (const path of paths) {
    for (let n = 0; n < 20; n++) {
      current = `${path} (load ${n + 1})`;
      await open(page, path, testInfo);
    }
    // The sidebar still navigates after the last load: the page is alive.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
    await expect(page).toHaveURL(/\/audit$/);
  }
  expect(problems).toEqual([]);
});

test("every Export CSV link downloads its CSV, hydrated or not", async ({ page }, testInfo) => {
  await login(page, "admin", testInfo);
  for (const [path, name] of [
    ["/", "Export CSV"], ["/connections", "Export CSV"], ["/audit", "Export CSV"],
    ["/directories", "Export CSV"], ["/ip-groups", "Export CSV"], ["/images", "Images CSV"],
  ]) {
    await open(page, path, testInfo);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name }).click();
    const file = await download;
    expect(file.suggestedFilename(), path).toMatch(/\.csv$/);
    await expect(page.getByText("Page not found")).toHaveCount(0);
  }
});

test("the idle view leads to the same WorkSpaces in the fleet, ready to select", async ({ page }, testInfo) => {
  // Issue 27, item 7: the idle list can be acted on like the fleet.
  await login(page, "helpdesk", testInfo, "/connections?view=idle&days=7");
  const idle = page.locator("table.data tbody tr");
  await expect(idle.first()).toBeVisible();
  const count = Number(((await page.locator(".result-count").textContent()) ?? "").match(/of (\d+)/)?.[1]);
  await page.getByRole("link", { name: "Select and act on them in the fleet" }).click();
  await expect(page).toHaveURL(/\/\?idle=7$/);
  await expect(page.getByRole("combobox", { name: "Last connection" })).toHaveValue("7");
  await expect(page.getByText(new RegExp(`^1–\\d+ of ${count} WorkSpaces$`))).toBeVisible();
  await expect(page.getByLabel("Bulk action")).toBeVisible();
  // The fleet's own menu offers the same filter.
  await open(page, "/", testInfo);
  await page.getByRole("combobox", { name: "Last connection" }).selectOption("never");
  if (jsOff(testInfo)) {
    await page.getByRole("button", { name: "Search" }).click();
  }
  await expect(page).toHaveURL(/idle=never/);
  // With JavaScript the results are swapped in after the URL changed: wait for them.
  await expect
    .poll(async () => {
      const last = await page.locator("table.data tbody tr td:last-child").allTextContents();
      return last.length > 0 && last.every((text) => text === "never");
    })
    .toBe(true);
});

test("the first Tab offers a skip link past the header and navigation", async ({ page }, testInfo) => {
  // Issue 27, item 10: 13 Tabs reached the search box before.
  await login(page, "viewer", testInfo);
  await open(page, "/", testInfo);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to the main content" })).toBeFocused();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => Boolean(document.activeElement?.closest("main")))).toBe(true);
});

test("on a phone (390 px) no page scrolls sideways", async ({ page }, testInfo) => {
  // Issue 27, item 9: only the navigation strip and wide tables scroll, inside their box.
  await page.setViewportSize({ width: 390, height: 844 });
  await login(page, "admin", testInfo);
  for (const path of [...(await everyPage(page)), "/cost", "/health"]) {
    await open(page, path, testInfo);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
  }
  await open(page, "/?sort=id", testInfo);
  await page.screenshot({ path: `output/fleet-phone-${testInfo.project.name}.png` });
});

test("all WorkSpaces matching the filter are selected in one click", async ({ page }, testInfo) => {
  // Issue 27, item 6: bulk triage without checking 57 boxes page by page.
  test.skip(jsOff(testInfo), "without JavaScript each page is its own form: nothing carries over");
  await login(page, "helpdesk", testInfo, "/?state=STOPPED&sort=id");
  const total = Number(((await page.locator(".result-count").textContent()) ?? "").match(/of (\d+)/)?.[1]);
  expect(total).toBeGreaterThan(50);
  await page.getByRole("button", { name: `Select all ${total} matching` }).click();
  await expect(page.getByRole("status").filter({ hasText: `${total} WorkSpaces selected` })).toBeVisible();
  await page.getByLabel("Bulk action").selectOption("start");
  await page.getByRole("button", { name: "Review…" }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`^Start: \\d+ of ${total} WorkSpaces$`) })).toBeVisible();
  await expect(page.locator("table.data tbody tr")).toHaveCount(total);
  await page.goBack();
  await page.getByRole("button", { name: "Clear selection" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Nothing selected" })).toBeVisible();
});

test("a review the server refuses comes back with the reason, and nothing was sent", async ({ page }, testInfo) => {
  await login(page, "helpdesk", testInfo, "/?state=AVAILABLE&directory=d-93670c1e5a&sort=id");
  const id = (await page.locator("table.data tbody input[type=checkbox]").nth(7).getAttribute("value")) ?? "";
  await open(page, `/bulk?action=rebuild&ids=${id}`, testInfo);
  await page.getByLabel("Reason or ticket").fill(`INC-${testInfo.project.name}-wrong-word`);
  await page.getByLabel("Type REBUILD to confirm").fill("rebuild please");
  await page.getByRole("button", { name: "Rebuild now" }).click();
  await expect(page.getByRole("alert")).toContainText("type REBUILD to confirm");
  await expect(page).not.toHaveURL(/done=/);
});
