import { expect } from "vitest";
import type { CyberEssentialsRecord } from "~/modules/compliance/rules";
import { mergeAttested } from "~/modules/compliance/attested-merge";
import { device, estate, win10 } from "../../support/compliance-estate";
import type { RuleCase } from "./cases";

const D = "2026-11-22";
const cert = (id: number, level: CyberEssentialsRecord["level"], issued_on: string, expires_on: string): CyberEssentialsRecord => ({
  id,
  level,
  certificate_number: `IASME-CEP-00${id}`,
  certification_body: "IASME",
  issued_on,
  expires_on,
});
const plus = cert(1, "ce_plus", "2026-03-14", "2027-03-14");

// SEC-05 with imported certificates (rules/cyber-essentials.ts): the data answers both halves.
export const CYBER_ESSENTIALS_CASES: RuleCase[] = [
  {
    rule: "SEC-05",
    name: "Plus in force, nothing unsupported",
    estate: estate({ devices: [device()], cyberEssentials: [plus] }),
    asOf: D,
    status: "met",
    reason:
      "No device in use runs an unsupported operating system. The practice holds Cyber Essentials Plus certificate IASME-CEP-001 (IASME), valid until 14 March 2027.",
    // A verified "not met" answer no longer decides once a certificate is on record.
    check: (f) =>
      expect(mergeAttested("SEC-05", f, { answer: "not_met", answerId: 9, cycleName: "2026", verifiedOn: "2026-06-01" }).status).toBe(
        "met",
      ),
  },
  {
    rule: "SEC-05",
    name: "Plus on its last day",
    estate: estate({ devices: [device()], cyberEssentials: [plus] }),
    asOf: "2027-03-14",
    status: "met",
  },
  {
    rule: "SEC-05",
    name: "Plus expired the day before",
    estate: estate({ devices: [device()], cyberEssentials: [plus] }),
    asOf: "2027-03-15",
    status: "not_met",
    reason: "The practice's latest certificate, Cyber Essentials Plus certificate IASME-CEP-001 (IASME), expired on 14 March 2027.",
  },
  {
    rule: "SEC-05",
    name: "basic Cyber Essentials only",
    estate: estate({ devices: [device()], cyberEssentials: [cert(2, "ce", "2026-05-01", "2027-05-01")] }),
    asOf: D,
    status: "not_met",
    reason:
      /holds Cyber Essentials certificate IASME-CEP-002 \(IASME\), valid until 1 May 2027, but no Cyber Essentials Plus certificate in force/,
  },
  {
    rule: "SEC-05",
    name: "Plus in force but Windows 10 without ESU",
    estate: estate({ devices: [device(), win10()], cyberEssentials: [plus] }),
    asOf: D,
    status: "not_met",
    reason: /1 device in use runs an unsupported operating system.*holds Cyber Essentials Plus certificate IASME-CEP-001/,
  },
  {
    rule: "SEC-05",
    name: "Plus in force, OS not recorded",
    estate: estate({ devices: [device({ os_family: null })], cyberEssentials: [plus] }),
    asOf: D,
    status: "unknown",
    reason: /not known.*holds Cyber Essentials Plus/,
  },
  {
    rule: "SEC-05",
    name: "a certificate issued after the as-of date does not count yet",
    estate: estate({ devices: [device()], cyberEssentials: [plus] }),
    asOf: "2026-03-13",
    status: "met",
    reason: /attested separately/,
  },
  {
    rule: "SEC-05",
    name: "the newest Plus wins over an expired one",
    asOf: D,
    status: "met",
    reason: /IASME-CEP-003/,
    estate: estate({
      devices: [device()],
      cyberEssentials: [cert(3, "ce_plus", "2026-09-01", "2027-09-01"), cert(4, "ce_plus", "2025-03-01", "2026-03-01")],
    }),
  },
];
