import type { Role } from "#db/types";

/**
 * Demo sign-ins: real North East London organisations, clearly fictional people. The practices
 * are real NEL practices so the demo shows real names, codes and list sizes.
 */
export const DEMO_USERS: { name: string; email: string; role: Role; icbCode?: string; practiceCode?: string }[] = [
  { name: "Demo Admin", email: "admin@demo.gp-estate.test", role: "admin" },
  { name: "Demo ICB Lead (North East London)", email: "icb.lead@demo.gp-estate.test", role: "icb_lead", icbCode: "QMF" },
  {
    name: "Demo Delivery Partner (North East London)",
    email: "delivery.partner@demo.gp-estate.test",
    role: "delivery_partner",
    icbCode: "QMF",
  },
  {
    name: "Demo Practice Manager (Lower Clapton)",
    email: "pm.f84003@demo.gp-estate.test",
    role: "practice_manager",
    practiceCode: "F84003",
  },
  {
    name: "Demo Practice Manager (Barking Medical Group)",
    email: "pm.f82018@demo.gp-estate.test",
    role: "practice_manager",
    practiceCode: "F82018",
  },
  {
    name: "Demo Practice Manager (Market Street)",
    email: "pm.f84004@demo.gp-estate.test",
    role: "practice_manager",
    practiceCode: "F84004",
  },
];
