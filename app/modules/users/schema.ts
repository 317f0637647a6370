import { z } from "zod";

export const ROLE_VALUES = ["admin", "icb_lead", "delivery_partner", "practice_manager"] as const;
export const PASSWORD_MIN = 12;

const optionalCode = z
  .string()
  .trim()
  .toUpperCase()
  .optional()
  .transform((v) => (v ? v : undefined));

const membershipFields = {
  role: z.enum(ROLE_VALUES, { message: "Select a role" }),
  icbCode: optionalCode,
  practiceCode: optionalCode,
};
type MembershipFields = { role: (typeof ROLE_VALUES)[number]; icbCode?: string; practiceCode?: string };

/** Each role needs its own kind of scope; mirrors the membership table's check constraint. */
function refineMembership(m: MembershipFields, ctx: z.RefinementCtx) {
  if (m.role === "icb_lead" && !m.icbCode)
    ctx.addIssue({ code: "custom", path: ["icbCode"], message: "Enter the ICB code, like QMF" });
  if (m.role === "practice_manager" && !m.practiceCode)
    ctx.addIssue({ code: "custom", path: ["practiceCode"], message: "Enter the practice ODS code, like F84003" });
  if (m.role === "delivery_partner" && !m.icbCode === !m.practiceCode)
    ctx.addIssue({
      code: "custom",
      path: ["icbCode"],
      message: "Enter either an ICB code or a practice ODS code for a delivery partner, not both",
    });
}

/** Drops codes that the role does not use, so a stray field can never widen a scope. */
function normaliseMembership(m: MembershipFields) {
  return {
    role: m.role,
    icbCode: m.role === "icb_lead" || m.role === "delivery_partner" ? (m.icbCode ?? null) : null,
    practiceCode: m.role === "practice_manager" || m.role === "delivery_partner" ? (m.practiceCode ?? null) : null,
  };
}

export const MembershipSchema = z.object(membershipFields).superRefine(refineMembership).transform(normaliseMembership);

export const CreateUserSchema = z
  .object({
    name: z.string().trim().min(1, "Enter the person's full name").max(120, "Name must be 120 characters or fewer"),
    email: z
      .string()
      .trim()
      .toLowerCase()
      .min(1, "Enter an email address")
      .email("Enter an email address in the correct format, like name@example.nhs.net"),
    password: z.string().min(PASSWORD_MIN, `Password must be at least ${PASSWORD_MIN} characters`).max(200),
    ...membershipFields,
  })
  .superRefine(refineMembership)
  .transform((v) => ({ name: v.name, email: v.email, password: v.password, ...normaliseMembership(v) }));

export type CreateUserInput = z.infer<typeof CreateUserSchema>;
export type MembershipInput = z.infer<typeof MembershipSchema>;

export const RemoveMembershipSchema = z.object({ membershipId: z.coerce.number().int().positive() });
export const SetActiveSchema = z.object({
  active: z.enum(["true", "false"]).transform((v) => v === "true"),
  version: z.coerce.number().int().positive(),
});
