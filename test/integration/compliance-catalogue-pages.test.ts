import { describe, expect, it } from "vitest";
import { REQUIREMENTS } from "~/modules/catalogue";
import * as catalogue from "~/routes/requirements._index";
import * as detail from "~/routes/requirements.$id";
import { PAGE_SIZE } from "~/utils/pagination";
import { call, get } from "../support/requests";
import { useRoleCookies } from "../support/scoping";

const cookies = useRoleCookies();

const list = (qs = "", cookie = cookies.practiceManager) => call(catalogue.loader, get(`/requirements${qs}`, cookie));

/** Every requirement a filtered catalogue lists, across its pages. */
async function all(qs: string) {
  const first = await list(qs);
  const rows = [...first.data.page.rows];
  for (let p = 2; p <= first.data.page.pageCount; p++) rows.push(...(await list(`${qs}${qs ? "&" : "?"}page=${p}`)).data.page.rows);
  return { total: first.data.page.total, rows };
}

describe("the requirement catalogue", () => {
  it("lists every requirement in catalogue order, a page at a time, with id, title, description, source and weight", async () => {
    const { total, rows } = await all("");
    expect(total).toBe(REQUIREMENTS.length);
    expect(rows.map((r: any) => r.id)).toEqual(REQUIREMENTS.map((r) => r.id));
    expect((await list()).data.page.rows).toHaveLength(PAGE_SIZE);
    expect(rows.find((r: any) => r.id === "DEV-02")).toMatchObject({
      title: "Supported operating systems",
      domainLabel: "Devices",
      category: "Core and mandated",
      funder: "ICB",
      evidence: "Automatic (register data)",
      weight: 3,
    });
    expect(rows.find((r: any) => r.id === "DEV-02").sources.map((s: any) => s.ref)).toEqual(["S26", "S27", "S32"]);
  });

  it("filters by domain, category, funder and evidence from the URL, ignoring values it does not know", async () => {
    const cases: [string, (r: (typeof REQUIREMENTS)[number]) => boolean][] = [
      ["?domain=telephony", (r) => r.domain === "telephony"],
      ["?category=gp_contract", (r) => r.category === "gp_contract"],
      ["?funder=practice", (r) => r.funder === "practice"],
      ["?evidence=attestation", (r) => r.evidence === "attestation"],
      ["?evidence=automatic&domain=devices", (r) => r.evidence === "automatic" && r.domain === "devices"],
      ["?domain=teapots", () => true],
    ];
    for (const [qs, match] of cases) {
      const { total, rows } = await all(qs);
      const expected = REQUIREMENTS.filter(match).map((r) => r.id);
      expect(expected.length, qs).toBeGreaterThan(0);
      expect(total, qs).toBe(expected.length);
      expect(
        rows.map((r: any) => r.id),
        qs,
      ).toEqual(expected);
    }
    expect((await list("?q=call-back")).data.page.rows.map((r: any) => r.id)).toContain("TEL-04");
  });

  it("shows the framework versions and filters by version, in that version's wording", async () => {
    const { data } = await list();
    expect(data.versions.map((v: any) => [v.id, v.effectiveFrom, v.effectiveFromUnconfirmed, v.requirements])).toEqual([
      ["2021-23", "2021-04-01", true, REQUIREMENTS.length - 2],
      ["2026", "2026-05-27", true, REQUIREMENTS.length],
    ]);
    const old = await all("?version=2021-23");
    expect(old.total).toBe(REQUIREMENTS.length - 2);
    expect(old.rows.map((r: any) => r.id)).not.toContain("SEC-09");
    expect(old.rows.find((r: any) => r.id === "BCP-01").title).toBe("Practice continuity plan");
    const latest = await all("?version=2026&domain=cyber_ig");
    expect(latest.rows.find((r: any) => r.id === "SEC-09")).toMatchObject({
      introducedIn: "2026",
      versions: [{ version: "2026", unconfirmed: false }],
    });
    expect((await all("?version=1999")).total).toBe(REQUIREMENTS.length);
  });

  it("shows a requirement's versions, the one it came from, and each version's wording and source", async () => {
    const { data } = await call(detail.loader, get("/requirements/BCP-01", cookies.practiceManager), { id: "BCP-01" });
    expect(data.requirement.introducedInName).toBe("GP IT operating model 2021-23");
    expect(data.requirement.versions.map((v: any) => [v.name, v.title, v.sources.map((s: any) => s.ref), v.unconfirmed])).toEqual([
      ["GP IT operating model 2021-23", "Practice continuity plan", ["S10"], false],
      ["GP IT operating model 2026 and ICB-practice agreement 2026", "Practice continuity plan approved by the ICB", ["S16", "S10"], false],
    ]);
  });

  it("shows one requirement, with links to results where the user works", async () => {
    const lead = await call(detail.loader, get("/requirements/DEV-02", cookies.icbLead), { id: "DEV-02" });
    expect(lead.data.requirement).toMatchObject({ id: "DEV-02", check: expect.stringMatching(/operating system/) });
    expect(lead.data.icbs.map((i: any) => i.code)).toEqual(["QMF"]);
    expect(lead.data.practices).toEqual([]);
    const pm = await call(detail.loader, get("/requirements/DEV-02", cookies.practiceManager), { id: "DEV-02" });
    expect(pm.data.practices.map((p: any) => p.code)).toEqual(["F84003"]);
    expect((await call(detail.loader, get("/requirements/NOPE-1", cookies.icbLead), { id: "NOPE-1" })).status).toBe(404);
  });
});
