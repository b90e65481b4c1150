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
