// Several AWS accounts in one console, in the browser: the third server of
// playwright.config.ts manages two accounts seeded in moto's server through assumed roles
// (prod: 3 WorkSpaces, dev: 2; scripts/e2e-accounts.sh). The fleet names each
// WorkSpace's account and filters by it; a user limited to dev (by an admin, or by their
// single sign-on group) sees dev only, also where they ask for prod's WorkSpace by id.
import { test, expect, Page, TestInfo } from "@playwright/test";
import { ACCOUNTS_PORT } from "../ports";
import { jsOff, login } from "./helpers";

test.use({ baseURL: `http://127.0.0.1:${ACCOUNTS_PORT}` });

/** Waits until the first sync has put the seeded WorkSpaces into the cache. */
async function fleetOf(page: Page, count: number, testInfo: TestInfo) {
  await expect(async () => {
    await page.goto("/");
    if (!jsOff(testInfo)) {
      await expect(page.locator(".layout[data-hydrated='true']")).toBeVisible();
    }
    await expect(page.locator("table.data tbody tr")).toHaveCount(count, { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
}

/** The Account cells of the fleet table. */
async function accountCells(page: Page): Promise<string[]> {
  const header = page.locator("table.data thead th");
  const headers = await header.allInnerTexts();
  const column = headers.findIndex((text) => text.startsWith("Account")) + 1;
  expect(column).toBeGreaterThan(0);
  return page.locator(`table.data tbody tr td:nth-child(${column})`).allInnerTexts();
}

test("the fleet lists both accounts' WorkSpaces under their account and filters by account", async ({ page }, testInfo) => {
  await login(page, "admin", testInfo);
  await fleetOf(page, 5, testInfo);
  expect((await accountCells(page)).sort()).toEqual(["dev", "dev", "prod", "prod", "prod"]);
  await expect(page.getByText(/user-111111111111-1/)).toBeVisible();

  const menu = page.getByRole("combobox", { name: "Account" });
  await expect(menu.locator("option")).toHaveText(["All", "prod", "dev"]);
  if (jsOff(testInfo)) {
    await menu.selectOption("dev");
    await page.getByRole("button", { name: "Search" }).click();
  } else {
    await menu.selectOption("dev");
  }
  await expect(page).toHaveURL(/account=dev/);
  await expect(page.locator("table.data tbody tr")).toHaveCount(2);
  expect(await accountCells(page)).toEqual(["dev", "dev"]);

  // moto lacks some operations (bundles, IP groups, connection status): the sync bar
  // says which, per account and Region.
  await expect(page.locator(".stale-list")).toContainText("prod us-east-1");
  await page.screenshot({ path: `output/accounts-fleet-${testInfo.project.name}.png`, fullPage: true });
});

test("the directories page filters by account, and its export follows", async ({ page }, testInfo) => {
  await login(page, "admin", testInfo);
  // A directory card names its account and Region (the register form's menu does too).
  const card = (account: string) => page.locator("section.card span.muted").getByText(`${account} us-east-1`, { exact: true });
  await page.goto("/directories");
  if (!jsOff(testInfo)) {
    await expect(page.locator(".layout[data-hydrated='true']")).toBeVisible();
  }
  await expect(card("prod")).toBeVisible();
  await expect(card("dev")).toBeVisible();
  await page.getByRole("combobox", { name: "Account" }).selectOption("prod");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/\/directories\?account=prod/);
  await expect(card("prod")).toBeVisible();
  await expect(card("dev")).toHaveCount(0);
  const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  expect(href).toBe("/directories.csv?account=prod");
  await page.screenshot({ path: `output/accounts-directories-${testInfo.project.name}.png`, fullPage: true });
  const csv = await (await page.request.get(href!)).text();
  expect(csv.split("\r\n")[0]).toContain('"account","region"');
  expect(csv).toContain('"prod"');
  expect(csv).not.toContain('"dev"');
});

test("the users page limits a user to accounts", async ({ page }, testInfo) => {
  await login(page, "admin", testInfo);
  await page.goto("/users");
  if (!jsOff(testInfo)) {
    await expect(page.locator(".layout[data-hydrated='true']")).toBeVisible();
  }
  await expect(page.getByRole("columnheader", { name: "Accounts" })).toBeVisible();
  await expect(page.getByLabel("Accounts of dev-viewer")).toHaveValue("dev");
  await expect(page.getByLabel("Accounts of admin")).toHaveValue("all");
  await page.screenshot({ path: `output/accounts-users-${testInfo.project.name}.png`, fullPage: true });
  // A name that is not a configured account is refused with the reason.
  const admin = page.getByLabel("Accounts of admin");
  await admin.fill("staging");
  await admin.locator("xpath=ancestor::form").getByRole("button", { name: "Set" }).click();
  await expect(page.getByText(/staging is not a configured account/)).toBeVisible();
});

test("a user limited to dev sees dev only", async ({ page }, testInfo) => {
  await login(page, "dev-viewer", testInfo);
  await fleetOf(page, 2, testInfo);
  expect(await accountCells(page)).toEqual(["dev", "dev"]);
  await expect(page.getByText(/user-111111111111/)).toHaveCount(0);
  await expect(page.getByRole("combobox", { name: "Account" }).locator("option")).toHaveText(["All", "dev"]);

  // prod's WorkSpaces are not there for them, even by id.
  const seeded = await page.request.get("/fleet.csv");
  expect(await seeded.text()).not.toContain("user-111111111111");
  await page.goto("/directories");
  // The directory card names its account; nothing on the page names prod.
  await expect(page.getByText("dev us-east-1", { exact: true })).toBeVisible();
  await expect(page.getByText(/prod/)).toHaveCount(0);
});

test("a single sign-on user gets the accounts of their groups", async ({ page }, testInfo) => {
  await page.goto("/login?next=%2F");
  if (!jsOff(testInfo)) {
    await expect(page.locator(".layout[data-hydrated='true']")).toBeVisible();
  }
  await page.getByRole("link", { name: "Sign in with Test IdP" }).click();
  await expect(page.getByRole("heading", { name: "Authorize Client" })).toBeVisible();
  await page.getByRole("button", { name: "sso-dev", exact: true }).click();
  await expect(page.locator(".user-name")).toHaveText("sso-dev");
  await fleetOf(page, 2, testInfo);
  expect(await accountCells(page)).toEqual(["dev", "dev"]);
});
