import { DEMO_USERS } from "~/modules/seed/demo-users";

/**
 * The people the local identity provider knows. Each demo user (app/modules/seed/demo-users.ts)
 * has an identity with the same, verified email, so the seeded demo accounts link on their first
 * single sign-on. Two more show the refusals: an email the provider has not verified, and a
 * person nobody invited. The subject is the provider's own stable id, deliberately not the email.
 */
export interface DevIdentity {
  /** What is typed on the provider's sign-in page. */
  login: string;
  sub: string;
  name: string;
  email: string;
  email_verified: boolean;
}

export const DEV_IDENTITIES: DevIdentity[] = [
  ...DEMO_USERS.map((u, i) => ({
    login: u.email,
    sub: `dev-idp-${String(i + 1).padStart(4, "0")}`,
    name: u.name,
    email: u.email,
    email_verified: true,
  })),
  // Claims the ICB lead's email, but the provider has not checked that this person owns it.
  {
    login: "unverified",
    sub: "dev-idp-unverified",
    name: "Unverified Person",
    email: "icb.lead@demo.gp-estate.test",
    email_verified: false,
  },
  {
    login: "uninvited",
    sub: "dev-idp-uninvited",
    name: "Uninvited Person",
    email: "not.invited@demo.gp-estate.test",
    email_verified: true,
  },
];

/** The password every identity on the local provider uses (it is a development tool only). */
export const DEV_IDP_PASSWORD_DEFAULT = "dev-idp-password";
