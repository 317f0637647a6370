/**
 * Intune device sync end to end: the demo admin adds a connection to the local Graph server (real
 * HTTP on 127.0.0.1, pages of two devices), chooses Sync now, the server's job worker runs it, and
 * the devices appear on the practice's device list. Axe checks each page on arrival (a11y.ts).
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoDevices, startDevGraph, type DevGraph } from "../../scripts/dev-graph/server";
import { baseUrl, launch, signIn } from "./browser";

const TENANT = "0b1e7f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
const CLIENT = "6a3b9c1d-2e4f-4a5b-8c7d-9e0f1a2b3c4d";
const SECRET = "e2e-graph-secret";

let browser: Browser;
let graph: DevGraph;
beforeAll(async () => {
  browser = await launch();
  graph = await startDevGraph({ tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, devices: demoDevices(), pageSize: 2 });
});
afterAll(async () => {
  await browser?.close();
  await graph?.close();
});

describe("device management sync", () => {
  it("adds a connection, syncs it from the local Graph server, and shows the devices on the practice's page", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, "admin@demo.gp-estate.test");
    await page.goto(`${baseUrl()}/device-sync/new`);
    expect(await page.title()).toBe("Add a connection – Device management sync – GP digital estate");

    // A missing client id is refused beside its field.
    await page.getByLabel("Name", { exact: true }).fill("NEL Intune (local)");
    await page.getByLabel("ICB").selectOption("QMF");
    await page.getByLabel("Directory (tenant) ID").fill(TENANT);
    await page.getByRole("button", { name: "Save connection" }).click();
    await page.locator(".nhsuk-error-summary").waitFor();
    await expect.poll(() => page.locator("#field-client_id-error").textContent()).toContain("Enter the application (client) ID");

    await page.getByLabel("Application (client) ID").fill(CLIENT);
    await page.getByLabel("Client secret").fill(SECRET);
    await page.getByLabel("Sign-in address (admins only)").fill(graph.url);
    await page.getByLabel("Microsoft Graph address (admins only)").fill(graph.url);
    await page.getByLabel("Device name prefixes").fill("F84003-, F84003");
    await page.getByLabel("Sync every (hours)").fill("");
    await page.getByRole("button", { name: "Save connection" }).click();
    await page.getByRole("heading", { level: 1, name: "NEL Intune (local)" }).waitFor();
    expect(await page.content()).not.toContain(SECRET);

    await page.getByRole("button", { name: "Sync now" }).click();
    await page.waitForURL(/\?sync=/);
    // The job worker polls every two seconds: reload until the run is listed.
    for (let i = 0; i < 30 && !(await page.getByRole("cell", { name: /\d{1,2}:\d{2}/ }).count()); i++) {
      await page.waitForTimeout(1000);
      await page.reload();
    }
    const runLink = page.locator("table").last().getByRole("link").first();
    await runLink.click();
    await page.getByRole("heading", { level: 1, name: /^Run of / }).waitFor();
    const summary = await page.locator(".nhsuk-summary-list").textContent();
    expect(summary).toContain("Devices read from Intune5 (3 pages)");
    expect(summary).toContain("New in the register3");
    expect(summary).toContain("Unmapped (no rule placed them)2");
    expect(await page.getByRole("table", { name: "Unmapped devices" }).textContent()).toContain("DESKTOP-7HF2K9L");

    await page.goto(`${baseUrl()}/practices/F84003/devices?q=DEMO7Q3K2`);
    const list = await page.locator("table").first().textContent();
    for (const serial of ["DEMO7Q3K21", "DEMO7Q3K22", "DEMO7Q3K23"]) expect(list).toContain(serial);
    await context.close();
  }, 120_000);
});
