import { describe, expect, it } from "vitest";
import { DIGITAL_SERVICES, SERVICE_KEYS } from "~/modules/catalogue/digital-services";
import { DigitalServicesSchema, nestDotted } from "~/modules/digital-services/schema";
import { ConnectivitySchema, NewSiteSchema, PremisesSchema } from "~/modules/sites/schema";

const errorsOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));

/** A flat form post as the browser sends it: every service at "unknown" and version 0. */
function servicesForm(overrides: Record<string, string> = {}) {
  const form: Record<string, string> = {};
  for (const k of SERVICE_KEYS)
    Object.assign(form, {
      [`${k}.status`]: "unknown",
      [`${k}.supplier`]: "",
      [`${k}.since_date`]: "",
      [`${k}.notes`]: "",
      [`${k}.version`]: "0",
    });
  return { ...form, ...overrides };
}

describe("digital services catalogue", () => {
  it("names each service once, with requirement ids from the operating model", () => {
    expect(new Set(SERVICE_KEYS).size).toBe(SERVICE_KEYS.length);
    for (const s of DIGITAL_SERVICES) {
      expect(s.requirementIds.length).toBeGreaterThan(0);
      for (const id of s.requirementIds) expect(id).toMatch(/^(CLN|DEV|INF|SEC|BCP)-\d{2}$/);
    }
    expect(DIGITAL_SERVICES.find((s) => s.key === "online_consultation")?.requirementIds).toContain("CLN-05");
    expect(SERVICE_KEYS).toEqual(
      expect.arrayContaining(["principal_clinical_system", "eps", "gp_connect_update_record", "cis2_smartcard_connect"]),
    );
  });
});

describe("digital services schema", () => {
  it("nests flat form fields by service", () => {
    expect(nestDotted({ "eps.status": "in_use", "eps.version": "2", other: "x" })).toEqual({
      eps: { status: "in_use", version: "2" },
      other: "x",
    });
    expect(nestDotted({ eps: { status: "in_use" } })).toEqual({ eps: { status: "in_use" } });
  });

  it("parses a flat post into one entry per service, dates to ISO", () => {
    const r = DigitalServicesSchema.parse(
      servicesForm({ "eps.status": "in_use", "eps.since_date": "31/03/2024", "eps.supplier": " EMIS ", "eps.version": "4" }),
    );
    expect(r.eps).toEqual({ status: "in_use", supplier: "EMIS", since_date: "2024-03-31", notes: null, seats: null, version: 4 });
    expect(r.online_consultation).toEqual({ status: "unknown", supplier: null, since_date: null, notes: null, seats: null, version: 0 });
  });

  it("names the service in each message, keyed by the field", () => {
    const r = DigitalServicesSchema.safeParse(servicesForm({ "eps.since_date": "31/02/2024", "nhsmail.status": "maybe" }));
    expect(errorsOf(r)).toEqual({
      "eps.since_date": "Electronic Prescription Service (EPS) start date must be a real date, like 31/03/2024",
      "nhsmail.status": "Select whether NHSmail is in use",
    });
  });
});

describe("site schemas", () => {
  it("reads connectivity facts", () => {
    expect(
      ConnectivitySchema.parse({ hscn_connected: "yes", bandwidth_mbps: "80.5", wifi_staff: "no", wifi_patient: "", version: "2" }),
    ).toEqual({
      hscn_connected: true,
      hscn_circuit_id: null,
      bandwidth_mbps: 80.5,
      resilient_line: null,
      wifi_staff: false,
      wifi_patient: null,
      version: 2,
    });
    expect(errorsOf(ConnectivitySchema.safeParse({ bandwidth_mbps: "fast", version: "1" }))).toEqual({
      bandwidth_mbps: "Bandwidth (Mbps) must be a number from 0 to 100,000",
    });
  });

  it("reads premises facts, with UK dates and a known ownership", () => {
    const r = PremisesSchema.parse({
      planned_move_date: "31/03/2027",
      ownership: "nhs_property_services",
      analogue_lines: "2",
      version: "1",
    });
    expect(r).toMatchObject({ planned_move_date: "2027-03-31", ownership: "nhs_property_services", analogue_lines: 2 });
    expect(Object.keys(errorsOf(PremisesSchema.safeParse({ ownership: "squatters", analogue_lines: "1.5", version: "1" })))).toEqual([
      "ownership",
      "analogue_lines",
    ]);
  });

  it("strips fields that belong to the other form", () => {
    expect(ConnectivitySchema.parse({ version: "1", ups_present: "yes", analogue_lines: "9" })).not.toHaveProperty("ups_present");
    expect(PremisesSchema.parse({ version: "1", hscn_connected: "yes" })).not.toHaveProperty("hscn_connected");
  });

  it("needs a name for a new site and tidies the postcode", () => {
    expect(NewSiteSchema.parse({ name: "Records store", kind: "branch", postcode: "e50rd" }).postcode).toBe("E5 0RD");
    expect(errorsOf(NewSiteSchema.safeParse({ name: " ", kind: "branch", postcode: "nowhere" }))).toEqual({
      name: "Enter the site's name",
      postcode: "Enter a real postcode, like E5 0RD",
    });
  });
});
