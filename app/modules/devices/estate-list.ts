import { z } from "zod";
import { STATUS_FILTERS } from "./filters";
import { DEVICE_TYPES } from "./schema";

/** Sort columns of the device list across a whole scope (all of England for an admin). */
export const ESTATE_DEVICE_SORTS = {
  asset_tag: "Asset tag",
  practice: "Practice",
  type: "Type",
  purchase_date: "Purchase date",
  warranty_end: "Warranty end",
} as const;

const keys = <T extends Record<string, string>>(m: T) => Object.keys(m) as [keyof T & string, ...(keyof T & string)[]];
const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v);
const code = z
  .preprocess(
    (v) => (typeof blank(v) === "string" ? String(blank(v)).toUpperCase() : undefined),
    z
      .string()
      .regex(/^[A-Z0-9]{3,10}$/)
      .optional(),
  )
  .catch(undefined);

/**
 * The list's filters as they sit in the URL (shareable; an unknown value is ignored so an old
 * link still opens).
 */
export const EstateDeviceFiltersSchema = z.object({
  type: z.preprocess(blank, z.enum(keys(DEVICE_TYPES)).optional()).catch(undefined),
  status: z.preprocess(blank, z.enum(keys(STATUS_FILTERS)).default("current")).catch("current"),
  icb: code,
  practice: code,
  warranty: z.preprocess(blank, z.enum(["expired"]).optional()).catch(undefined),
  q: z.preprocess(blank, z.string().max(100).optional()).catch(undefined),
  sort: z.preprocess(blank, z.enum(keys(ESTATE_DEVICE_SORTS)).default("asset_tag")).catch("asset_tag"),
  dir: z.preprocess(blank, z.enum(["asc", "desc"]).default("asc")).catch("asc"),
});

export type EstateDeviceFilters = z.infer<typeof EstateDeviceFiltersSchema>;

export function parseEstateDeviceFilters(params: URLSearchParams): EstateDeviceFilters {
  return EstateDeviceFiltersSchema.parse(Object.fromEntries(params));
}
