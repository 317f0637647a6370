import { dictionary } from "@zxcvbn-ts/language-common";
import { describe, expect, it } from "vitest";
import { COMMON_PASSWORD_MESSAGE, passwordProblem } from "~/modules/users/password-policy.server";
import { ChangePasswordSchema, PasswordSchema, ResetPasswordSchema } from "~/modules/users/schema";
import { isCommonPassword } from "~/utils/common-passwords.server";

const LIST = dictionary["passwords-common"].map(String);
const longListed = LIST.filter((p) => p.length >= 12);

describe("password policy", () => {
  it("refuses 12 spaces, and pads of spaces round a short password", () => {
    expect(passwordProblem(" ".repeat(12))).toBe("Password cannot be only spaces");
    expect(passwordProblem("\t".repeat(20))).toBe("Password cannot be only spaces");
    expect(passwordProblem("    abc12345    ")).toMatch(/at least 12 characters/);
  });

  it("refuses 'password1234' (a listed password with digits on the end) and its cousins", () => {
    for (const p of ["password1234", "Password1234!", "PASSWORD12345678", "!!!!qwertyuiop", "iloveyou2026!!"])
      expect(passwordProblem(p), p).toBe(COMMON_PASSWORD_MESSAGE);
  });

  it("refuses every 12-character-or-longer password on the bundled list, whatever its case", () => {
    expect(longListed.length).toBeGreaterThan(100);
    for (const p of longListed) {
      expect(passwordProblem(p), p).not.toBeNull();
      expect(isCommonPassword(p.toUpperCase()), p).toBe(true);
    }
  });

  it("refuses one character repeated, too short and too long", () => {
    expect(passwordProblem("zzzzzzzzzzzzzzzz")).toBe("Password cannot be one character repeated");
    expect(passwordProblem("short one")).toMatch(/at least 12/);
    expect(passwordProblem("")).toBe("Enter a password");
    expect(passwordProblem("x".repeat(150) + "y".repeat(51))).toMatch(/200 characters or fewer/);
  });

  it("accepts the demo password, the test password and ordinary passphrases", () => {
    for (const p of [
      "demo-password-2026",
      "correct horse battery staple",
      "a sufficiently long password",
      "Tangerine-Viaduct-Quokka",
      "kettle lantern ostrich 42",
    ]) {
      expect(passwordProblem(p), p).toBeNull();
    }
  });

  it("the shared zod schema gives the browser the same shape rule (the list stays on the server)", () => {
    expect(PasswordSchema.safeParse(" ".repeat(12)).success).toBe(false);
    expect(PasswordSchema.safeParse("demo-password-2026").success).toBe(true);
    const mismatch = ResetPasswordSchema.safeParse({ newPassword: "kettle lantern ostrich", confirmPassword: "kettle lantern ostrch" });
    expect(mismatch.success ? [] : mismatch.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["confirmPassword", "The passwords do not match"],
    ]);
    const change = ChangePasswordSchema.safeParse({ currentPassword: "", newPassword: "            ", confirmPassword: "" });
    expect(change.success ? [] : change.error.issues.map((i) => i.path.join(".")).sort()).toEqual([
      "confirmPassword",
      "currentPassword",
      "newPassword",
    ]);
  });
});
