// Bring your own license: the account page per Region, the management range search,
// enabling BYOL (admin) and importing a BYOL image; viewers read only.
import { test, expect } from "@playwright/test";
import { jsOff, login, open } from "./helpers";

test("a viewer sees each Region's BYOL state and history but no controls", async ({ page }, testInfo) => {
  await login(page, "viewer", testInfo, "/account");
  const eu = page.locator("section[data-region='eu-west-1']");
  await expect(eu).toContainText("BYOL enabled");
  await expect(eu).toContainText("10.200.0.0/16");
  await expect(eu.locator("tbody tr")).toHaveCount(2);
  await expect(eu).toContainText("InvalidParameterValuesException");
  // The admin's test may have enabled it already on this shared demo server.
  await expect(page.locator("section[data-region='us-east-1']")).toContainText(/BYOL (disabled|enabled)/);
  await open(page, "/account?region=us-east-1&cidr=172.16.0.0/12", testInfo);
  await expect(page.locator("section[data-region='us-east-1'] .range-list li").first()).toHaveText("172.16.0.0/16");
  await expect(page.getByRole("button", { name: "Enable BYOL with this range" })).toHaveCount(0);
});

test("an admin enables BYOL with an offered range and the modification is followed", async ({ page }, testInfo) => {
  // Each project enables its own range in us-east-1.
  const range = jsOff(testInfo) ? "192.168.0.0/16" : "172.17.0.0/16";
  const search = jsOff(testInfo) ? "192.168.0.0/16" : "172.16.0.0/12";
  await login(page, "admin", testInfo, `/account?region=us-east-1&cidr=${encodeURIComponent(search)}`);
  const us = page.locator("section[data-region='us-east-1']");
  await us.getByLabel(range).check();
  await us.getByLabel("Reason or ticket").fill(`CHG-${testInfo.project.name}-byol`);
  await us.getByRole("button", { name: "Enable BYOL with this range" }).click();
  // The page comes back from the post and reports the change in words.
  await expect(page).toHaveURL(/done=\d+/);
  await expect(page.getByRole("status").filter({ hasText: `BYOL requested in us-east-1 with management range ${range}` })).toBeVisible();
  await open(page, "/account", testInfo);
  const row = page.locator("section[data-region='us-east-1'] tbody tr", { hasText: range });
  await expect(row).toContainText(/PENDING|COMPLETED/);
  await page.screenshot({ path: `output/account-${testInfo.project.name}.png`, fullPage: true });
  await page.goto("/audit?action=account.enable_byol");
  await expect(page.locator("table.data tbody tr").first()).toContainText("account us-east-1");
});

test("an admin imports a BYOL image and it appears as PENDING", async ({ page }, testInfo) => {
  await login(page, "admin", testInfo, "/images");
  const name = `Win10-BYOL-${testInfo.project.name}`;
  const form = page.locator("section", { hasText: "Import a BYOL image" });
  await form.getByLabel("Region").selectOption("eu-west-1");
  await form.getByLabel("EC2 image id").fill("ami-0123456789abcdef0");
  await form.getByLabel("Image name").fill(name);
  await form.getByLabel("Description").fill("Windows 10 22H2");
  await form.getByLabel("Reason or ticket").fill(`CHG-${testInfo.project.name}-import`);
  await form.getByRole("button", { name: "Import image" }).click();
  await expect(page.locator(".action-report")).toContainText("started in eu-west-1");
  await open(page, "/images", testInfo);
  const row = page.locator("table.data tbody tr", { hasText: name });
  await expect(row).toContainText("PENDING");
  await expect(row).toContainText("BYOL");
  // A bad id is refused before AWS is called, naming the field.
  await form.getByLabel("EC2 image id").fill("ami-12");
  await form.getByLabel("Image name").fill(`${name}-2`);
  await form.getByLabel("Description").fill("Windows 10 22H2");
  await form.getByLabel("Reason or ticket").fill("CHG-bad");
  await form.getByRole("button", { name: "Import image" }).click();
  await expect(page.getByRole("alert")).toContainText("not an EC2 image id");
});
