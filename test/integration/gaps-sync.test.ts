import { beforeAll, describe, expect, it } from "vitest";
import { DeviceInputSchema } from "~/modules/devices/schema";
import { createDevice, updateDevice } from "~/modules/devices/service.server";
import { evaluatePractice } from "~/modules/compliance/evaluate.server";
import { loadCostedGaps } from "~/modules/gaps/costed.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { seedEstateWithPartner } from "../support/estate-seed";

let actor: number;

const device = (os: Record<string, string>) =>
  DeviceInputSchema.parse({ asset_tag: "GAP-0001", device_type: "laptop", status: "in_use", site_code: "F84003", ...os });

async function gapsFor(ods: string, requirementId: string) {
  return getDb()
    .selectFrom("gap")
    .selectAll()
    .where("practice_code", "=", ods)
    .where("requirement_id", "=", requirementId)
    .orderBy("id")
    .execute();
}

beforeAll(async () => {
  actor = await seedEstateWithPartner(getDb(), "dp-gaps@test.nhs.test");
});

describe("the gap register follows evaluation", () => {
  it("opens a gap when a requirement fails and closes it when an estate fix makes it met", async () => {
    const created = await createDevice(
      getDb(),
      actor,
      "F84003",
      device({ os_family: "Windows 10", os_edition: "Pro", os_version: "22H2" }),
    );
    expect(created.ok).toBe(true);
    const [open] = await gapsFor("F84003", "DEV-02");
    expect(open).toMatchObject({ status: "open", result_status: "not_met", first_seen: todayIso(), closed_on: null });
    expect(open.units).toEqual([{ kind: "laptop_replacement", quantity: 1 }]);

    const costed = await loadCostedGaps(getDb(), { scope: { all: true }, practice: "F84003" }, todayIso());
    const dev02 = costed.find((g) => g.requirementId === "DEV-02")!;
    expect(dev02.estimate.pence).toBe(95_000);
    expect(dev02.priority.factors.find((f) => f.factor === "cyber")!.points).toBe(2);

    // Re-evaluating with nothing changed touches nothing.
    const again = await evaluatePractice(getDb(), "F84003", todayIso());
    expect(again.counts.gaps).toEqual({ opened: 0, changed: 0, closed: 0 });

    const id = (created as { id: number }).id;
    const fixed = await updateDevice(
      getDb(),
      actor,
      "F84003",
      id,
      1,
      device({ os_family: "Windows 11", os_edition: "Enterprise", os_version: "24H2" }),
    );
    expect(fixed.ok).toBe(true);
    const [closed] = await gapsFor("F84003", "DEV-02");
    expect(closed).toMatchObject({ id: open.id, status: "closed", closed_on: todayIso() });
    const events = await getDb()
      .selectFrom("gap_event")
      .select(["kind", "to_status"])
      .where("gap_id", "=", open.id)
      .orderBy("id")
      .execute();
    expect(events).toEqual([
      { kind: "opened", to_status: "open" },
      { kind: "closed", to_status: "closed" },
    ]);
    expect(
      (await loadCostedGaps(getDb(), { scope: { all: true }, practice: "F84003" }, todayIso())).some((g) => g.requirementId === "DEV-02"),
    ).toBe(false);
  });
});
