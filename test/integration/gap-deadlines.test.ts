import { beforeAll, describe, expect, it } from "vitest";
import { requirementById } from "~/modules/catalogue";
import { loadCostedGaps } from "~/modules/gaps/costed.server";
import { deadlineBasisText, FIX_WITHIN_DAYS, gapDeadline } from "~/modules/gaps/deadline";
import { EXTERNAL_DATES } from "~/modules/catalogue/external-dates";
import { getDb } from "~/utils/db.server";
import { addDays, todayIso } from "~/utils/today";
import { seedOrgs } from "../support/factories";
import { seedGaps } from "../support/gaps-fixture";

const today = todayIso();

beforeAll(async () => {
  await seedOrgs(getDb());
  await seedGaps(getDb());
});

describe("gap deadlines come from external dates where they exist", () => {
  it("an unsupported Windows 10 device's gap is due on its own end of support, named after it", async () => {
    const [g] = await loadCostedGaps(getDb(), { scope: { all: true }, practice: "F84003" }, today).then((gs) =>
      gs.filter((x) => x.requirementId === "DEV-02"),
    );
    expect(g).toMatchObject({ deadline: "2025-10-14", deadlineBasis: "Windows 10 end of support" });
    expect(EXTERNAL_DATES.windows10_end_of_support.date).toBe("2025-10-14");
  });

  it("a gap with no external date is due first seen + its category's days, and says so", async () => {
    const gaps = await loadCostedGaps(getDb(), { scope: { all: true }, practice: "F84003" }, today);
    const plain = gaps.filter((g) => g.deadlineBasis === null);
    expect(plain.length).toBeGreaterThan(0);
    for (const g of plain) {
      expect(g.deadline).toBe(addDays(g.firstSeen, FIX_WITHIN_DAYS[g.category]));
      expect(deadlineBasisText(g.deadlineBasis, g.category)).toBe(`first seen + ${FIX_WITHIN_DAYS[g.category]} days (no external date)`);
    }
  });

  it("PSTN and smartcard requirements are due on the national dates", () => {
    const tel15 = gapDeadline("TEL-15", requirementById("TEL-15")!.category, today);
    expect(tel15).toEqual({ date: "2027-01-31", basis: "PSTN switch-off" });
    expect(gapDeadline("DEV-11", requirementById("DEV-11")!.category, today)).toEqual({
      date: "2027-02-28",
      basis: EXTERNAL_DATES.identity_agent_retirement.label,
    });
    expect(
      gapDeadline("DEV-02", "core_mandated", today, { date: "2027-01-12", label: "Windows Server 2016 end of extended support" }),
    ).toEqual({
      date: "2027-01-12",
      basis: "Windows Server 2016 end of extended support",
    });
    expect(deadlineBasisText("PSTN switch-off", "core_mandated")).toBe("PSTN switch-off");
  });
});
