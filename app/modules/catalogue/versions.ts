import type { FrameworkVersionId } from "./types";

/**
 * The framework versions, as typed data (synced to the `framework_version` table). Only what
 * the research note (shared/reference/operating-model.md) gives: neither edition's effective
 * date is in it, so both dates are marked unconfirmed with the reason.
 */
export interface FrameworkVersionInput {
  id: FrameworkVersionId;
  name: string;
  effectiveFrom: string;
  effectiveFromUnconfirmed: boolean;
  effectiveFromNote: string;
  sources: string[];
  note: string;
}

export const FRAMEWORK_VERSION_INPUTS: readonly FrameworkVersionInput[] = [
  {
    id: "2021-23",
    name: "GP IT operating model 2021-23",
    effectiveFrom: "2021-04-01",
    effectiveFromUnconfirmed: true,
    effectiveFromNote:
      "The research gives the edition's title, Operating Model 2021-2023 (S1), not the day it took effect: 1 April 2021, the start of the 2021/22 financial year, is assumed.",
    sources: ["S1", "S9"],
    note:
      "NHS England's Primary Care (GP) Digital Services Operating Model 2021-2023, the fifth edition, with its CCG (now ICB)-practice agreement (S1, S9). " +
      "The catalogue also carries the GP contract, DSPT and national programme requirements that apply alongside it.",
  },
  {
    id: "2026",
    name: "GP IT operating model 2026 and ICB-practice agreement 2026",
    effectiveFrom: "2026-05-27",
    effectiveFromUnconfirmed: true,
    effectiveFromNote:
      "27 May 2026 is the date HTN reported the new operating model and ICB-practice agreement (S16, secondary). NHS England's own page, and the day the agreement takes effect, are not in the research.",
    sources: ["S16"],
    note:
      "A newer operating model and a new ICB-practice agreement, known so far only from HTN's report (S16, secondary). " +
      "The points it reports are in this version with S16 as their source; requirements it does not mention are carried forward from 2021-23 and marked unconfirmed until NHS England's own text is read.",
  },
];

/** The version in force for an ICB that has not chosen: the 2021-23 model, as before versions existed. */
export const DEFAULT_FRAMEWORK_VERSION: FrameworkVersionId = "2021-23";
