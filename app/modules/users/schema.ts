import { z } from "zod";

export const ROLE_VALUES = ["admin", "icb_lead", "delivery_partner", "practice_manager"] as const;
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;

/**
 * The one password rule for every form that sets a password (adding a user, changing your own,
 * using a reset link), in the browser and on the server: at least 12 characters not counting
 * spaces at either end (so 12 spaces is not a password), at most 200, not one character
 * repeated. The server also refuses common and breached passwords (users/password-policy.server.ts),
 * a list too big to send to the browser.
 */
export const PasswordSchema = z.string({ message: "Enter a password" }).superRefine((value, ctx) => {
  const problem = passwordShapeProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export function passwordShapeProblem(value: string): string | null {
  if (value.length === 0) return "Enter a password";
  if (value.length > PASSWORD_MAX) return `Password must be ${PASSWORD_MAX} characters or fewer`;
  const trimmed = value.trim();
  if (trimmed.length === 0) return "Password cannot be only spaces";
  if ([...trimmed].length < PASSWORD_MIN)
    return `Password must be at least ${PASSWORD_MIN} characters, not counting spaces at the start or end`;
  if (/^(.)\1*$/su.test(trimmed)) return "Password cannot be one character repeated";
  return null;
}

/** New password typed twice, so a typo does not lock the person out of their own account. */
const newPasswordFields = {
  newPassword: PasswordSchema,
  confirmPassword: z.string({ message: "Enter the new password again" }).min(1, "Enter the new password again"),
};
const confirmMatches = (v: { newPassword: string; confirmPassword: string }, ctx: z.RefinementCtx) => {
  if (v.confirmPassword && v.newPassword !== v.confirmPassword) {
    ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: "The passwords do not match" });
  }
};

export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string({ message: "Enter your current password" }).min(1, "Enter your current password").max(PASSWORD_MAX),
    ...newPasswordFields,
  })
  .superRefine(confirmMatches);
export type ChangePasswordInput = z.infer<typeof ChangePasswordSchema>;

export const ResetPasswordSchema = z.object(newPasswordFields).superRefine(confirmMatches);
export type ResetPasswordInput = z.infer<typeof ResetPasswordSchema>;

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
  if (m.role === "icb_lead" && !m.icbCode) ctx.addIssue({ code: "custom", path: ["icbCode"], message: "Enter the ICB code, like QMF" });
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
    // Blank: the person is invited to sign in only through single sign-on (no password at all).
    password: z.union([z.literal(""), PasswordSchema]).optional(),
    ...membershipFields,
  })
  .superRefine(refineMembership)
  .transform((v) => ({ name: v.name, email: v.email, password: v.password ? v.password : null, ...normaliseMembership(v) }));

export type CreateUserInput = z.infer<typeof CreateUserSchema>;
export type MembershipInput = z.infer<typeof MembershipSchema>;

export const RemoveMembershipSchema = z.object({ membershipId: z.coerce.number().int().positive() });
/** An admin switches a person's password sign-in on or off (single sign-on keeps working). */
export const SetPasswordSignInSchema = z.object({
  enabled: z.enum(["true", "false"]).transform((v) => v === "true"),
  version: z.coerce.number().int().positive(),
});
export const SetActiveSchema = z.object({
  active: z.enum(["true", "false"]).transform((v) => v === "true"),
  version: z.coerce.number().int().positive(),
});

/** How long an admin-issued reset link works (shown on the admin page, so not in a .server file). */
export const RESET_TTL_HOURS = 24;
