import { isCommonPassword } from "~/utils/common-passwords.server";
import { passwordShapeProblem } from "./schema";

export const COMMON_PASSWORD_MESSAGE =
  "This password is too easy to guess: it is on a list of common and breached passwords. Choose another, such as three or four random words.";

/**
 * The whole password policy, for the services that set a password (so no path around the forms
 * skips it): the shape rule the forms share, then the common-password list.
 */
export function passwordProblem(password: string): string | null {
  return passwordShapeProblem(password) ?? (isCommonPassword(password) ? COMMON_PASSWORD_MESSAGE : null);
}
