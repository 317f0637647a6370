import { useNavigation } from "@remix-run/react";

/**
 * True while this page's form is being submitted, so its button can be disabled against a double
 * submit. With `intent`, only while a form carrying that intent is (a page with several forms);
 * with `action`, only while one posting to that URL is. With `untilLoaded`, it stays true through
 * the page load that follows a POST (a re-check whose result arrives with the next page).
 */
export function usePending({ intent, action, untilLoaded }: { intent?: string; action?: string; untilLoaded?: boolean } = {}): boolean {
  const navigation = useNavigation();
  const busy = untilLoaded
    ? navigation.state !== "idle" && navigation.formMethod?.toUpperCase() === "POST"
    : navigation.state === "submitting";
  if (!busy) return false;
  if (intent !== undefined && navigation.formData?.get("intent") !== intent) return false;
  if (action !== undefined && navigation.formAction !== action) return false;
  return true;
}
