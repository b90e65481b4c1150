// Admins share images with other AWS accounts; viewers only see with whom.
import { test, expect } from "@playwright/test";
import { login } from "./helpers";

test("an admin shares an image with an account and unshares it", async ({ page }, testInfo) => {
  await login(page, "admin", testInfo, "/images");
  const account = testInfo.project.name === "no-js" ? "210987654321" : "111122223333";
  const row = page.locator("table.data").first().locator("tbody tr", { hasText: "Win2022-Office-2026-10" });
  await row.locator("summary", { hasText: "Manage" }).click();
  await row.getByLabel(/Account to share/).fill("12345");
  await row.getByRole("button", { name: "Share" }).click();
  await expect(page.getByRole("alert")).toContainText("12 digits");
  if (await row.getByLabel(/Account to share/).isHidden()) {
    await row.locator("summary", { hasText: "Manage" }).click();
  }
  await row.getByLabel(/Account to share/).fill(account);
  await row.getByRole("button", { name: "Share" }).click();
  await expect(row).toContainText(account);
  await row.locator(".inline-form", { hasText: account }).getByRole("button", { name: "Unshare" }).click();
  await expect(row).not.toContainText(account);
});

test("a viewer sees images without sharing controls", async ({ page }, testInfo) => {
  await login(page, "viewer", testInfo, "/images");
  await expect(page.getByText("Win2022-Office-2026-10")).toBeVisible();
  await expect(page.getByRole("button", { name: "Share" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete image" })).toHaveCount(0);
});

test("an admin copies an image to another Region", async ({ page }, testInfo) => {
  await login(page, "admin", testInfo, "/images");
  const copyName = `Office-copy-${testInfo.project.name}`;
  const row = page.locator("table.data").first().locator("tbody tr", { hasText: "Win2022-Office-2026-10" });
  await expect(row).toContainText("Office Standard (wsb-office-std-eu)");
  await row.locator("summary", { hasText: "Manage" }).click();
  await row.getByLabel(/Region to copy/).selectOption("us-east-1");
  await row.getByLabel("Name of the copy").fill(copyName);
  await row.getByRole("button", { name: "Copy to Region" }).click();
  const copy = page.locator("table.data").first().locator("tbody tr", { hasText: copyName });
  await expect(copy).toContainText("us-east-1");
  await expect(copy).toContainText("PENDING");
  await page.goto("/audit?action=image.copy");
  await expect(page.locator("table.data tbody")).toContainText("image.copy");
});
