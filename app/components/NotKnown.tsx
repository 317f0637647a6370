import type { ReactNode } from "react";

/** A fact nobody has recorded: muted "Not known" (or the given words), never a blank or a zero. */
export function NotKnown({ children }: { children?: ReactNode }) {
  return <span className="app-muted">{children ?? "Not known"}</span>;
}
