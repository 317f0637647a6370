/**
 * Intune device sync end to end: the demo admin adds a connection to the local Graph server (real
 * HTTP on 127.0.0.1, pages of two devices), chooses Sync now, the server's job worker runs it, and
 * the devices appear on the practice's device list. Axe checks each page on arrival (a11y.ts).
 */
import { demoDevices, startDevGraph, type DevGraph } from "../../scripts/dev-graph/server";
import { expect, test } from "./fixtures";

const TENANT = "0b1e7f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
const CLIENT = "6a3b9c1d-2e4f-4a5b-8c7d-9e0f1a2b3c4d";
const SECRET = "e2e-graph-secret";

let graph: DevGraph;
test.beforeAll(async () => {
  graph = await startDevGraph({ tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, devices: demoDevices(), pageSize: 2 });
});
test.afterAll(async () => {
  await graph?.close();
});

test.describe("device management sync", () => {
  test("adds a connection, syncs it from the local Graph server, and shows the devices on the practice's page", async ({ signedIn }) => {
    test.setTimeout(120_000);
    const page = await signedIn("admin@demo.gp-estate.test", { viewport: { width: 1280, height: 900 } });
    await page.goto("/device-sync/new");
    await expect(page).toHaveTitle("Add a connection – Device management sync – GP digital estate");

    // A missing client id is refused beside its field.
    await page.getByLabel("Name", { exact: true }).fill("NEL Intune (local)");
    await page.getByLabel("ICB").selectOption("QMF");
    await page.getByLabel("Directory (tenant) ID").fill(TENANT);
    await page.getByRole("button", { name: "Save connection" }).click();
    await expect(page.locator(".nhsuk-error-summary")).toBeVisible();
    await expect(page.locator("#field-client_id-error")).toContainText("Enter the application (client) ID");

    await page.getByLabel("Application (client) ID").fill(CLIENT);
    await page.getByLabel("Client secret").fill(SECRET);
    await page.getByLabel("Sign-in address (admins only)").fill(graph.url);
    await page.getByLabel("Microsoft Graph address (admins only)").fill(graph.url);
    await page.getByLabel("Device name prefixes").fill("F84003-, F84003");
    await page.getByLabel("Sync every (hours)").fill("");
    await page.getByRole("button", { name: "Save connection" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "NEL Intune (local)" })).toBeVisible();
    expect(await page.content()).not.toContain(SECRET);

    await page.getByRole("button", { name: "Sync now" }).click();
    // The page says the sync was queued (or has already finished): not the URL, which another change may tidy.
    await expect(page.getByText(/A sync is (running|waiting to start)|The sync has finished/)).toBeVisible();
    // The job worker polls every two seconds: reload until the run is listed.
    const runTime = page.getByRole("cell", { name: /\d{1,2}:\d{2}/ });
    await expect(async () => {
      await page.reload();
      await expect(runTime.first()).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 45_000 });
    const runLink = page.locator("table").last().getByRole("link").first();
    await runLink.click();
    await expect(page.getByRole("heading", { level: 1, name: /^Run of / })).toBeVisible();
    const summary = page.locator(".nhsuk-summary-list");
    await expect(summary).toContainText("Devices read from Intune5 (3 pages)");
    await expect(summary).toContainText("New in the register3");
    await expect(summary).toContainText("Unmapped (no rule placed them)2");
    await expect(page.getByRole("table", { name: "Unmapped devices" })).toContainText("DESKTOP-7HF2K9L");

    await page.goto("/practices/F84003/devices?q=DEMO7Q3K2");
    const list = page.locator("table").first();
    for (const serial of ["DEMO7Q3K21", "DEMO7Q3K22", "DEMO7Q3K23"]) await expect(list).toContainText(serial);
  });
});
