import { afterEach } from "vitest";
import { flush } from "./a11y";

// Every browser test fails on a serious or critical accessibility finding on any page it visited.
afterEach(async () => {
  await flush();
});
