import { describe, expect, it } from "vitest";
import { currentNavItem } from "~/components/Layout";

// An ICB lead's header: Organisations (/icbs) and Dashboard (/icbs/QMF/dashboard) both sit above
// the dashboard's address; only one may be marked current.
const items = [
  "/",
  "/icbs",
  "/practices",
  "/icbs/QMF/dashboard",
  "/icbs/QMF/compliance",
  "/estate/devices",
  "/estate/import",
  "/gaps",
  "/funding-requests",
].map((to) => ({ to }));

describe("the current header item", () => {
  it("is the deepest item above the page, once", () => {
    expect(currentNavItem(items, "/icbs/QMF/dashboard")).toBe("/icbs/QMF/dashboard");
    expect(currentNavItem(items, "/icbs/QMF/compliance/TEL-02")).toBe("/icbs/QMF/compliance");
    expect(currentNavItem(items, "/icbs/QMF")).toBe("/icbs");
    expect(currentNavItem(items, "/gaps/12")).toBe("/gaps");
  });
  it("is Home only on the home page, and none for pages outside the menu", () => {
    expect(currentNavItem(items, "/")).toBe("/");
    expect(currentNavItem(items, "/account/password")).toBeUndefined();
    // A prefix of a word is not a folder above: /estate/devices is not under /estate/device.
    expect(currentNavItem([{ to: "/estate/device" }], "/estate/devices")).toBeUndefined();
  });
  it("does not depend on the items' order", () => {
    const reversed = [...items].reverse();
    expect(currentNavItem(reversed, "/icbs/QMF/dashboard")).toBe("/icbs/QMF/dashboard");
    expect(currentNavItem(reversed, "/icbs/QMF/compliance/TEL-02")).toBe("/icbs/QMF/compliance");
    expect(currentNavItem(reversed, "/icbs/QMF")).toBe("/icbs");
    expect(currentNavItem(reversed, "/")).toBe("/");
  });
});
