import os from "node:os";
import { parseArgs } from "node:util";
import type { Db } from "#db/connect";
import { UsageError } from "~/utils/cli";
import { AppError } from "~/utils/errors";
import { zodFieldErrors } from "~/utils/forms";
import { createTokenForEmail } from "./token.server";
import { NewTokenSchema } from "./token-schema";

export const API_TOKEN_USAGE = "Usage: npm run -s api:token -- --email USER --name NAME [--days N]";

/**
 * `npm run -s api:token -- --email USER --name NAME [--days N]`: makes a token for an existing
 * user and prints only the token on stdout (for scripts and tests); the rest goes to stderr.
 * The audit trail records the command line as the actor.
 */
export async function runApiTokenCli(argv: string[], db: Db, io: { out: (t: string) => void; err: (t: string) => void }) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { email: { type: "string" }, name: { type: "string" }, days: { type: "string" } },
  });
  if (!values.email || !values.name) throw new UsageError("Give --email and --name.");
  const parsed = NewTokenSchema.safeParse({ name: values.name, days: values.days });
  if (!parsed.success) throw new UsageError(Object.values(zodFieldErrors(parsed.error)).join(" "));
  try {
    const t = await createTokenForEmail(db, values.email, parsed.data, `command line (${os.userInfo().username}@${os.hostname()})`);
    io.out(`${t.token}\n`);
    io.err(
      `Token ${t.id} "${t.name}" for ${values.email}, valid until ${t.expiresAt.toISOString()}. It is shown only now: keep it secret.\n`,
    );
    return t;
  } catch (e) {
    if (e instanceof AppError) throw new UsageError(e.message);
    throw e;
  }
}
