import { rowsWire, type PackedFields } from "~/utils/rows-wire";
import type { RegisterRow } from "./register.server";

/**
 * The gap register's page of rows (25 gaps, 18 properties each) as its loader sends them: arrays
 * rather than objects (utils/rows-wire.ts), every property the page shows in this order.
 * `unpackRegisterRows` gives the page, and tests, the objects again.
 */
const wire = rowsWire<RegisterRow>()([
  "id",
  "requirementId",
  "title",
  "practiceCode",
  "practiceName",
  "reason",
  "funder",
  "estimatePence",
  "knownPence",
  "missing",
  "vatPence",
  "elsewhere",
  "priority",
  "priorityScore",
  "status",
  "firstSeen",
  "deadline",
  "selectable",
]);

/** A row's values in the order of the wire's fields. */
export type PackedRegisterRow = PackedFields<RegisterRow, typeof wire.fields>;

export const packRegisterRows = wire.pack;
export const unpackRegisterRows = wire.unpack;
