import type { RequirementInput } from "./types";

const base = { domain: "infrastructure", funder: "icb" } as const;

export const INFRASTRUCTURE: RequirementInput[] = [
  {
    ...base, id: "INF-01", category: "core_mandated", evidence: "automatic",
    title: "HSCN at every site",
    description: "Each open practice site has a Health and Social Care Network connection to reach Spine and other national services.",
    check: "The HSCN connection recorded for each open site.",
    sources: ["S6"],
  },
  {
    ...base, id: "INF-02", category: "core_mandated", evidence: "automatic", opReading: true,
    title: "Bandwidth for the number of users",
    description: "Each site's connection is big enough for its users and for cloud services such as telephony and video. There is no national minimum, so the bandwidth per user is local policy.",
    check: "Bandwidth at each open site against its users times the minimum per user (local policy; users from devices or list size).",
    sources: ["S68"],
  },
  {
    ...base, id: "INF-03", category: "core_mandated", evidence: "automatic", opReading: true,
    title: "Local network kit in place and current",
    description: "Each site has the essential local infrastructure (switches and a firewall) and it is within its supported age.",
    check: "Network switches and firewalls in use at each open site, and their age against the limit for network kit (local policy).",
    sources: ["S6"],
  },
  {
    ...base, id: "INF-04", category: "core_mandated", evidence: "automatic",
    title: "NHS Wi-Fi for staff and patients",
    description: "Staff and patients can use NHS Wi-Fi at every practice site.",
    check: "Staff and patient Wi-Fi recorded for each open site.",
    sources: ["S6", "S57", "S74"],
  },
  {
    ...base, id: "INF-05", category: "core_mandated", evidence: "automatic", opReading: true,
    title: "Branch sites on a par with the main site",
    description: "Branch surgeries get the same core connectivity and computers as the main site.",
    check: "HSCN, staff Wi-Fi and at least one computer in use at each open branch site.",
    sources: ["S51"],
  },
  {
    ...base, id: "INF-06", category: "core_mandated", evidence: "automatic",
    title: "Safe remote access with enough capacity",
    description: "Working away from the practice uses only secure routes (NHS-managed laptops or virtual desktops) and covers at least 60% of normal capacity.",
    check: "Laptops in use: all centrally managed, and enough of them for the remote capacity share (local policy).",
    sources: ["S1", "S5"],
  },
  {
    ...base, id: "INF-07", category: "enhanced", evidence: "automatic",
    title: "Smartcard sign-in over the internet",
    description: "Staff can sign in with their smartcard over the internet as well as over HSCN, using Smartcard Connect, ready for Internet First.",
    check: "The CIS2 / Smartcard Connect service record.",
    sources: ["S34", "S68"],
  },
  {
    ...base, id: "INF-08", category: "practice_business", funder: "practice", evidence: "automatic",
    title: "Comms room fit for IT",
    description: "The practice provides a suitable comms room or cabinet, with power and cooling, for the IT kit on its premises.",
    check: "Whether each open site's comms room is recorded as fit for purpose.",
    sources: ["S6"],
  },
];
