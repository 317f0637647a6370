import type { Category, Domain } from "~/modules/catalogue";
import { daysBetween } from "~/utils/today";

/**
 * Priority of a gap, from factors a commissioner can see and argue with. Each factor adds
 * points; the total gives High (7+), Medium (4-6) or Low (0-3). Pure, so pages, exports and
 * tests all explain the same number.
 */
export type PriorityLevel = "high" | "medium" | "low";
export const PRIORITY_LABELS: Record<PriorityLevel, string> = { high: "High", medium: "Medium", low: "Low" };

export interface PriorityFactor {
  factor: "category" | "cyber" | "patients" | "deadline" | "extent";
  label: string;
  points: number;
  detail: string;
}

export interface Priority {
  level: PriorityLevel;
  score: number;
  factors: PriorityFactor[];
}

/** Requirements outside the cyber domain whose failure is itself a cyber risk. */
export const CYBER_RISK_REQUIREMENTS = new Set(["DEV-02", "DEV-04", "SEC-03", "SEC-05"]);

export const CATEGORY_POINTS: Record<Category, [number, string]> = {
  core_mandated: [3, "Core and mandated: the ICB must provide it"],
  gp_contract: [2, "Required by the GP contract"],
  national_programme: [2, "Time-limited national programme"],
  enhanced: [1, "Enhanced: local and subject to affordability"],
  practice_business: [1, "Practice business requirement"],
};

export interface PriorityInput {
  requirementId: string;
  domain: Domain;
  category: Category;
  resultStatus: "not_met" | "partial";
  listSize: number | null;
  deadline: string;
  today: string;
}

/** Thresholds shared with the SQL form of the score (gaps/repository.server.ts). */
export const PATIENT_POINTS = { two: 15_000, one: 8_000 } as const;
export const DEADLINE_SOON_DAYS = 90;
/** The lowest score of each level (also the dashboard's SQL count of high-priority gaps). */
export const LEVEL_SCORES = { high: 7, medium: 4 } as const;

export function priorityOf(g: PriorityInput): Priority {
  const factors: PriorityFactor[] = [];
  const [catPoints, catDetail] = CATEGORY_POINTS[g.category];
  factors.push({ factor: "category", label: "Category", points: catPoints, detail: catDetail });

  const cyber = g.domain === "cyber_ig" || CYBER_RISK_REQUIREMENTS.has(g.requirementId);
  factors.push({
    factor: "cyber",
    label: "Cyber risk",
    points: cyber ? 2 : 0,
    detail: cyber ? "Leaves the practice open to cyber attack" : "No direct cyber risk",
  });

  const list = g.listSize;
  const patientPoints = list === null ? 0 : list >= PATIENT_POINTS.two ? 2 : list >= PATIENT_POINTS.one ? 1 : 0;
  factors.push({
    factor: "patients",
    label: "Patients affected",
    points: patientPoints,
    detail:
      list === null
        ? "List size not known"
        : `${list.toLocaleString("en-GB")} registered patients${patientPoints === 2 ? " (15,000 or more)" : patientPoints === 1 ? " (8,000 or more)" : ""}`,
  });

  const days = daysBetween(g.today, g.deadline);
  const deadlinePoints = days < 0 ? 2 : days <= DEADLINE_SOON_DAYS ? 1 : 0;
  factors.push({
    factor: "deadline",
    label: "Deadline",
    points: deadlinePoints,
    detail:
      days < 0
        ? `Overdue by ${(-days).toLocaleString("en-GB")} days`
        : days === 0
          ? "Due today"
          : `Due in ${days.toLocaleString("en-GB")} days`,
  });

  factors.push({
    factor: "extent",
    label: "Extent",
    points: g.resultStatus === "not_met" ? 1 : 0,
    detail: g.resultStatus === "not_met" ? "Not met at all" : "Partly met",
  });

  const score = factors.reduce((s, f) => s + f.points, 0);
  return { level: score >= LEVEL_SCORES.high ? "high" : score >= LEVEL_SCORES.medium ? "medium" : "low", score, factors };
}

export const PRIORITY_ORDER: Record<PriorityLevel, number> = { high: 0, medium: 1, low: 2 };
