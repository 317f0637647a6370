import type { RequirementInput } from "./types";

const base = { domain: "clinical_systems" } as const;

export const CLINICAL: RequirementInput[] = [
  {
    ...base, id: "CLN-01", category: "core_mandated", funder: "national", evidence: "automatic",
    title: "Assured clinical system",
    description: "The practice runs an assured foundation clinical system (for example EMIS Web or TPP SystmOne), paid for nationally where an ICB-practice agreement is signed.",
    check: "The practice's principal clinical system from national data or the digital services register.",
    sources: ["S3", "S59"],
  },
  {
    ...base, id: "CLN-02", category: "core_mandated", funder: "national", evidence: "attestation",
    title: "Six foundation capabilities",
    description: "The clinical system covers appointments, patient details, consultation records, prescribing, referrals and resource management.",
    sources: ["S3", "S61"],
  },
  {
    ...base, id: "CLN-03", category: "core_mandated", funder: "national", evidence: "attestation",
    title: "Clinical system choice and migration",
    description: "The practice chooses its foundation system; a change is planned with the ICB, and agreed exit costs are met by NHS England or the ICB.",
    sources: ["S16"],
  },
  {
    ...base, id: "CLN-04", category: "core_mandated", funder: "icb", evidence: "attestation",
    title: "Bought through national frameworks",
    description: "Clinical and digital solutions are bought through the national catalogue or its successor frameworks.",
    sources: ["S60", "S61"],
  },
  {
    ...base, id: "CLN-05", category: "core_mandated", funder: "icb", evidence: "automatic",
    title: "Online consultation tool",
    description: "Patients can contact the practice through an online consultation tool supplied by the ICB.",
    check: "The online consultation service record.",
    sources: ["S1", "S6"],
  },
  {
    ...base, id: "CLN-06", category: "gp_contract", funder: "practice", evidence: "attestation", appliesFrom: "2025-10-01",
    title: "Online consultation open in core hours",
    description: "The online consultation tool accepts non-urgent, medication and admin requests throughout core hours (08:00-18:30 on weekdays), with safeguards for urgent needs.",
    sources: ["S62"],
  },
  {
    ...base, id: "CLN-07", category: "core_mandated", funder: "icb", evidence: "automatic",
    title: "Video consultation",
    description: "Clinicians can consult patients by video.",
    check: "The video consultation service record.",
    sources: ["S1"],
  },
  {
    ...base, id: "CLN-08", category: "gp_contract", funder: "national", evidence: "automatic",
    title: "NHS App functions switched on",
    description: "Patients can book appointments, order repeat prescriptions, message the practice and see their record through the NHS App.",
    check: "The four NHS App service records (appointments, repeat prescriptions, messaging, record view).",
    sources: ["S17"],
  },
  {
    ...base, id: "CLN-09", category: "gp_contract", funder: "practice", evidence: "automatic", appliesFrom: "2023-10-31",
    title: "Prospective record access by default",
    description: "Patients with online accounts see new entries in their record without having to ask (contract deadline 31 October 2023).",
    check: "The prospective record access service record.",
    sources: ["S63", "S17"],
  },
  {
    ...base, id: "CLN-10", category: "gp_contract", funder: "practice", evidence: "automatic", appliesFrom: "2025-10-01",
    title: "GP Connect access and update record",
    description: "Other care settings can view the record through GP Connect Access Record, and pharmacies can send consultation summaries back through Update Record (from 1 October 2025).",
    check: "The GP Connect Access Record and Update Record service records.",
    sources: ["S62"],
  },
  {
    ...base, id: "CLN-11", category: "gp_contract", funder: "practice", evidence: "automatic", appliesFrom: "2024-10-01",
    title: "Online registration",
    description: "New patients can register through the national 'Register with a GP surgery' service.",
    check: "The online registration service record.",
    sources: ["S76"],
  },
  {
    ...base, id: "CLN-12", category: "core_mandated", funder: "national", evidence: "automatic",
    title: "National digital services in use",
    description: "National services are deployed and supported locally: electronic prescriptions, e-Referrals, GP2GP transfers, the Summary Care Record and NHSmail.",
    check: "The EPS, e-RS, GP2GP, SCR and NHSmail service records.",
    sources: ["S6", "S16"],
  },
  {
    ...base, id: "CLN-13", category: "core_mandated", funder: "icb", evidence: "automatic",
    title: "Text messaging to patients",
    description: "The practice can send patients electronic messages such as SMS.",
    check: "The SMS messaging service record.",
    sources: ["S6"],
  },
  {
    ...base, id: "CLN-14", category: "gp_contract", funder: "practice", evidence: "automatic",
    title: "Practice website with patient guidance",
    description: "The practice runs its own website, which from 1 October 2025 (GP contract 2025/26) links to the 'You and Your General Practice' guide and explains online access.",
    check: "The practice website service records (website, and the guide link from 1 October 2025).",
    sources: ["S6", "S62"],
  },
  {
    ...base, id: "CLN-15", category: "practice_business", funder: "practice", evidence: "attestation",
    title: "Dispensing systems",
    description: "A dispensing practice buys and runs its own dispensing system and IT.",
    sources: ["S6"],
  },
  {
    ...base, id: "CLN-16", category: "core_mandated", funder: "icb", evidence: "attestation",
    title: "Data quality and national extracts",
    description: "The ICB supports data quality, and national data extracts (appointments, online services, telephony) flow from the practice.",
    sources: ["S5", "S23"],
  },
];
