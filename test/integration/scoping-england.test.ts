import { describe, expect, it } from "vitest";
import * as england from "~/routes/england._index";
import * as icbs from "~/routes/icbs._index";
import { call, get } from "../support/requests";
import { ADMIN_ONLY, defineMatrix, useRoleCookies, type MatrixRow } from "../support/scoping";

// The national view shows every ICB: only a scope of all of England (admins) may read it. Anyone
// else is refused with 403 (it is not a record whose existence could leak, so not 404).
const cookies = useRoleCookies();

const MATRIX: MatrixRow[] = [{ file: "england._index.tsx", module: england, path: "/england", expect: ADMIN_ONLY }];

describe("scoping: all of England", () => {
  defineMatrix(MATRIX, cookies);

  it("the ICB list offers the national view to admins only", async () => {
    const admin = await call(icbs.loader, get("/icbs", cookies.admin));
    expect(admin.data.national).toBe(true);
    const lead = await call(icbs.loader, get("/icbs", cookies.icbLead));
    expect(lead.data.national).toBe(false);
  });
});
