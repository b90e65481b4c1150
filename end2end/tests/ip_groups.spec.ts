// Admins manage IP access control groups; viewers only read them.
import { test, expect } from "@playwright/test";
import { login, open } from "./helpers";

test("an admin creates a group, adds a rule and associates it with a directory", async ({ page }, testInfo) => {
  const name = `Branch ${testInfo.project.name}`;
  await login(page, "admin", testInfo, "/ip-groups");
  await page.getByLabel("Group name").fill(name);
  await page.getByLabel("Group description").fill("Porto branch office");
  await page.getByRole("button", { name: "Create group" }).click();
  const card = page.getByRole("region", { name: `IP group ${name}` });
  await expect(card).toBeVisible();

  // A rule change opens a confirmation with the rules before and after.
  await card.getByLabel(`New rule for ${name}`).fill("198.51.100.77/24");
  await card.getByRole("button", { name: "Add rule" }).click();
  await expect(page.getByRole("alert")).toContainText("did you mean 198.51.100.0/24");
  await open(page, "/ip-groups", testInfo);
  await card.getByLabel(`New rule for ${name}`).fill("198.51.100.0/24");
  await card.getByLabel(`New rule description for ${name}`).fill("Porto");
  await card.getByRole("button", { name: "Add rule" }).click();
  await expect(page.getByRole("region", { name: "Before" })).toContainText("No rules");
  await expect(page.getByRole("region", { name: "After" }).locator(".rule-added")).toContainText("198.51.100.0/24");
  await page.screenshot({ path: `output/rule-review-${testInfo.project.name}.png`, fullPage: true });
  await page.getByRole("button", { name: "Confirm rule change" }).click();
  await expect(page).toHaveURL(/\/ip-groups\?changed=/);
  await expect(card.getByRole("cell", { name: "198.51.100.0/24" })).toBeVisible();

  // Editing the rule shows the old one removed and the new one added.
  await card.locator("summary", { hasText: "Edit" }).click();
  await card.getByLabel("New CIDR for 198.51.100.0/24").fill("198.51.100.128/25");
  await card.getByRole("button", { name: "Review" }).click();
  await expect(page.getByRole("region", { name: "Before" }).locator(".rule-removed")).toContainText("198.51.100.0/24");
  await expect(page.getByRole("region", { name: "After" }).locator(".rule-added")).toContainText("198.51.100.128/25");
  await page.getByRole("button", { name: "Confirm rule change" }).click();
  await expect(card.getByRole("cell", { name: "198.51.100.128/25" })).toBeVisible();

  await card.getByLabel(`Directory for ${name}`).selectOption("d-936a2b77c1");
  await card.getByRole("button", { name: "Associate" }).click();
  await expect(card).toContainText("Associated directories: d-936a2b77c1");
  const groupId = ((await card.locator("h2 .mono").textContent()) ?? "").trim();
  // Deleting asks first, and is refused while a directory uses the group.
  await card.locator("summary", { hasText: "Delete group" }).click();
  await card.getByRole("button", { name: "Yes, delete group" }).click();
  await expect(page.getByRole("alert")).toContainText("disassociate it first");
  await page.screenshot({ path: `output/ip-groups-${testInfo.project.name}.png`, fullPage: true });

  await page.goto("/directories");
  await expect(page.locator(".directory-card[data-directory='d-936a2b77c1']")).toContainText(groupId);
  await page.goto("/audit?action=ip_group.");
  await expect(page.locator("table.data tbody")).toContainText("ip_group.associate");
  await expect(page.locator("table.data tbody")).toContainText("ip_group.add_rule");
  await expect(page.locator("table.data tbody")).toContainText("ip_group.edit_rule");
});

test("a viewer sees the groups without change controls", async ({ page }, testInfo) => {
  await login(page, "viewer", testInfo, "/ip-groups");
  await expect(page.getByRole("region", { name: "IP group Office networks" })).toContainText("203.0.113.0/24");
  await expect(page.getByRole("button", { name: "Add rule" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Create group" })).toHaveCount(0);
});
