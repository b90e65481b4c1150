// Application management: the catalog page with its filters, a WorkSpace's applications
// card (associate, deploy), the bulk association review from the fleet, the fleet's
// application filter, and a viewer without controls. Both projects share one demo
// server, so each picks its own WorkSpaces.
import { test, expect, Page, TestInfo } from "@playwright/test";
import { jsOff, login, open } from "./helpers";

/** The ids in the fleet table at `path`, in order. */
async function fleetIds(page: Page, path: string, testInfo: TestInfo): Promise<string[]> {
  await open(page, path, testInfo);
  await expect(page.locator("table.data tbody tr").first()).toBeVisible();
  const ids = await page.locator("table.data tbody tr").evaluateAll((rows) =>
    rows.map((row) => (row.querySelector("a[href^='/workspaces/']")?.textContent ?? "").trim()),
  );
  return ids.filter((id) => id.startsWith("ws-"));
}

test("the catalog is filtered with GET parameters and an application lists its associations", async ({ page }, testInfo) => {
  await login(page, "viewer", testInfo, "/applications");
  const eu = page.locator("section[data-region='eu-west-1']");
  await expect(eu.locator("tbody tr")).toHaveCount(6);
  await page.getByLabel("Operating systems (any of)").selectOption(["UBUNTU_22_04"]);
  await page.getByLabel("Licence").selectOption("UNLICENSED");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/os=UBUNTU_22_04/);
  await expect(eu.locator("tbody tr")).toHaveCount(1);
  await expect(eu).toContainText("Remmina");
  await expect(eu).not.toContainText("Microsoft Office 2021");

  await open(page, "/applications?license=LICENSED", testInfo);
  await eu.getByRole("link", { name: "Microsoft Office 2021" }).click();
  await expect(page).toHaveURL(/app=wsa-office21-eu/);
  const associations = page.locator("#associations");
  await expect(associations).toContainText("Microsoft Office 2021 in eu-west-1");
  await expect(associations.locator("tbody tr", { hasText: "wsb-office-std-eu" })).toContainText("COMPLETED");
  await expect(associations.locator("tbody tr", { hasText: "IMAGE" })).toContainText("wsi-0f2c9a7b1");
  expect(await associations.locator("tbody tr", { hasText: "WORKSPACE" }).count()).toBeGreaterThan(25);
  await page.screenshot({ path: `output/applications-${testInfo.project.name}.png`, fullPage: true });
});

test("a viewer sees a WorkSpace's applications and the failed deployment, without controls", async ({ page }, testInfo) => {
  await login(page, "viewer", testInfo, "/applications?app=wsa-visio21-eu");
  const failed = page.locator("#associations tbody tr", { hasText: "ERROR" }).first();
  await expect(failed).toContainText("DeploymentError.WorkspaceUnreachable");
  await failed.getByRole("link").first().click();
  const card = page.locator("#applications");
  await expect(card.locator("tr", { hasText: "Microsoft Visio 2021" })).toContainText("DeploymentError.WorkspaceUnreachable");
  await expect(card.getByText("Deploy applications…")).toHaveCount(0);
  await expect(card.getByText("Associate an application…")).toHaveCount(0);
  await expect(card.getByText("Disassociate…")).toHaveCount(0);
});

test("an admin associates an application on the detail page and deploys it", async ({ page }, testInfo) => {
  await login(page, "admin", testInfo, "/");
  const ids = await fleetIds(page, "/?region=eu-west-1&os=WINDOWS_SERVER_2022&compute=STANDARD&state=AVAILABLE&sort=id", testInfo);
  const id = ids[jsOff(testInfo) ? 1 : 0];
  await open(page, `/workspaces/${id}`, testInfo);
  await page.waitForLoadState("networkidle");
  const card = page.locator("#applications");
  await card.getByText("Associate an application…").click();
  const options = await card.getByLabel("Application (those that support this WorkSpace)").locator("option").allTextContents();
  expect(options).toContain("Notepad++");
  expect(options).not.toContain("Remmina");
  await card.getByLabel("Application (those that support this WorkSpace)").selectOption({ label: "Notepad++" });
  await card.locator("details", { hasText: "Associate an application…" }).getByLabel("Reason or ticket").fill(`REQ-${testInfo.project.name}-npp`);
  await card.getByRole("button", { name: "Associate", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: `Notepad++ associated with ${id}` })).toBeVisible();
  await open(page, `/workspaces/${id}`, testInfo);
  await expect(card.locator("tr", { hasText: "Notepad++" })).toContainText("PENDING_INSTALL_DEPLOYMENT");

  // The card hydrates with its Suspense, after the layout: let it settle before submitting.
  await page.waitForLoadState("networkidle");
  const deploy = card.locator("details", { hasText: "Deploy applications…" });
  await expect(deploy).toContainText("Force: also retry deployments that failed before");
  await deploy.getByLabel("Reason or ticket").fill(`REQ-${testInfo.project.name}-deploy`);
  // The plain form post comes back to the page with done=<audit entry>: wait for that
  // page before opening it again (a navigation in between would race the redirect).
  await deploy.getByRole("button", { name: "Deploy", exact: true }).click();
  await expect(page).toHaveURL(/done=\d+/);
  await open(page, `/workspaces/${id}`, testInfo);
  await expect(card.locator("tr", { hasText: "Notepad++" })).toContainText(/INSTALLING|COMPLETED/);
  await page.screenshot({ path: `output/workspace-applications-${testInfo.project.name}.png`, fullPage: true });
  await page.goto(`/audit?target=${id}`);
  await expect(page.locator("table.data tbody tr", { hasText: "workspace.deploy_applications" })).toContainText(`REQ-${testInfo.project.name}-deploy`);
  await expect(page.locator("table.data tbody tr", { hasText: "workspace.associate_application" })).toContainText("admin");
});

test("a bulk association skips WorkSpaces the application does not support, and the fleet filters by it", async ({ page }, testInfo) => {
  await login(page, "admin", testInfo, "/");
  // Sorted by system: Linux first, Windows last.
  const path = "/?region=eu-west-1&compute=VALUE&sort=os";
  const ids = await fleetIds(page, path, testInfo);
  const [linux, windows] = jsOff(testInfo) ? [ids[1], ids[ids.length - 2]] : [ids[0], ids[ids.length - 1]];
  for (const id of [linux, windows]) {
    await page.getByLabel(`Select ${id}`).check();
  }
  await page.getByLabel("Bulk action").selectOption("application");
  await page.getByRole("button", { name: "Review…" }).click();
  await expect(page.getByRole("heading", { name: "Associate an application: 2 WorkSpaces" })).toBeVisible();
  await page.getByLabel("Application to associate").selectOption({ label: "Notepad++ (eu-west-1)" });
  await page.getByRole("button", { name: "Review", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Associate Notepad++: 1 of 2 WorkSpaces" })).toBeVisible();
  await expect(page.locator("table.data tbody tr", { hasText: linux })).toContainText(/skipped: Notepad\+\+ does not support (Ubuntu|Amazon Linux)/);
  await expect(page.locator("table.data tbody tr", { hasText: windows })).toContainText("will be associated");
  await page.screenshot({ path: `output/bulk-application-${testInfo.project.name}.png`, fullPage: true });
  await page.getByLabel("Reason or ticket").fill(`CHG-${testInfo.project.name}-bulk-npp`);
  await page.getByRole("button", { name: "Associate Notepad++ with 1 WorkSpace" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Associate application: 1 of 2 accepted by AWS" })).toBeVisible();

  // The fleet's application filter: the menu names the application.
  await open(page, "/", testInfo);
  await page.getByRole("combobox", { name: "Application" }).selectOption({ label: "Notepad++ (eu-west-1)" });
  if (jsOff(testInfo)) {
    await page.getByRole("button", { name: "Search" }).click();
  }
  await expect(page).toHaveURL(/app=wsa-notepadpp-eu/);
  await expect(page.locator("table.data tbody tr", { hasText: windows })).toBeVisible();
  await expect(page.locator("table.data tbody tr", { hasText: linux })).toHaveCount(0);
});
