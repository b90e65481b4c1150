// Admins create WorkSpaces: the form, the review page listing what each row creates and
// which row is refused with the reason, the results per user, and the new WorkSpaces in
// the fleet. Help-desk users get neither the link nor the page.
import { test, expect } from "@playwright/test";
import { jsOff, login } from "./helpers";

test("an admin creates two WorkSpaces through the review page; a refused row says why", async ({ page }, testInfo) => {
  // Each project creates its own users, so the two runs do not see each other's.
  const prefix = `e2e-${testInfo.project.name}`;
  await login(page, "admin", testInfo, "/");
  await page.getByRole("link", { name: "New WorkSpaces" }).click();
  await expect(page).toHaveURL(/\/workspaces\/new$/);
  await expect(page.getByRole("heading", { name: "New WorkSpaces" })).toBeVisible();

  await page.getByLabel("Directory", { exact: true }).selectOption("d-93670c1e5a");
  await page.getByLabel("Bundle", { exact: true }).selectOption("wsb-dev-power-eu");
  await page.getByLabel("Running mode", { exact: true }).selectOption("AUTO_STOP");
  await page.getByLabel("Auto-stop after (minutes)").fill("120");
  await page.getByLabel("Tags", { exact: true }).fill("Team=e2e");
  await page.getByLabel("User names", { exact: true }).fill(`${prefix}-1\n${prefix}-2`);
  await page.getByLabel("CSV", { exact: true }).fill(`user_name,auto_stop_timeout_minutes\n${prefix}-3,90\n`);
  await page.getByRole("button", { name: "Review…" }).click();

  await expect(page).toHaveURL(/\/workspaces\/new\/review\?draft=\d+$/);
  await expect(page.getByRole("heading", { name: "Create 2 of 3 WorkSpaces" })).toBeVisible();
  const row = (user: string) => page.locator("table.provision-review tbody tr", { hasText: user });
  for (const user of [`${prefix}-1`, `${prefix}-2`]) {
    await expect(row(user)).toContainText("will be created");
    await expect(row(user)).toContainText("POWER");
    await expect(row(user)).toContainText("root 175 GiB, user 100 GiB");
    await expect(row(user)).toContainText("AUTO_STOP after 120 min");
    await expect(row(user)).toContainText("Team=e2e");
  }
  await expect(row(`${prefix}-3`)).toContainText("refused");
  await expect(row(`${prefix}-3`)).toContainText('the auto-stop timeout "90" is not a multiple of 60 minutes');
  await page.screenshot({ path: `output/provision-review-${testInfo.project.name}.png`, fullPage: true });

  await page.getByLabel("Reason or ticket").fill(`CHG-${testInfo.project.name}-provision`);
  await page.getByRole("button", { name: "Create 2 WorkSpaces" }).click();
  const report = page.getByRole("status").filter({ hasText: "2 of 3 WorkSpaces accepted by AWS" });
  await expect(report).toBeVisible();
  await expect(report.locator("li", { hasText: `${prefix}-1` })).toContainText("succeeded");
  await expect(report.locator("li", { hasText: `${prefix}-3` })).toContainText("not a multiple of 60 minutes");
  await expect(page.getByRole("button", { name: /Create \d+ WorkSpaces/ })).toHaveCount(0);
  await page.screenshot({ path: `output/provision-done-${testInfo.project.name}.png`, fullPage: true });

  await page.goto(`/?q=${prefix}-`);
  const rows = page.locator("table.data tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(`${prefix}-1`);
  await expect(rows.nth(1)).toContainText(`${prefix}-2`);
  await expect(rows.nth(0)).toContainText("d-93670c1e5a");

  await page.goto("/audit?action=workspace.create");
  await expect(page.locator("table.data tbody tr", { hasText: `CHG-${testInfo.project.name}-provision` })).toContainText("partial");
});

test("a help-desk user gets no New WorkSpaces link and the page refuses them", async ({ page }, testInfo) => {
  await login(page, "helpdesk", testInfo, "/");
  await expect(page.getByRole("heading", { name: "Fleet" })).toBeVisible();
  await expect(page.getByRole("link", { name: "New WorkSpaces" })).toHaveCount(0);
  await page.goto("/workspaces/new");
  await expect(page.getByRole("alert")).toContainText("your role does not allow this");
});

test("encrypting without a KMS key is refused on the form, naming the field", async ({ page }, testInfo) => {
  await login(page, "admin", testInfo, "/workspaces/new");
  await page.getByLabel("Directory", { exact: true }).selectOption("d-93670c1e5a");
  await page.getByLabel("Bundle", { exact: true }).selectOption("wsb-dev-power-eu");
  await page.getByLabel("Encrypt the root volume").check();
  await page.getByLabel("User names", { exact: true }).fill(`e2e-${testInfo.project.name}-key`);
  await page.getByRole("button", { name: "Review…" }).click();
  await expect(page.getByRole("alert")).toContainText("kms_key: encrypting a volume needs the KMS key");
  await expect(page).toHaveURL(/\/workspaces\/new/);
});

test("with JavaScript a chosen CSV file fills the CSV box and bundles narrow to the directory's Region", async ({ page }, testInfo) => {
  test.skip(jsOff(testInfo), "the file is read in the browser; without JavaScript the CSV is pasted");
  await login(page, "admin", testInfo, "/workspaces/new");
  await page.getByLabel("Directory", { exact: true }).selectOption("d-9067a3f4e2");
  await expect(page.locator("#new-bundle optgroup:not([hidden])")).toHaveCount(1);
  await expect(page.locator("#new-bundle optgroup:not([hidden])")).toHaveAttribute("label", "us-east-1");
  const csv = "user_name,running_mode\nfile-amy,MANUAL\n";
  await page.getByLabel("Or read a CSV file into the box above").setInputFiles({
    name: "users.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(csv),
  });
  await expect(page.getByLabel("CSV", { exact: true })).toHaveValue(csv);
});
