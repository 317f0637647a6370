import type { RequirementInput } from "./types";

const base = { domain: "devices", funder: "icb" } as const;

export const DEVICES: RequirementInput[] = [
  {
    ...base,
    id: "DEV-01",
    category: "core_mandated",
    evidence: "automatic",
    title: "ICB-provided desktop infrastructure",
    description:
      "The ICB supplies and looks after the computers, monitors and smartcard readers staff need to use the clinical system and national services.",
    check: "Computers in use and who funded them.",
    sources: ["S6"],
  },
  {
    ...base,
    id: "DEV-02",
    category: "core_mandated",
    evidence: "automatic",
    title: "Supported operating systems",
    description:
      "Every computer in use runs an operating system its vendor still patches. Windows 10 22H2 lost support on 14 October 2025; a device enrolled in paid Extended Security Updates counts as covered.",
    check: "Each computer's operating system and version against the OS lifecycle table, and ESU enrolment.",
    sources: ["S26", "S27", "S32"],
  },
  {
    ...base,
    id: "DEV-03",
    category: "core_mandated",
    evidence: "both",
    title: "Refresh plan backed by purchase data",
    description: "ICB-funded kit has a documented refresh plan, and the register holds the purchase dates the plan depends on.",
    check: "Purchase dates on ICB-funded devices; the plan itself is attested.",
    sources: ["S5", "S16"],
    versions: {
      "2021-23": {
        description:
          "ICB-funded kit has a documented refresh plan (DPCMAT indicator IND34.0), and the register holds the purchase dates the plan depends on.",
      },
      "2026": {
        description:
          "ICB-funded kit has a documented refresh plan and managed GP IT infrastructure is maintained in line with the refresh programme, as the 2026 ICB-practice agreement asks; the register holds the purchase dates the plan depends on.",
      },
    },
  },
  {
    ...base,
    id: "DEV-04",
    category: "core_mandated",
    evidence: "automatic",
    opReading: true,
    title: "Hardware able to run a supported OS",
    description:
      "Computers still on Windows 10 meet Windows 11's hardware floor (TPM 2.0, an 8th-generation or later Intel or 2nd-generation Ryzen processor, 4 GB memory), or are due for replacement.",
    check: "TPM, processor generation and memory of Windows 10 computers in use.",
    sources: ["S29"],
  },
  {
    ...base,
    id: "DEV-05",
    category: "enhanced",
    evidence: "automatic",
    title: "Devices within the local age limit",
    description:
      "Devices are replaced before they pass the ICB's maximum age for their type. No national age limit exists, so the limits are local policy.",
    check: "Purchase date of each device in use against the maximum age for its type (local policy).",
    sources: ["S29", "S75"],
  },
  {
    ...base,
    id: "DEV-06",
    category: "core_mandated",
    evidence: "automatic",
    title: "Complete equipment register",
    description:
      "The GP IT asset register is accurate: every device has an asset tag, serial number, site and owner. DSPT 2025-26 also requires a digital asset register (item 7.1.1).",
    check: "Asset tag, serial number, site and funder on every device that has not been disposed of.",
    sources: ["S5", "S30", "S6"],
  },
  {
    ...base,
    id: "DEV-07",
    category: "core_mandated",
    evidence: "attestation",
    title: "Software licences managed",
    description: "The ICB's service tracks software licences and keeps installations within them.",
    sources: ["S6"],
  },
  {
    ...base,
    id: "DEV-08",
    category: "core_mandated",
    evidence: "automatic",
    title: "Controlled digital environment",
    description: "Only hardware and software the ICB approves is connected or installed; computers are centrally managed.",
    check: "Whether each computer in use is centrally managed (domain or Intune joined).",
    sources: ["S6", "S77"],
  },
  {
    ...base,
    id: "DEV-09",
    category: "core_mandated",
    evidence: "automatic",
    title: "Patches applied within the window",
    description: "Security patches reach every computer within the ICB's patch-management window.",
    check: "Last patched date of each computer in use against the patch window (local policy).",
    sources: ["S16"],
    versions: {
      // Kept in 2021-23 so an ICB on that version keeps the check it has always had, marked as our reading.
      "2021-23": {
        sources: ["S6"],
        unconfirmed: true,
        note: "The 2021-23 model names Cyber Security as a core and mandated enabling requirement (S6); that it sets a patch window is our reading, not confirmed. The 2026 agreement names the ICB's patch-management rules (S16).",
      },
    },
  },
  {
    ...base,
    id: "DEV-10",
    category: "core_mandated",
    evidence: "automatic",
    title: "Current anti-malware",
    description: "Every computer has anti-virus or anti-malware protection with up-to-date definitions (DSPT 6.2.1).",
    check: "Anti-virus status of each computer in use.",
    sources: ["S78"],
  },
  {
    ...base,
    id: "DEV-11",
    category: "core_mandated",
    evidence: "automatic",
    title: "Smartcard readers and current smartcard client",
    description:
      "Staff have smartcard readers, and the Smartcard Connect client (shipped with Credential Management 4.1) is in place before the legacy Identity Agent stops working: it works until 28 February 2027.",
    check: "Smartcard readers in use, and the CIS2 / Smartcard Connect service record, against the client change date (local policy).",
    sources: ["S34"],
  },
  {
    ...base,
    id: "DEV-12",
    category: "core_mandated",
    evidence: "automatic",
    title: "Laptops for remote working",
    description:
      "There are enough NHS-managed laptops (or a virtual desktop service) to run at least 60% of the practice's normal capacity away from the building.",
    check: "Managed laptops in use against the share of users (local policy: 60%).",
    sources: ["S1", "S5"],
  },
  {
    ...base,
    id: "DEV-13",
    category: "practice_business",
    funder: "practice",
    evidence: "attestation",
    title: "Consumables bought by the practice",
    description: "Printers' toner, paper and other IT consumables are the practice's own purchases.",
    sources: ["S6"],
  },
  {
    ...base,
    id: "DEV-14",
    category: "enhanced",
    evidence: "attestation",
    title: "Sustainable buying and secure disposal",
    description:
      "Devices are bought through endorsed frameworks (including refurbished options) and disposed of securely with a certificate.",
    sources: ["S70"],
  },
  {
    ...base,
    id: "DEV-15",
    category: "enhanced",
    evidence: "automatic",
    opReading: true,
    title: "Devices under warranty",
    description:
      "Computers and servers in use are covered by a warranty or support contract, so faults are fixed promptly as part of maintaining managed infrastructure.",
    check: "Warranty end date of each computer and server in use.",
    sources: ["S16", "S5"],
  },
];
