// Single sign-on through a real OpenID provider (oidc-provider-mock) on 127.0.0.1: the
// second demo server of playwright.config.ts, with password sign-in off. Each role signs
// in by its groups; a user in no Fleetdesk group is refused.
import { test, expect, Page, TestInfo } from "@playwright/test";
import { SSO_PORT } from "../ports";
import { jsOff } from "./helpers";

test.use({ baseURL: `http://127.0.0.1:${SSO_PORT}` });

/** Signs in through the provider as one of its predefined users, from `next`. */
async function ssoSignIn(page: Page, subject: string, testInfo: TestInfo, next = "/") {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  if (!jsOff(testInfo)) {
    await expect(page.locator(".layout[data-hydrated='true']")).toBeVisible();
  }
  await page.getByRole("link", { name: "Sign in with Test IdP" }).click();
  // The provider's authorization page: one button per predefined user.
  await expect(page.getByRole("heading", { name: "Authorize Client" })).toBeVisible();
  await page.getByRole("button", { name: subject, exact: true }).click();
}

test("the login page offers single sign-on only", async ({ page }, testInfo) => {
  await page.goto("/directories");
  await expect(page).toHaveURL(/\/login\?next=%2Fdirectories/);
  if (!jsOff(testInfo)) {
    await expect(page.locator(".layout[data-hydrated='true']")).toBeVisible();
  }
  await expect(page.getByRole("link", { name: "Sign in with Test IdP" })).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Log in" })).toHaveCount(0);
});

for (const role of ["admin", "helpdesk", "viewer"] as const) {
  test(`a member of the ${role} group signs in as ${role}`, async ({ page }, testInfo) => {
    await ssoSignIn(page, `sso-${role}`, testInfo, "/directories");
    await expect(page).toHaveURL(/\/directories$/);
    if (!jsOff(testInfo)) {
      await expect(page.locator(".layout[data-hydrated='true']")).toBeVisible();
    }
    await expect(page.getByRole("heading", { level: 1, name: "Directories" })).toBeVisible();
    await expect(page.locator(".user-name")).toHaveText(`sso-${role}`);
    await expect(page.locator(".role-badge")).toHaveText(role);
    await page.screenshot({ path: `output/sso-${role}-${testInfo.project.name}.png` });
  });
}

test("a user in no Fleetdesk group is refused", async ({ page }, testInfo) => {
  const refused = page.waitForResponse((response) => response.url().includes("/auth/oidc/callback"));
  await ssoSignIn(page, "sso-stranger", testInfo);
  expect((await refused).status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Access denied" })).toBeVisible();
  await expect(page.getByText("in none of the groups")).toBeVisible();
  await page.goto("/");
  await expect(page).toHaveURL(/\/login\?next=%2F/);
});

test("the admin sees single sign-on users with their source", async ({ page }, testInfo) => {
  await ssoSignIn(page, "sso-viewer", testInfo);
  await expect(page.locator(".user-name")).toHaveText("sso-viewer");
  await page.context().clearCookies();
  await ssoSignIn(page, "sso-admin", testInfo, "/users");
  await expect(page).toHaveURL(/\/users$/);
  const row = page.getByRole("row").filter({ hasText: "sso-viewer" });
  await expect(row.getByRole("cell", { name: "single sign-on", exact: true })).toBeVisible();
  await expect(row.getByText("viewer (from groups)")).toBeVisible();
  await page.screenshot({ path: `output/sso-users-${testInfo.project.name}.png` });
});
