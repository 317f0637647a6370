import type { getPaperPage } from "~/modules/paper/service.server";

/** The paper page's figures, as its loader sends them. */
export type PaperPage = Awaited<ReturnType<typeof getPaperPage>>;

/** kg to one decimal place, for the charts and tables that show figures without a unit. */
export const kg1 = (v: number) => v.toLocaleString("en-GB", { maximumFractionDigits: 1 });
