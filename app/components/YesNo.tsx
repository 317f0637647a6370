import { NotKnown } from "./NotKnown";

/** "Yes", "No" or "Not known" as text, for places that need a string (summary rows read as text, exports). */
export const yesNoText = (v: boolean | null | undefined) => (v === true ? "Yes" : v === false ? "No" : "Not known");

/** A yes/no fact that may be unrecorded: an unrecorded one shows as muted "Not known", never as "No". */
export function YesNo({ value }: { value: boolean | null | undefined }) {
  if (value === true) return <>Yes</>;
  if (value === false) return <>No</>;
  return <NotKnown />;
}
