// Logging in and out as each demo user; each role sees only what it may do.
import { test, expect } from "@playwright/test";
import { jsOff, login, open } from "./helpers";

test("anonymous visitors are sent to the login page and back", async ({ page }, testInfo) => {
  await page.goto("/directories");
  await expect(page).toHaveURL(/\/login\?next=%2Fdirectories/);
  await page.getByLabel("User name").fill("viewer");
  await page.getByLabel("Password").fill("wrong password, surely");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toContainText("Wrong user name or password");
  await login(page, "viewer", testInfo, "/directories");
  await expect(page).toHaveURL(/\/directories$/);
  await expect(page.getByRole("heading", { level: 1, name: "Directories" })).toBeVisible();
});

test("the viewer sees no action buttons", async ({ page }, testInfo) => {
  await login(page, "viewer", testInfo);
  // 280 WorkSpaces and 7 standbys, plus any another spec created on this server.
  await expect(page.getByText(/^1–50 of 2[89]\d WorkSpaces$/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Refresh now" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
  await expect(page.locator(".role-badge")).toHaveText("viewer");
});

test("the help desk may refresh but not manage users", async ({ page }, testInfo) => {
  await login(page, "helpdesk", testInfo);
  await expect(page.getByRole("button", { name: "Refresh now" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
  await page.goto("/users");
  await expect(page.getByText("your role does not allow this")).toBeVisible();
});

test("the admin manages users and logs out", async ({ page }, testInfo) => {
  await login(page, "admin", testInfo);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  const name = `agent-${testInfo.project.name}`;
  await page.getByLabel("New user name").fill(name);
  await page.getByLabel("Role", { exact: true }).selectOption("helpdesk");
  await page.getByLabel("New user password").fill("another long password");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("cell", { name, exact: true })).toBeVisible();
  await page.screenshot({ path: `output/users-${testInfo.project.name}.png` });
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login\?next=%2F/);
});
