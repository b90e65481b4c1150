// Admins change a directory's access and WorkSpace creation properties; viewers read them.
import { test, expect } from "@playwright/test";
import { login } from "./helpers";

test("an admin allows a client platform, limits one to trusted devices and sets creation properties", async ({ page }, testInfo) => {
  await login(page, "admin", testInfo, "/directories");
  const card = page.locator(".directory-card[data-directory='d-936a2b77c1']");
  // Each project changes its own platforms, so the two runs do not see each other's change.
  const noJs = testInfo.project.name === "no-js";
  const platform = noJs ? "Android" : "Linux";
  const trusted = noJs ? "Windows" : "macOS";
  const row = (name: string) => card.locator("table.props tr").filter({ has: page.locator("th, td", { hasText: new RegExp(`^${name}$`) }) });
  await expect(row(platform)).toContainText("denied");
  await expect(row(trusted)).toContainText("allowed");

  await card.locator("summary", { hasText: "Change access" }).click();
  // Three values where the API offers TRUST (Windows, macOS), two elsewhere.
  await expect(card.getByLabel(trusted, { exact: true }).locator("option")).toHaveText(["allowed", "trusted devices only", "denied"]);
  await expect(card.getByLabel(platform, { exact: true }).locator("option")).toHaveText(["allowed", "denied"]);
  await card.getByLabel(platform, { exact: true }).selectOption("ALLOW");
  await card.getByLabel(trusted, { exact: true }).selectOption("TRUST");
  await card.getByRole("button", { name: "Save access" }).click();
  await expect(row(platform)).toContainText("allowed");
  await expect(row(trusted)).toContainText("trusted devices only");

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
  // The demo's corporate directory admits trusted (managed) Windows devices only.
  await expect(card.locator("table.props tr").filter({ has: page.locator("th, td", { hasText: /^Windows$/ }) })).toContainText("trusted devices only");
  await expect(page.getByText("Change access")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Deregister" })).toHaveCount(0);
});
