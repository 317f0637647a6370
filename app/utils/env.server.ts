import path from "node:path";
import { z } from "zod";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgres:// or postgresql://")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  DATA_DIR: z.string().default(path.resolve(".data/pglite")),
  DEMO_PASSWORD: z.string().min(8, "DEMO_PASSWORD must be at least 8 characters").default("demo-password-2026"),
  SESSION_SECRET: z.string().min(16).default("dev-only-session-secret-change-me"),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  // How many reverse proxies in front of the app append to X-Forwarded-For. 0: ignore the header.
  TRUST_PROXY: z.coerce
    .number({ message: "TRUST_PROXY must be a whole number of proxies, like 0 or 1" })
    .int("TRUST_PROXY must be a whole number of proxies, like 0 or 1")
    .min(0, "TRUST_PROXY must be 0 or more")
    .max(10, "TRUST_PROXY must be 10 or fewer")
    .default(0),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

/** Validates the environment once; a bad value stops the process with a message naming it. */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  if (parsed.data.NODE_ENV === "production" && parsed.data.SESSION_SECRET.startsWith("dev-only")) {
    throw new Error("Invalid environment:\n  SESSION_SECRET must be set in production");
  }
  cached = parsed.data;
  return cached;
}
