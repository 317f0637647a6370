import { useSearchParams } from "@remix-run/react";
import { SuccessBanner } from "./SuccessBanner";

/**
 * The confirmation after a save: the action redirects to the page with `?done=<what>` (built with
 * `doneHref`), and this banner says what was saved. A key the page does not know shows nothing.
 */
export function DoneBanner({ messages }: { messages: Record<string, string> }) {
  const [params] = useSearchParams();
  const done = params.get("done");
  const text = done && Object.hasOwn(messages, done) ? messages[done] : undefined;
  return text ? <SuccessBanner>{text}</SuccessBanner> : null;
}

/** Where an action sends the browser after a save, so that the page confirms it. */
export function doneHref(path: string, done: string) {
  return `${path}${path.includes("?") ? "&" : "?"}done=${encodeURIComponent(done)}`;
}
