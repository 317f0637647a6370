import type { Db } from "#db/connect";

/**
 * A feed's import runs, newest first, one page (`limit` from `offset`), with the importer's name
 * and the number of runs in all. `userId` limits them to one user's runs.
 */
export async function listImportRuns(db: Db, kind: string, opts: { limit: number; offset: number; userId?: number }) {
  let base = db.selectFrom("import_run").where("import_run.kind", "=", kind);
  if (opts.userId !== undefined) base = base.where("import_run.user_id", "=", opts.userId);
  const [rows, total] = await Promise.all([
    base
      .leftJoin("app_user", "app_user.id", "import_run.user_id")
      .select([
        "import_run.id",
        "import_run.file_name",
        "import_run.counts",
        "import_run.finished_at",
        "import_run.actor",
        "app_user.name as user_name",
      ])
      .orderBy("import_run.id", "desc")
      .limit(opts.limit)
      .offset(opts.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}
