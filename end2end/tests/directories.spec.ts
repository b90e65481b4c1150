// Admins change a directory's access and WorkSpace creation properties; viewers read them.
import { test, expect } from "@playwright/test";
import { login } from "./helpers";

test("an admin allows a client platform and sets creation properties", async ({ page }, testInfo) => {
  await login(page, "admin", testInfo, "/directories");
  const card = page.locator(".directory-card[data-directory='d-936a2b77c1']");
  const platform = testInfo.project.name === "no-js" ? "Android" : "Linux";
  await expect(card.locator("tr", { hasText: platform })).toContainText("denied");

  await card.locator("summary", { hasText: "Change access" }).click();
  await card.getByRole("checkbox", { name: platform }).check();
  await card.getByRole("button", { name: "Save access" }).click();
  await expect(card.locator("tr", { hasText: platform })).toContainText("allowed");

  await card.locator("summary", { hasText: "Change creation properties" }).click();
  await card.getByLabel("Extra security group").fill("sg-123");
  await card.getByRole("button", { name: "Save creation properties" }).click();
  await expect(page.getByRole("alert")).toContainText("not a security group id");
  if (await card.getByLabel("Extra security group").isHidden()) {
    await card.locator("summary", { hasText: "Change creation properties" }).click();
  }
  await card.getByLabel("Extra security group").fill("sg-0123456789abcdef0");
  await card.getByRole("button", { name: "Save creation properties" }).click();
  await expect(card.locator("tr", { hasText: "Extra security group" })).toContainText("sg-0123456789abcdef0");

  await page.goto("/audit?action=directory.");
  await expect(page.locator("table.data tbody")).toContainText("directory.access_properties");
  await expect(page.locator("table.data tbody")).toContainText("directory.creation_properties");
});

test("a viewer sees every property set without change controls", async ({ page }, testInfo) => {
  await login(page, "viewer", testInfo, "/directories");
  const card = page.locator(".directory-card[data-directory='d-93670c1e5a']");
  for (const heading of ["Self-service permissions", "WorkSpace creation", "Access (client platforms)"]) {
    await expect(card.getByRole("heading", { name: heading })).toBeVisible();
  }
  await expect(card.locator("tr", { hasText: "Default OU" })).toContainText("OU=WorkSpaces");
  await expect(page.getByText("Change access")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Deregister" })).toHaveCount(0);
});
