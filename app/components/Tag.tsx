import type { ReactNode } from "react";

export type TagColour = "white" | "grey" | "green" | "aqua-green" | "blue" | "purple" | "pink" | "red" | "orange" | "yellow";

/** An NHS.UK tag: a status word in a coloured box (blue unless a colour is given). */
export function Tag({ colour, children, id }: { colour?: TagColour; children: ReactNode; id?: string }) {
  return (
    <strong className={colour ? `nhsuk-tag nhsuk-tag--${colour}` : "nhsuk-tag"} id={id}>
      {children}
    </strong>
  );
}
