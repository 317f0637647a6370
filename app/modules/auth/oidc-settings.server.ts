import { z } from "zod";

const flag = z
  .enum(["true", "false", ""], { message: "must be true or false" })
  .optional()
  .transform((v) => v === "true");

/**
 * Single sign-on settings, from the environment. Without OIDC_ISSUER single sign-on is off and the
 * sign-in page shows only the password form. Read on each use (cheap), so a test can start a
 * provider on any port and point the app at it.
 */
const OidcEnvSchema = z
  .object({
    OIDC_ISSUER: z
      .string()
      .url("OIDC_ISSUER must be the provider's issuer URL, like https://login.microsoftonline.com/TENANT/v2.0")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    OIDC_CLIENT_ID: z.string().trim().optional(),
    OIDC_CLIENT_SECRET: z.string().optional(),
    /** For private_key_jwt (CIS2 requires it): a PKCS #8 PEM or a JWK (JSON) private key. */
    OIDC_PRIVATE_KEY: z.string().optional(),
    OIDC_PRIVATE_KEY_ID: z.string().optional(),
    OIDC_PRIVATE_KEY_ALG: z.enum(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]).default("RS256"),
    OIDC_NAME: z.string().trim().max(60, "OIDC_NAME must be 60 characters or fewer").default("single sign-on"),
    OIDC_SCOPES: z
      .string()
      .default("openid email profile")
      .refine((s) => s.split(/\s+/).includes("openid"), "OIDC_SCOPES must include openid"),
    /** The claim holding the person's email address (NHSmail through Entra ID may need preferred_username). */
    OIDC_EMAIL_CLAIM: z.string().trim().min(1).default("email"),
    /** Treat the provider's email as verified even without an email_verified claim (only for a provider that verifies every address, like NHSmail). */
    OIDC_TRUST_EMAIL: flag,
    /** Fixed redirect URI; by default the request's own origin + /auth/oidc/callback. */
    OIDC_REDIRECT_URI: z
      .string()
      .url()
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** Seconds to add to this server's clock when checking token times, if it is known to drift. */
    OIDC_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(-86_400).max(86_400).default(0),
  })
  .superRefine((v, ctx) => {
    if (!v.OIDC_ISSUER) return;
    if (!v.OIDC_CLIENT_ID) ctx.addIssue({ code: "custom", path: ["OIDC_CLIENT_ID"], message: "OIDC_CLIENT_ID is needed with OIDC_ISSUER" });
    if (!v.OIDC_CLIENT_SECRET === !v.OIDC_PRIVATE_KEY)
      ctx.addIssue({ code: "custom", path: ["OIDC_CLIENT_SECRET"], message: "Set exactly one of OIDC_CLIENT_SECRET and OIDC_PRIVATE_KEY" });
  });

export type OidcSettings = {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  privateKey?: { key: string; kid?: string; alg: string };
  name: string;
  scopes: string;
  emailClaim: string;
  trustEmail: boolean;
  redirectUri?: string;
  clockSkewSeconds: number;
};

/** The settings, or null when single sign-on is not configured. A half-made setting is an error naming the variable. */
export function oidcSettings(env: NodeJS.ProcessEnv = process.env): OidcSettings | null {
  const parsed = OidcEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `Invalid single sign-on settings:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`,
    );
  }
  const v = parsed.data;
  if (!v.OIDC_ISSUER) return null;
  return {
    issuer: v.OIDC_ISSUER,
    clientId: v.OIDC_CLIENT_ID!,
    clientSecret: v.OIDC_CLIENT_SECRET || undefined,
    privateKey: v.OIDC_PRIVATE_KEY ? { key: v.OIDC_PRIVATE_KEY, kid: v.OIDC_PRIVATE_KEY_ID, alg: v.OIDC_PRIVATE_KEY_ALG } : undefined,
    name: v.OIDC_NAME || "single sign-on",
    scopes: v.OIDC_SCOPES,
    emailClaim: v.OIDC_EMAIL_CLAIM,
    trustEmail: v.OIDC_TRUST_EMAIL,
    redirectUri: v.OIDC_REDIRECT_URI,
    clockSkewSeconds: v.OIDC_CLOCK_SKEW_SECONDS,
  };
}
