import { describe } from "vitest";
import * as changePassword from "~/routes/account.password";
import * as userPage from "~/routes/admin.users.$id";
import { ADMIN_ONLY, defineMatrix, useRoleCookies, type MatrixRow } from "../support/scoping";

// Changing your own password needs only a sign-in (even someone with no role yet may do it);
// issuing a reset link for someone is an admin's. POSTs here fail validation or act on the
// fixture's first user, so row order does not matter.
const SIGNED_IN = { anonymous: 302, nobody: 200, admin: 200, icbLead: 200, partnerIcb: 200, partnerPractice: 200, practiceManager: 200 };

const MATRIX: MatrixRow[] = [
  { file: "account.password.tsx", module: changePassword, path: "/account/password", expect: SIGNED_IN },
  {
    file: "account.password.tsx",
    module: changePassword,
    method: "POST",
    path: "/account/password",
    fields: { currentPassword: "", newPassword: "", confirmPassword: "" },
    expect: SIGNED_IN,
  },
  {
    file: "admin.users.$id.tsx",
    module: userPage,
    method: "POST",
    path: "/admin/users/1",
    params: { id: "1" },
    fields: { intent: "issue-reset" },
    expect: ADMIN_ONLY,
  },
];

const cookies = useRoleCookies();

describe("scoping: accounts", () => {
  defineMatrix(MATRIX, cookies);
});
