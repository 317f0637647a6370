// Moved to app/utils/format.ts (modules and rules use it too, and modules may not import components).
// Kept as a re-export so the routes and components that import it need not change at once; new code imports ~/utils/format.
export * from "~/utils/format";
