import { z } from "zod";
import { ROLE_VALUES } from "~/modules/users/schema";

export const TOKEN_MAX_DAYS = 366;
export const TOKEN_DEFAULT_DAYS = 90;
export const RATE_DEFAULT = 120;

const name = z.string().trim().min(1, 'Enter a name for the token, like "Inventory sync"').max(80, "Name must be 80 characters or fewer");
const days = z.coerce
  .number({ message: `Enter the number of days, from 1 to ${TOKEN_MAX_DAYS}` })
  .int(`Enter a whole number of days, from 1 to ${TOKEN_MAX_DAYS}`)
  .min(1, `Enter the number of days, from 1 to ${TOKEN_MAX_DAYS}`)
  .max(TOKEN_MAX_DAYS, `A token can last at most ${TOKEN_MAX_DAYS} days`);

/** A user making a token for themselves (account page and command line). */
export const NewTokenSchema = z.object({ name, days: z.preprocess((v) => (v === "" || v === undefined ? TOKEN_DEFAULT_DAYS : v), days) });
export type NewTokenInput = z.infer<typeof NewTokenSchema>;

const code = z
  .string()
  .trim()
  .toUpperCase()
  .optional()
  .transform((v) => (v ? v : null));

/**
 * An admin making a token for a service account: the account (new, or an existing service
 * account by email), its one role and scope, the token's name, lifetime and rate limit.
 */
export const ServiceTokenSchema = z
  .object({
    accountName: z
      .string()
      .trim()
      .min(1, 'Enter the service account\'s name, like "Acme service desk"')
      .max(120, "Name must be 120 characters or fewer"),
    accountEmail: z
      .string()
      .trim()
      .toLowerCase()
      .min(1, "Enter an email address for the service account")
      .email("Enter an email address in the correct format, like service-desk@example.nhs.net"),
    role: z.enum(ROLE_VALUES, { message: "Select a role" }),
    icbCode: code,
    practiceCode: code,
    name,
    days: z.preprocess((v) => (v === "" || v === undefined ? TOKEN_DEFAULT_DAYS : v), days),
    ratePerMinute: z.preprocess(
      (v) => (v === "" || v === undefined ? RATE_DEFAULT : v),
      z.coerce
        .number({ message: "Enter requests per minute, from 1 to 6000" })
        .int("Enter a whole number of requests per minute")
        .min(1, "Enter requests per minute, from 1 to 6000")
        .max(6000, "Enter requests per minute, from 1 to 6000"),
    ),
  })
  .superRefine((m, ctx) => {
    if (m.role === "icb_lead" && !m.icbCode) ctx.addIssue({ code: "custom", path: ["icbCode"], message: "Enter the ICB code, like QMF" });
    if (m.role === "practice_manager" && !m.practiceCode)
      ctx.addIssue({ code: "custom", path: ["practiceCode"], message: "Enter the practice ODS code, like F84003" });
    if (m.role === "delivery_partner" && !m.icbCode === !m.practiceCode)
      ctx.addIssue({
        code: "custom",
        path: ["icbCode"],
        message: "Enter either an ICB code or a practice ODS code for a delivery partner, not both",
      });
  })
  .transform((m) => ({
    ...m,
    // Codes the role does not use are dropped, so a stray field can never widen a scope.
    icbCode: m.role === "icb_lead" || m.role === "delivery_partner" ? m.icbCode : null,
    practiceCode: m.role === "practice_manager" || m.role === "delivery_partner" ? m.practiceCode : null,
  }));
export type ServiceTokenInput = z.infer<typeof ServiceTokenSchema>;

export const RevokeSchema = z.object({ tokenId: z.coerce.number({ message: "Choose a token" }).int().positive() });
