import { z } from "zod";
import { parseUkDate } from "~/utils/zod-fields";
import { DEVICE_STATUSES, DEVICE_TYPES } from "./schema";

/** OS support filter values (support.ts states a person would filter by). */
export const SUPPORT_FILTERS = {
  supported: "Supported",
  esu: "Extended Security Updates",
  unsupported: "Unsupported",
  unknown: "Not known",
} as const;

export const DEVICE_SORTS = {
  asset_tag: "Asset tag",
  type: "Type",
  purchase_date: "Purchase date",
  warranty_end: "Warranty end",
  end_of_support: "OS end of support",
} as const;

/** "current" (the default) hides disposed devices; "all" shows every status. */
export const STATUS_FILTERS = { current: "In use, spare or in repair", all: "Any status", ...DEVICE_STATUSES } as const;

/** The warranty filter: any device, or those whose warranty has ended. */
export const WARRANTY_FILTERS = { expired: "Expired" } as const;

const keys = <T extends Record<string, string>>(m: T) => Object.keys(m) as [keyof T & string, ...(keyof T & string)[]];
const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v);
const optionalEnum = <T extends Record<string, string>>(m: T) => z.preprocess(blank, z.enum(keys(m)).optional()).catch(undefined);

/**
 * The device list's filters as they sit in the URL. A link is shareable and bookmarkable; an
 * unknown value is ignored rather than an error, so an old link still opens.
 */
export const DeviceFiltersSchema = z.object({
  type: optionalEnum(DEVICE_TYPES),
  status: z.preprocess(blank, z.enum(keys(STATUS_FILTERS)).default("current")).catch("current"),
  site: z.preprocess(blank, z.string().max(12).optional()).catch(undefined),
  os: optionalEnum(SUPPORT_FILTERS),
  warranty: optionalEnum(WARRANTY_FILTERS),
  q: z.preprocess(blank, z.string().max(100).optional()).catch(undefined),
  sort: z.preprocess(blank, z.enum(keys(DEVICE_SORTS)).default("asset_tag")).catch("asset_tag"),
  dir: z.preprocess(blank, z.enum(["asc", "desc"]).default("asc")).catch("asc"),
  /** Check support and warranty on this date instead of today (planning ahead). */
  as_of: z
    .preprocess(
      blank,
      z
        .string()
        .optional()
        .transform((v) => (v ? (parseUkDate(v) ?? undefined) : undefined)),
    )
    .catch(undefined),
});

export type DeviceFilters = z.infer<typeof DeviceFiltersSchema>;

export function parseDeviceFilters(params: URLSearchParams): DeviceFilters {
  return DeviceFiltersSchema.parse(Object.fromEntries(params));
}
