// oidc-provider ships no type declarations and @types/oidc-provider is not installed; only the
// local development provider (scripts/dev-idp) uses it, never the app.
declare module "oidc-provider";
