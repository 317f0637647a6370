import path from "node:path";
import { sql } from "kysely";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";

/**
 * db/types.ts is written by hand; this holds it to the migrated database (the test database is
 * migrated from db/migrations, on PGlite or on PostgreSQL with DATABASE_URL). For every table and
 * column: the same names, the same nullability, the same broad type, enum labels equal to the
 * TypeScript union, and a column TypeScript lets inserts leave out really has a default.
 *
 * The file is read with the TypeScript compiler's type checker, so aliases (DateStr, Timestamp,
 * Json), Generated<> and ColumnType<> resolve exactly as Kysely sees them.
 */

type Broad = "number" | "string" | "boolean" | "date" | "json" | "string[]" | "number[]" | "bytes" | "unknown";

interface TsColumn {
  broad: Broad;
  nullable: boolean;
  insertOptional: boolean;
  /** The string literals of a union such as "main" | "branch", when the select type is one. */
  literals: string[] | null;
}

function readTypes(): Map<string, Map<string, TsColumn>> {
  const file = path.resolve(__dirname, "../../db/types.ts");
  const program = ts.createProgram([file], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    module: ts.ModuleKind.ESNext,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const database = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === "Database");
  if (!database) throw new Error("db/types.ts has no Database interface");

  const parts = (t: ts.Type) => (t.isUnion() ? t.types : [t]);
  const isNull = (t: ts.Type) => (t.flags & ts.TypeFlags.Null) !== 0;
  const isUndefined = (t: ts.Type) => (t.flags & ts.TypeFlags.Undefined) !== 0;
  const side = (t: ts.Type, key: "__select__" | "__insert__") => {
    const p = t.getProperty(key);
    return p ? checker.getTypeOfSymbol(p) : t;
  };
  const broadOf = (types: readonly ts.Type[]): Broad => {
    const kinds = new Set(
      types.map((t): Broad => {
        if (t.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike)) return "number";
        if (t.flags & ts.TypeFlags.StringLike) return "string";
        if (t.flags & ts.TypeFlags.BooleanLike) return "boolean";
        if (t.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) return "json";
        const name = checker.typeToString(t);
        if (name === "Date") return "date";
        if (name === "string[]" || name === "readonly string[]") return "string[]";
        if (name === "number[]" || name === "readonly number[]") return "number[]";
        if (/^(Buffer|Uint8Array)\b/.test(name)) return "bytes";
        if (t.flags & ts.TypeFlags.Object) return "json";
        return "unknown";
      }),
    );
    return kinds.size === 1 ? [...kinds][0] : "unknown";
  };

  const out = new Map<string, Map<string, TsColumn>>();
  for (const member of database.members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const tableName = (member.name as ts.Identifier).text;
    const tableType = checker.getTypeFromTypeNode(member.type);
    const columns = new Map<string, TsColumn>();
    for (const prop of tableType.getProperties()) {
      const t = checker.getTypeOfSymbol(prop);
      // Distributes over unions as Kysely's SelectType/InsertType do: `Timestamp | null` selects `Date | null`.
      const select = parts(t).flatMap((p) => parts(side(p, "__select__")));
      const insert = parts(t).flatMap((p) => parts(side(p, "__insert__")));
      const values = select.filter((x) => !isNull(x));
      const literals =
        values.length > 0 && values.every((x) => x.isStringLiteral()) ? values.map((x) => (x as ts.StringLiteralType).value).sort() : null;
      columns.set(prop.name, {
        broad: broadOf(values),
        nullable: select.some(isNull),
        insertOptional: insert.some(isUndefined) || (prop.flags & ts.SymbolFlags.Optional) !== 0,
        literals,
      });
    }
    out.set(tableName, columns);
  }
  return out;
}

/** PostgreSQL's column types as the drivers return them (db/connect.ts: counts as numbers, dates as strings). */
function broadOfPg(dataType: string, udt: string): Broad {
  switch (dataType) {
    case "smallint":
    case "integer":
    case "bigint":
    case "real":
    case "double precision":
      return "number";
    case "numeric":
      return "string";
    case "text":
    case "character varying":
    case "character":
    case "uuid":
    case "inet":
    case "citext":
    case "USER-DEFINED":
    case "date":
      return "string";
    case "boolean":
      return "boolean";
    case "timestamp with time zone":
    case "timestamp without time zone":
      return "date";
    case "json":
    case "jsonb":
      return "json";
    case "bytea":
      return "bytes";
    case "ARRAY":
      return ["_int2", "_int4", "_int8", "_float4", "_float8"].includes(udt) ? "number[]" : "string[]";
    default:
      return "unknown";
  }
}

interface DbColumn {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: "YES" | "NO";
  has_default: boolean;
}

describe("db/types.ts against the migrated database", () => {
  let columns: DbColumn[];
  let enums: Map<string, string[]>;
  let types: Map<string, Map<string, TsColumn>>;
  const dbTables = new Map<string, DbColumn[]>();

  beforeAll(async () => {
    const db = getDb();
    columns = (
      await sql<DbColumn>`
        select c.table_name, c.column_name, c.data_type, c.udt_name, c.is_nullable,
               (c.column_default is not null or c.is_identity = 'YES' or c.is_generated = 'ALWAYS') as has_default
        from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = current_schema() and t.table_type = 'BASE TABLE' and c.table_name not like 'kysely\\_%'
        order by c.table_name, c.ordinal_position`.execute(db)
    ).rows;
    enums = new Map(
      (
        await sql<{ name: string; labels: string[] }>`
          select t.typname as name, array_agg(e.enumlabel::text order by e.enumlabel::text) as labels
          from pg_type t join pg_enum e on e.enumtypid = t.oid join pg_namespace n on n.oid = t.typnamespace
          where n.nspname = current_schema() group by t.typname`.execute(db)
      ).rows.map((r) => [r.name, [...r.labels].sort()]),
    );
    types = readTypes();
    for (const c of columns) dbTables.set(c.table_name, [...(dbTables.get(c.table_name) ?? []), c]);
  });

  it("reads both sides (a known table and column on each)", () => {
    expect(dbTables.get("practice")?.some((c) => c.column_name === "ods_code")).toBe(true);
    expect(types.get("practice")?.get("ods_code")).toMatchObject({ broad: "string", nullable: false });
    expect(types.get("site")?.get("kind")?.literals).toEqual(["branch", "main"]);
  });

  it("has the same tables", () => {
    expect([...types.keys()].sort()).toEqual([...dbTables.keys()].sort());
  });

  it("has the same columns in every table", () => {
    const drift: string[] = [];
    for (const [table, cols] of dbTables) {
      const ts = types.get(table);
      if (!ts) continue;
      const inDb = new Set(cols.map((c) => c.column_name));
      for (const c of inDb) if (!ts.has(c)) drift.push(`${table}.${c}: in the database, missing from db/types.ts`);
      for (const c of ts.keys()) if (!inDb.has(c)) drift.push(`${table}.${c}: in db/types.ts, not in the database`);
    }
    expect(drift).toEqual([]);
  });

  it("has the same nullability, broad type, enum labels and defaults", () => {
    const drift: string[] = [];
    for (const c of columns) {
      const t = types.get(c.table_name)?.get(c.column_name);
      if (!t) continue;
      const where = `${c.table_name}.${c.column_name}`;
      const nullable = c.is_nullable === "YES";
      if (t.nullable !== nullable)
        drift.push(
          `${where}: ${nullable ? "nullable" : "not null"} in the database, ${t.nullable ? "nullable" : "not null"} in db/types.ts`,
        );
      const want = broadOfPg(c.data_type, c.udt_name);
      // A json column may be typed as unknown or as the shape it holds (an object, a list).
      const jsonShape = want === "json" && ["json", "string[]", "number[]"].includes(t.broad);
      if (t.broad !== want && !jsonShape) drift.push(`${where}: ${c.data_type} (${want}) in the database, ${t.broad} in db/types.ts`);
      const labels = c.data_type === "USER-DEFINED" ? enums.get(c.udt_name) : undefined;
      if (labels && JSON.stringify(labels) !== JSON.stringify(t.literals)) {
        drift.push(
          `${where}: enum ${c.udt_name} is ${labels.join("|")} in the database, ${t.literals?.join("|") ?? "not a union"} in db/types.ts`,
        );
      }
      if (t.insertOptional && !nullable && !c.has_default)
        drift.push(`${where}: inserts may leave it out in db/types.ts, but it is not null with no default`);
    }
    expect(drift).toEqual([]);
  });
});
