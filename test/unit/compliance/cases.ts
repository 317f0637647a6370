import type { Finding, PolicyValues, PracticeEstate, Status } from "~/modules/compliance/rules";

/** One rule test: the estate, the as-of date and what the rule must say. */
export interface RuleCase {
  rule: string;
  name: string;
  estate: PracticeEstate;
  asOf: string;
  policy?: PolicyValues;
  status: Status;
  /** Exact reason, or a pattern it must match. */
  reason?: string | RegExp;
  check?: (f: Finding) => void;
  /** Run through the engine (requirement start dates) rather than the rule alone. */
  engine?: boolean;
  /** Evaluate with these requirements too (through the engine), to see work costed once across them. */
  alongside?: string[];
}
