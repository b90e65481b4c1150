// Admins manage connection aliases (cross-Region redirection) and the WorkSpaces client
// settings of directories; viewers only read them. Both projects share one demo server,
// so each works on its own alias and directory.
import { test, expect, Page, TestInfo } from "@playwright/test";
import { login, open } from "./helpers";

/** Waits until the sync that starts with the server is done: a sync that listed the
 * aliases before a change and stores them after it would hide the change until the next.
 * Then opens `path` (hydrated, with JavaScript on). */
async function syncDone(page: Page, path: string, testInfo: TestInfo) {
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.locator(".sync-running").count();
      },
      { timeout: 60_000, intervals: [1_000] },
    )
    .toBe(0);
  await open(page, path, testInfo);
}

test("an admin creates, associates, shares and deletes a connection alias", async ({ page }, testInfo) => {
  const name = `${testInfo.project.name}.e2e.example.com`;
  await login(page, "admin", testInfo, "/connection-aliases");
  await syncDone(page, "/connection-aliases", testInfo);
  // The demo's aliases: one associated, one shared, one not associated.
  await expect(page.getByRole("region", { name: "Connection alias partners.example.com" })).toContainText("Shared with: 210987654321");
  await expect(page.locator("section.card", { hasText: "d-93670c1e5a" }).first()).toContainText("desktop.example.com");

  // A connection string that is not an FQDN is refused before AWS is called.
  await page.getByLabel("Connection string").fill("desktop");
  await page.getByRole("button", { name: "Create alias" }).click();
  await expect(page.getByRole("alert")).toContainText("not a fully qualified domain name");
  await open(page, "/connection-aliases", testInfo);
  await page.getByLabel("Connection string").fill(name);
  await page.getByLabel("Tags").fill("Team=EUC");
  await page.getByRole("button", { name: "Create alias" }).click();
  const card = page.getByRole("region", { name: `Connection alias ${name}` });
  await expect(card).toContainText("Not associated with any directory.");
  await expect(card).toContainText("CREATED");

  await card.getByLabel(`Directory for ${name}`).selectOption("d-936a2b77c1");
  await card.getByRole("button", { name: "Associate" }).click();
  await expect(card.getByRole("cell", { name: "d-936a2b77c1" })).toBeVisible();

  // Deleting asks first, warns, and is refused while the alias is associated.
  await card.locator("summary", { hasText: "Delete alias" }).click();
  await expect(card).toContainText("stays reserved for this AWS account");
  await card.getByRole("button", { name: "Yes, delete alias" }).click();
  await expect(page.getByRole("alert")).toContainText("disassociate it first");

  await open(page, "/connection-aliases", testInfo);
  await card.getByLabel(`Account to share ${name} with`).fill("210987654321");
  await card.getByRole("button", { name: "Share" }).click();
  await expect(card).toContainText("Shared with: 210987654321");
  await page.screenshot({ path: `output/connection-aliases-${testInfo.project.name}.png`, fullPage: true });

  await card.locator("summary", { hasText: "Disassociate" }).click();
  await expect(card).toContainText("Cross-Region redirection between this directory");
  await card.getByRole("button", { name: "Yes, disassociate" }).click();
  await expect(card).toContainText("Not associated with any directory.");
  await card.locator("summary", { hasText: "Delete alias" }).click();
  await card.getByRole("button", { name: "Yes, delete alias" }).click();
  await expect(page.getByRole("alert")).toContainText("unshare it first");
  await open(page, "/connection-aliases", testInfo);
  await card.getByRole("button", { name: "Unshare from 210987654321" }).click();
  await expect(card).toContainText("Shared with: nobody");
  await card.locator("summary", { hasText: "Delete alias" }).click();
  await card.getByRole("button", { name: "Yes, delete alias" }).click();
  await expect(card).toHaveCount(0);

  await page.goto("/audit?action=connection_alias.");
  const audit = page.locator("table.data tbody");
  for (const action of ["create", "associate", "share", "disassociate", "unshare", "delete"]) {
    await expect(audit).toContainText(`connection_alias.${action}`);
  }
  await expect(audit).toContainText(name);
});

test("an admin changes a directory's client settings with a reason", async ({ page }, testInfo) => {
  // The demo's contractors directory does not let users reconnect, the US one does.
  const [directory, before, choice, after] =
    testInfo.project.name === "no-js"
      ? ["d-9067a3f4e2", "enabled", "DISABLED", "disabled"]
      : ["d-936a2b77c1", "disabled", "ENABLED", "enabled"];
  const label = "Reconnect without re-entering credentials";
  await login(page, "admin", testInfo, "/directories");
  await syncDone(page, "/directories", testInfo);
  const card = page.locator(`.directory-card[data-directory='${directory}']`);
  const row = card.locator("table.props tr", { hasText: label });
  await expect(row).toContainText(before);
  await card.locator("summary", { hasText: "Change client settings" }).click();
  await card.getByLabel(label).selectOption(choice);
  await card.getByLabel("Reason").fill("INC-7 reconnect policy");
  await card.getByRole("button", { name: "Save client settings" }).click();
  await expect(row).toContainText(after);
  await page.screenshot({ path: `output/client-settings-${testInfo.project.name}.png`, fullPage: true });

  await page.goto("/audit?action=directory.client_properties");
  await expect(page.locator("table.data tbody")).toContainText("INC-7 reconnect policy");
  await expect(page.locator("table.data tbody")).toContainText(directory);
});

test("a viewer sees aliases and client settings without change controls", async ({ page }, testInfo) => {
  await login(page, "viewer", testInfo, "/connection-aliases");
  await expect(page.getByRole("region", { name: "Connection alias partners.example.com" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create alias" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Share" })).toHaveCount(0);
  await open(page, "/directories", testInfo);
  await expect(page.locator(".directory-card[data-directory='d-93670c1e5a']")).toContainText("Upload client diagnostic logs");
  await expect(page.getByText("Change client settings")).toHaveCount(0);
});
