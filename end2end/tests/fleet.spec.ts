// The fleet page lists the demo fleet, searches it, and works with JavaScript off.
import { test, expect } from "@playwright/test";
import { jsOff, open } from "./helpers";

test("the fleet page lists the demo WorkSpaces", async ({ page }, testInfo) => {
  await open(page, "/", testInfo);
  await expect(page.getByRole("heading", { name: "Fleet" })).toBeVisible();
  await expect(page.getByText("1–50 of 280 WorkSpaces")).toBeVisible();
  await expect(page.locator("table.data tbody tr")).toHaveCount(50);
  await expect(page.getByRole("link", { name: /^AVAILABLE/ })).toBeVisible();
  await page.screenshot({
    path: `output/fleet-${testInfo.project.name}.png`,
    fullPage: false,
  });
});

test("searching narrows the fleet", async ({ page }, testInfo) => {
  await open(page, "/", testInfo);
  const search = page.getByRole("searchbox", { name: "Search" });
  if (jsOff(testInfo)) {
    // A plain GET form: submitting loads /?q=…
    await search.fill("ext.");
    await search.press("Enter");
  } else {
    // Hydrated: typing searches at once, without a page load.
    await page.evaluate(() => ((window as any).__sameDocument = true));
    await search.pressSequentially("ext.");
  }
  await expect(page).toHaveURL(/q=ext\./);
  await expect(page.getByText("1–40 of 40 WorkSpaces")).toBeVisible();
  const users = await page.locator("table.data tbody tr td:first-child").allTextContents();
  expect(users.every((user) => user.startsWith("ext."))).toBe(true);
  if (!jsOff(testInfo)) {
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  }
});

test("a state count filters the fleet", async ({ page }, testInfo) => {
  await open(page, "/", testInfo);
  await page.getByRole("link", { name: /^STOPPED/ }).click();
  await expect(page).toHaveURL(/state=STOPPED/);
  const states = await page.locator("table.data tbody tr td:nth-child(4)").allTextContents();
  expect(states.length).toBeGreaterThan(0);
  expect(states.every((state) => state === "STOPPED")).toBe(true);
});

test("every page of the navigation opens", async ({ page }, testInfo) => {
  await open(page, "/", testInfo);
  for (const [link, heading] of [
    ["Connections", "Connections"],
    ["Directories", "Directories"],
    ["Images & bundles", "Images and bundles"],
    ["IP groups", "IP access control groups"],
    ["Audit", "Audit log"],
  ]) {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link }).click();
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  }
});
