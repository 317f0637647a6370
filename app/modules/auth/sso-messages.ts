/**
 * What the single sign-on refusal page says, per reason, in plain words. `name` is the
 * provider's label (OIDC_NAME, like "NHSmail").
 */
export type SsoRefusalKind =
  | "no_email"
  | "unverified"
  | "uninvited"
  | "inactive"
  | "linked_elsewhere"
  | "missing"
  | "state"
  | "expired"
  | "token"
  | "provider"
  | "throttled"
  | "unavailable";

export function ssoRefusal(
  kind: SsoRefusalKind,
  ctx: { name: string; email?: string | null; waitText?: string },
): { title: string; body: string } {
  const who = ctx.email ?? "your email address";
  switch (kind) {
    case "uninvited":
      return {
        title: "You do not have an account yet",
        body: `There is no account for ${who} in GP digital estate. Signing in with ${ctx.name} does not create one: ask your ICB's administrator to invite you with this email address, then try again.`,
      };
    case "unverified":
      return {
        title: "Your email address is not confirmed",
        body: `${ctx.name} has not confirmed that ${who} is your email address, so it cannot be matched to an account. Ask your ${ctx.name} administrator to confirm it, or your GP digital estate administrator for help.`,
      };
    case "no_email":
      return {
        title: "Your email address was not shared",
        body: `${ctx.name} did not tell us your email address, so we cannot find your account. Contact your administrator.`,
      };
    case "inactive":
      return {
        title: "Your account is deactivated",
        body: "Your GP digital estate account has been deactivated. Contact your administrator if you still need access.",
      };
    case "linked_elsewhere":
      return {
        title: "Your account is linked to someone else's sign-in",
        body: `The account for ${who} is already linked to a different ${ctx.name} identity. Contact your administrator.`,
      };
    case "missing":
      return {
        title: "This sign-in has expired",
        body: `This sign-in took longer than 10 minutes, was already used, or started in another browser. Start again.`,
      };
    case "state":
      return {
        title: "This sign-in could not be checked",
        body: "The answer from the sign-in service did not match the sign-in this browser started, so nobody was signed in. Start again.",
      };
    case "expired":
      return {
        title: "This sign-in had expired",
        body: `The sign-in from ${ctx.name} had already expired when it reached us. Check that this computer's date and time are right, then start again.`,
      };
    case "provider":
      return {
        title: `You were not signed in with ${ctx.name}`,
        body: `${ctx.name} did not sign you in (you may have cancelled). Start again, or contact your administrator.`,
      };
    case "throttled":
      return {
        title: "Too many failed sign-ins",
        body: `There have been too many failed sign-ins from this network. Wait ${ctx.waitText ?? "a minute"} and try again.`,
      };
    case "unavailable":
      return {
        title: `Sign-in with ${ctx.name} is not available`,
        body: `We cannot reach ${ctx.name} at the moment. Try again later, or contact your administrator.`,
      };
    case "token":
    default:
      return {
        title: "We could not check your sign-in",
        body: `We could not verify your sign-in with ${ctx.name}. Start again; if this keeps happening, contact your administrator.`,
      };
  }
}
