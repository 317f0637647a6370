import { zodResolver } from "@hookform/resolvers/zod";
import { useSubmit } from "@remix-run/react";
import { useEffect } from "react";
import { useForm, type DefaultValues, type FieldValues, type Path } from "react-hook-form";
import type { z } from "zod";
import type { FormFailure } from "./forms";

/**
 * react-hook-form driven by the same zod schema as the action. The browser validates first; a
 * valid form is then posted as ordinary form data, and any errors the server returns (a taken
 * email, an unknown ODS code) are put back next to their fields.
 */
export function useZodForm<S extends z.ZodType<any, any>>(
  schema: S,
  actionData: FormFailure | { ok: true } | undefined | null,
  defaultValues?: DefaultValues<z.input<S> & FieldValues>,
) {
  const form = useForm<z.input<S> & FieldValues>({
    resolver: zodResolver(schema as any) as any,
    defaultValues,
    mode: "onSubmit",
    reValidateMode: "onChange",
  });
  const submit = useSubmit();

  useEffect(() => {
    if (actionData && !actionData.ok) {
      for (const [name, message] of Object.entries(actionData.fieldErrors)) {
        form.setError(name as Path<z.input<S> & FieldValues>, { type: "server", message });
      }
    }
  }, [actionData, form]);

  const onSubmit = form.handleSubmit((_values, event) => {
    const el = event?.target as HTMLFormElement | undefined;
    if (el) submit(el);
  });

  const errors: Record<string, string | undefined> = {};
  for (const [name, err] of Object.entries(form.formState.errors)) {
    errors[name] = (err as { message?: string } | undefined)?.message;
  }
  const formError = actionData && !actionData.ok ? actionData.formError : undefined;
  return { form, onSubmit, errors, formError };
}
