import { z } from "zod";

export const SignInSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, "Enter your email address")
    .email("Enter an email address in the correct format, like name@example.nhs.net"),
  password: z.string().min(1, "Enter your password"),
  redirectTo: z.string().optional(),
});
export type SignInInput = z.infer<typeof SignInSchema>;
