// Shared steps of the browser tests.
import { expect, Page, TestInfo } from "@playwright/test";

/** True when the test runs in the project with JavaScript turned off. */
export function jsOff(testInfo: TestInfo): boolean {
  return testInfo.project.name === "no-js";
}

/** Opens `path` and, with JavaScript on, waits until the wasm has hydrated the page. */
export async function open(page: Page, path: string, testInfo: TestInfo) {
  await page.goto(path);
  if (!jsOff(testInfo)) {
    await expect(page.locator(".layout[data-hydrated='true']")).toBeVisible();
  }
}

/** Logs in through the login form as a user with the tests' password: one of the demo
 * users (admin, helpdesk or viewer), or a user of the accounts server. */
export async function login(page: Page, user: string, testInfo: TestInfo, next = "/") {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  if (!jsOff(testInfo)) {
    await expect(page.locator(".layout[data-hydrated='true']")).toBeVisible();
  }
  await page.getByLabel("User name").fill(user);
  await page.getByLabel("Password").fill("e2e-demo-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.locator(".user-name")).toHaveText(user);
}
