import { dev01, dev03, dev05, dev06, dev08, dev09, dev10, dev15, sec11 } from "./devices";
import { dev02, dev04, sec03, sec05 } from "./os-support";
import { sec01 } from "./dspt";
import { pap01, pap02, pap03, pap04, pap05, pap06 } from "./paper";
import { bcp03, dev11, dev12, inf06 } from "./remote";
import { cln01, cln05, cln07, cln08, cln09, cln10, cln11, cln12, cln13, cln14, inf07, sec07 } from "./services";
import { inf01, inf02, inf03, inf04, inf05, inf08, prem02, prem03 } from "./sites";
import { bcp04, tel02, tel03, tel04, tel05, tel06, tel07, tel08, tel09, tel10, tel11, tel12, tel15 } from "./telephony";
import type { Rule, RuleDefinition } from "~/modules/catalogue/rule-types";

export * from "~/modules/catalogue/rule-types";

/** Checks of recent activity: their outcome in a year's time cannot be predicted from today's data. */
const NOT_FORECASTABLE = new Set(["DEV-09", "DEV-10"]);

const table: Record<string, Rule> = {
  "TEL-02": tel02,
  "TEL-03": tel03,
  "TEL-04": tel04,
  "TEL-05": tel05,
  "TEL-06": tel06,
  "TEL-07": tel07,
  "TEL-08": tel08,
  "TEL-09": tel09,
  "TEL-10": tel10,
  "TEL-11": tel11,
  "TEL-12": tel12,
  "TEL-15": tel15,
  "DEV-01": dev01,
  "DEV-02": dev02,
  "DEV-03": dev03,
  "DEV-04": dev04,
  "DEV-05": dev05,
  "DEV-06": dev06,
  "DEV-08": dev08,
  "DEV-09": dev09,
  "DEV-10": dev10,
  "DEV-11": dev11,
  "DEV-12": dev12,
  "DEV-15": dev15,
  "CLN-01": cln01,
  "CLN-05": cln05,
  "CLN-07": cln07,
  "CLN-08": cln08,
  "CLN-09": cln09,
  "CLN-10": cln10,
  "CLN-11": cln11,
  "CLN-12": cln12,
  "CLN-13": cln13,
  "CLN-14": cln14,
  "INF-01": inf01,
  "INF-02": inf02,
  "INF-03": inf03,
  "INF-04": inf04,
  "INF-05": inf05,
  "INF-06": inf06,
  "INF-07": inf07,
  "INF-08": inf08,
  "SEC-01": sec01,
  "SEC-03": sec03,
  "SEC-05": sec05,
  "SEC-07": sec07,
  "SEC-11": sec11,
  "PREM-02": prem02,
  "PREM-03": prem03,
  "BCP-03": bcp03,
  "BCP-04": bcp04,
  "PAP-01": pap01,
  "PAP-02": pap02,
  "PAP-03": pap03,
  "PAP-04": pap04,
  "PAP-05": pap05,
  "PAP-06": pap06,
};

/** One pure rule per automatic requirement, keyed by requirement id. */
export const RULES: ReadonlyMap<string, RuleDefinition> = new Map(
  Object.entries(table).map(([id, rule]) => [id, { id, rule, forecastable: !NOT_FORECASTABLE.has(id) }]),
);
