import { z } from "zod";
import { ODS_FIELDS, type Rule } from "./map";

/** The connection form, shared by the server and the page (no server-only imports). */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT_DOMAIN = /^[a-z0-9][a-z0-9-]{0,62}(\.[a-z0-9][a-z0-9-]{0,62})+$/i;

const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

const parseUrl = (u: string) => {
  try {
    return new URL(u);
  } catch {
    return null;
  }
};

/** A base URL: https anywhere, or http to this machine only (the local Graph server of the demo and tests). */
const BaseUrl = z
  .string()
  .trim()
  .max(200, "Enter 200 characters or fewer")
  .refine((u) => parseUrl(u) !== null, "Enter a web address, like https://graph.microsoft.com")
  .refine((u) => {
    const url = parseUrl(u);
    return !url || url.protocol === "https:" || (url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname));
  }, "Use an https address (http only for a local test server on 127.0.0.1)")
  .refine((u) => {
    const url = parseUrl(u);
    return !url || (!url.search && !url.hash && !url.username && !url.password);
  }, "Enter the address without a query, fragment or user name")
  .transform((u) => u.replace(/\/+$/, ""));
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const ConnectionFormSchema = z.object({
  name: z.string().trim().min(1, "Enter a name for the connection").max(100, "Name must be 100 characters or fewer"),
  icb_code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{3,5}$/, "Choose the ICB this connection is for"),
  tenant_id: z
    .string()
    .trim()
    .max(253)
    .refine(
      (v) => GUID.test(v) || TENANT_DOMAIN.test(v),
      "Enter the directory (tenant) ID, a GUID like 0b1e7f3a-…, or a domain such as nhs.net",
    ),
  client_id: z.string().trim().regex(GUID, "Enter the application (client) ID, a GUID like 6a3b…-…"),
  client_secret: z.string().max(1000, "The client secret must be 1,000 characters or fewer").optional().default(""),
  authority_url: z.preprocess(blankToUndefined, BaseUrl.optional()),
  graph_url: z.preprocess(blankToUndefined, BaseUrl.optional()),
  ods_field: z.preprocess(
    blankToNull,
    z
      .enum(Object.keys(ODS_FIELDS) as [keyof typeof ODS_FIELDS, ...(keyof typeof ODS_FIELDS)[]], {
        message: "Choose a property from the list",
      })
      .nullable(),
  ),
  sync_every_hours: z.preprocess(
    blankToNull,
    z.coerce
      .number({ message: "Enter a whole number of hours" })
      .int("Enter a whole number of hours")
      .min(1, "Enter at least 1 hour")
      .max(744, "Enter 744 hours (31 days) or fewer")
      .nullable(),
  ),
  missing_after_days: z.coerce
    .number({ message: "Enter a whole number of days" })
    .int("Enter a whole number of days")
    .min(1, "Enter at least 1 day")
    .max(365, "Enter 365 days or fewer"),
  prefix_rules: z.string().max(50_000, "Enter 50,000 characters or fewer").optional().default(""),
  group_rules: z.string().max(50_000, "Enter 50,000 characters or fewer").optional().default(""),
  version: z.coerce.number().int().min(0).optional(),
});
export type ConnectionForm = z.infer<typeof ConnectionFormSchema>;

export const MAX_RULES = 2000;

/**
 * Rules written one a line, `VALUE, ODS` (a comma, tab or "=" between). Each line's problem is
 * named by its line number. Whether the practice exists and is the connection's ICB's is checked
 * on the server against the register.
 */
export function parseRules(textValue: string, kind: Rule["kind"]): { rules: Rule[]; problems: string[] } {
  const rules: Rule[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const lines = textValue.split(/\r?\n/);
  lines.forEach((line, i) => {
    const n = i + 1;
    if (!line.trim()) return;
    const m = /^\s*(.+?)\s*[,\t=]\s*([A-Za-z0-9]{3,10})\s*$/.exec(line);
    if (!m) {
      problems.push(
        `Line ${n}: write ${kind === "prefix" ? "the prefix" : "the group's object ID"}, a comma, then the practice ODS code (for example ${kind === "prefix" ? "F84003-, F84003" : "0b1e7f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b, F84003"})`,
      );
      return;
    }
    const value = m[1];
    if (kind === "group" && !GUID.test(value)) problems.push(`Line ${n}: "${value.slice(0, 60)}" is not a group object ID (a GUID)`);
    else if (kind === "prefix" && value.length > 60) problems.push(`Line ${n}: a prefix must be 60 characters or fewer`);
    else {
      const key = value.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) problems.push(`Line ${n}: "${value}" is already on line ${first}`);
      else {
        seen.set(key, n);
        rules.push({ kind, value: kind === "group" ? key : value, practice_code: m[2].toUpperCase() });
      }
    }
  });
  if (rules.length > MAX_RULES) problems.push(`Enter ${MAX_RULES} rules or fewer`);
  return { rules, problems };
}

export const rulesToText = (rules: Rule[], kind: Rule["kind"]) =>
  rules
    .filter((r) => r.kind === kind)
    .map((r) => `${r.value}, ${r.practice_code}`)
    .join("\n");
