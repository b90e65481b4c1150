// Tags on a WorkSpace and in bulk, the fleet's protocol / OS / standby filters, and
// standby WorkSpaces: the pair on the detail page and an admin creating a standby.
// Both projects share one demo server, so each picks its own WorkSpaces.
import { test, expect } from "@playwright/test";
import { login, open } from "./helpers";

/** Row offset per project, so the two runs never touch the same WorkSpaces. */
function offset(testInfo: { project: { name: string } }): number {
  return testInfo.project.name === "no-js" ? 10 : 0;
}

test("the help desk edits a WorkSpace's tags and the fleet's tag filter finds it", async ({ page }, testInfo) => {
  await login(page, "helpdesk", testInfo, "/?region=eu-west-1&sort=id");
  const link = page.locator("table.data tbody tr").nth(offset(testInfo)).getByRole("link");
  const id = (await link.textContent()) ?? "";
  await link.click();
  await page.getByRole("link", { name: "View and edit" }).click();
  await expect(page).toHaveURL(new RegExp(`/tags/${id}$`));
  await expect(page.getByRole("heading", { name: `Tags of WorkSpace ${id}` })).toBeVisible();
  const editor = page.getByLabel(/One Key=Value per line/);
  const lines = (await editor.inputValue()).split("\n").filter((l) => !l.startsWith("CostCenter="));
  lines.push(`Ticket=${testInfo.project.name}`);
  await editor.fill(lines.join("\n"));
  await page.getByLabel("Reason or ticket").fill(`INC-${testInfo.project.name}-tags`);
  await page.getByRole("button", { name: "Save tags" }).click();
  await expect(page.getByRole("status").filter({ hasText: "1 set, 1 removed" })).toBeVisible();
  await open(page, `/tags/${id}`, testInfo);
  const current = page.locator("section", { hasText: "Current tags" });
  await expect(current).toContainText(testInfo.project.name);
  await expect(current).not.toContainText("CostCenter");
  await page.screenshot({ path: `output/tags-${testInfo.project.name}.png`, fullPage: true });

  await open(page, `/?tag=Ticket%3D${testInfo.project.name}`, testInfo);
  await expect(page.locator("table.data tbody tr")).toHaveCount(1);
  await expect(page.locator("table.data tbody tr")).toContainText(id);
  await page.goto(`/audit?target=${id}`);
  await expect(page.locator("table.data tbody tr").first()).toContainText("workspace.tags");
});

test("the help desk tags checked WorkSpaces in bulk through the review page", async ({ page }, testInfo) => {
  await login(page, "helpdesk", testInfo, "/?region=us-east-1&sort=id");
  const boxes = page.locator("table.data tbody input[type=checkbox]");
  for (let i = 0; i < 2; i++) {
    await boxes.nth(offset(testInfo) + i).check();
  }
  await page.getByLabel("Bulk action").selectOption("tags");
  await page.getByRole("button", { name: "Review…" }).click();
  await expect(page.getByRole("heading", { name: "Edit tags: 2 WorkSpaces" })).toBeVisible();
  await page.getByLabel("Tags to set, one Key=Value per line").fill(`Batch=${testInfo.project.name}`);
  await page.getByLabel("Reason or ticket").fill(`CHG-${testInfo.project.name}-bulk-tags`);
  await page.getByRole("button", { name: "Edit tags of 2 WorkSpaces" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Edit tags: 2 of 2 accepted by AWS" })).toBeVisible();
  await open(page, `/?tag=Batch%3D${testInfo.project.name}`, testInfo);
  await expect(page.locator("table.data tbody tr")).toHaveCount(2);
});

test("a viewer reads tags but gets no editor", async ({ page }, testInfo) => {
  await login(page, "viewer", testInfo, "/tags/d-93670c1e5a");
  await expect(page.getByRole("heading", { name: "Tags of directory d-93670c1e5a" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Save tags" })).toHaveCount(0);
});

test("the fleet filters by protocol, operating system and standby", async ({ page }, testInfo) => {
  await login(page, "viewer", testInfo, "/?standby=primary");
  const primaries = page.locator("table.data tbody tr");
  await expect(primaries.first()).toContainText("primary");
  await open(page, "/?standby=standby", testInfo);
  await expect(page.locator("table.data tbody tr").first()).toContainText("us-east-1");
  await open(page, "/?protocol=PCOIP&os=WINDOWS_SERVER_2022", testInfo);
  const row = page.locator("table.data tbody tr").first();
  await expect(row).toContainText("PCOIP");
  await expect(row).toContainText("Windows Server 2022");
});

test("a primary shows its standby, and an admin creates a standby in the other Region", async ({ page }, testInfo) => {
  await login(page, "admin", testInfo, "/?standby=primary&sort=id");
  await page.locator("table.data tbody tr").first().getByRole("link").click();
  const card = page.locator("section", { hasText: "Standby (multi-Region)" });
  await expect(card).toContainText("This is a primary WorkSpace");
  await expect(card.locator("tbody tr").first()).toContainText("us-east-1");
  await expect(card.locator("tbody tr").first()).toContainText("STANDBY");

  await open(page, "/?standby=none&region=eu-west-1&state=AVAILABLE&sort=id", testInfo);
  const link = page.locator("table.data tbody tr").nth(offset(testInfo) + 3).getByRole("link");
  const id = (await link.textContent()) ?? "";
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/workspaces/${id}$`));
  await page.locator("summary", { hasText: "Create standby…" }).click();
  await page.getByLabel("Standby Region and directory").selectOption("d-9067a3f4e2");
  await page.getByLabel("Reason or ticket").last().fill(`DR-${testInfo.project.name}`);
  await page.getByRole("button", { name: "Create standby" }).click();
  await expect(page.getByRole("status").filter({ hasText: "requested in us-east-1" })).toBeVisible();
  await expect
    .poll(
      async () => {
        await page.goto(`/workspaces/${id}`);
        return page.locator("section", { hasText: "Standby (multi-Region)" }).textContent();
      },
      { timeout: 20_000 },
    )
    .toContain("This is a primary WorkSpace");
  await page.screenshot({ path: `output/standby-${testInfo.project.name}.png`, fullPage: true });
  await page.goto(`/audit?target=${id}`);
  await expect(page.locator("table.data tbody tr").first()).toContainText("workspace.create_standby");
});
