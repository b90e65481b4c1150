// Help-desk actions from the browser: confirmation with a reason, per-WorkSpace results,
// the new state, the audit entry; bulk actions; and nothing for viewers.
import { test, expect } from "@playwright/test";
import { login } from "./helpers";

test("the help desk reboots a WorkSpace from its detail page with a reason", async ({ page }, testInfo) => {
  await login(page, "helpdesk", testInfo, "/?state=AVAILABLE&directory=d-93670c1e5a&sort=id");
  const link = page.locator("table.data tbody tr").first().getByRole("link");
  const id = (await link.textContent()) ?? "";
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/workspaces/${id}$`));
  await page.locator("summary", { hasText: /^Reboot$/ }).click();
  const reason = `INC-${testInfo.project.name}-reboot`;
  await page.getByLabel("Reason or ticket").first().fill(reason);
  await page.getByRole("button", { name: "Reboot now" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Reboot: 1 of 1 accepted by AWS" })).toBeVisible();
  await expect(page.getByText("AVAILABLE → REBOOTING").first()).toBeVisible();
  await page.screenshot({ path: `output/reboot-${testInfo.project.name}.png`, fullPage: true });
  await page.goto(`/audit?target=${id}`);
  const row = page.locator("table.data tbody tr").first();
  await expect(row).toContainText("workspace.reboot");
  await expect(row).toContainText(reason);
  await expect(row).toContainText("helpdesk");
  await expect(row).toContainText("succeeded");
  await expect(page.getByText(/Hash chain verifies/)).toBeVisible();
});

test("the help desk stops three WorkSpaces at once from the fleet page", async ({ page }, testInfo) => {
  await login(page, "helpdesk", testInfo, "/?state=AVAILABLE&mode=AUTO_STOP&sort=id");
  const boxes = page.locator("table.data tbody input[type=checkbox]");
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    ids.push((await boxes.nth(i).getAttribute("value")) ?? "");
    await boxes.nth(i).check();
  }
  await page.getByLabel("Bulk action").selectOption("stop");
  await page.getByRole("button", { name: "Review…" }).click();
  await expect(page.getByRole("heading", { name: "Stop: 3 of 3 WorkSpaces" })).toBeVisible();
  for (const id of ids) {
    await expect(page.locator("table.data tbody tr", { hasText: id })).toContainText("will stop");
  }
  const reason = `CHG-${testInfo.project.name}-bulk-stop`;
  await page.getByLabel("Reason or ticket").fill(reason);
  await page.getByRole("button", { name: "Stop now" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Stop: 3 of 3 accepted by AWS" })).toBeVisible();
  await page.goto(`/audit?action=workspace.stop`);
  const row = page.locator("table.data tbody tr", { hasText: reason });
  for (const id of ids) {
    await expect(row).toContainText(id);
  }
});

test("the viewer gets no action controls and a forged call is refused", async ({ page }, testInfo) => {
  await login(page, "viewer", testInfo, "/?state=AVAILABLE");
  await expect(page.locator("table.data tbody input[type=checkbox]")).toHaveCount(0);
  const link = page.locator("table.data tbody tr").first().getByRole("link");
  const id = (await link.textContent()) ?? "";
  await link.click();
  await expect(page.getByRole("heading", { level: 2, name: "Compute and storage" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Actions" })).toHaveCount(0);
  const forged = await page.request.post("/api/actions/run", {
    form: { action: "reboot", "ids[0]": id, reason: "forged" },
  });
  expect(forged.status()).toBe(403);
});

test("rebuild and restore say what is lost and which snapshot they go back to", async ({ page }, testInfo) => {
  await login(page, "helpdesk", testInfo, "/?state=AVAILABLE&directory=d-93670c1e5a&sort=id");
  await page.locator("table.data tbody tr").nth(1).getByRole("link").click();
  const snapshots = page.locator("section.card", { has: page.getByRole("heading", { name: "Snapshots" }) });
  await expect(snapshots.locator("tr[data-snapshot-kind='rebuild']")).toContainText("user volume");
  await expect(snapshots.locator("tr[data-snapshot-kind='restore']")).toContainText("root and user volumes");

  await page.locator("summary", { hasText: /^Rebuild$/ }).click();
  const rebuild = page.locator("details.action-confirm", { has: page.locator("summary", { hasText: /^Rebuild$/ }) });
  await expect(rebuild).toContainText("recreates the WorkSpace from its bundle's image");
  await expect(rebuild).toContainText("system changes made on the root volume are LOST");
  await expect(rebuild.locator(".snapshot-note")).toContainText(/snapshot of the user volume/);

  await page.locator("summary", { hasText: /^Restore$/ }).click();
  const restore = page.locator("details.action-confirm", { has: page.locator("summary", { hasText: /^Restore$/ }) });
  await expect(restore).toContainText("everything changed on either volume since that snapshot is LOST");
  await expect(restore.locator(".snapshot-note")).toContainText(/snapshot of the root and user volumes/);
});

test("a rebuild of a WorkSpace in use says the user is connected right now", async ({ page }, testInfo) => {
  // Issue 27, item 10.
  await login(page, "helpdesk", testInfo, "/?state=AVAILABLE&connection=CONNECTED&sort=id");
  await page.locator("table.data tbody tr").first().getByRole("link").click();
  await page.locator("summary", { hasText: "Rebuild" }).click();
  await expect(page.getByText(/The user is connected right now: rebuild ends their session/)).toBeVisible();
  const id = page.url().split("/").pop() ?? "";
  await page.goto(`/bulk?action=rebuild&ids=${id}`);
  await expect(page.locator("table.data tbody tr").first()).toContainText("The user is connected right now");
});
