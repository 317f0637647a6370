import { describe, expect, it } from "vitest";
import { packOrgChoices, unpackOrgChoices } from "~/modules/gaps/options-wire";

const org = (code: string, name: string) => ({ code, name });

describe("the gap register's filter choices as its loader sends them", () => {
  it("are arrays of codes and names, not an object an organisation, and unpack to the same lists in the same order", () => {
    const options = {
      icbs: [org("QMF", "NHS NORTH EAST LONDON INTEGRATED CARE BOARD"), org("QOP", "NHS GREATER MANCHESTER INTEGRATED CARE BOARD")],
      subIcbs: [org("A3A8R", "NHS NORTH EAST LONDON ICB - A3A8R")],
      pcns: [],
      practices: [org("F84013", "THE LIMEHOUSE PRACTICE"), org("F84003", "LOWER CLAPTON GROUP PRACTICE")],
    };
    const sent = JSON.parse(JSON.stringify(packOrgChoices(options)));
    expect(sent.icbs).toEqual([
      ["QMF", "QOP"],
      ["NHS NORTH EAST LONDON INTEGRATED CARE BOARD", "NHS GREATER MANCHESTER INTEGRATED CARE BOARD"],
    ]);
    expect(sent.pcns).toEqual([[], []]);
    expect(unpackOrgChoices(sent)).toEqual(options);
  });

  it("keep a text box's null (too many to list) as null", () => {
    const options = { icbs: [org("QMF", "NHS NORTH EAST LONDON INTEGRATED CARE BOARD")], subIcbs: [], pcns: null, practices: null };
    const sent = JSON.parse(JSON.stringify(packOrgChoices(options)));
    expect(sent.pcns).toBeNull();
    expect(sent.practices).toBeNull();
    expect(unpackOrgChoices(sent)).toEqual(options);
  });
});
