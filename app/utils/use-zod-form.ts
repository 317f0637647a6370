import { zodResolver } from "@hookform/resolvers/zod";
import { useSubmit } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useForm, type DefaultValues, type FieldValues, type Path, type UseFormRegister } from "react-hook-form";
import type { z } from "zod";
import type { FormFailure } from "./forms";

/**
 * react-hook-form driven by the same zod schema as the action. The browser validates first; a
 * valid form is then posted as ordinary form data, and any errors the server returns (a taken
 * email, an unknown ODS code) are put back next to their fields.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any zod schema, whatever its input and output
export function useZodForm<S extends z.ZodType<any, any>>(
  schema: S,
  actionData: FormFailure | { ok: true } | undefined | null,
  defaultValues?: DefaultValues<z.input<S> & FieldValues>,
) {
  const form = useForm<z.input<S> & FieldValues>({
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- @hookform/resolvers' zod overloads do not accept a generic schema
    resolver: zodResolver(schema as any) as any,
    defaultValues,
    mode: "onSubmit",
    reValidateMode: "onChange",
    // The NHS.UK pattern: focus moves to the error summary (ErrorSummary does it), not the first field.
    shouldFocusError: false,
  });
  const submit = useSubmit();

  const { setError } = form;
  useEffect(() => {
    if (actionData && !actionData.ok) {
      for (const [name, message] of Object.entries(actionData.fieldErrors)) {
        setError(name as Path<z.input<S> & FieldValues>, { type: "server", message });
      }
    }
  }, [actionData, setError]);

  // Until the page's scripts have loaded, the server-rendered HTML is all there is: show the
  // server's field errors and the stored values in it, not only after hydration.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const initial = {
    ...(defaultValues as Record<string, unknown> | undefined),
    ...(actionData && !actionData.ok ? actionData.values : undefined),
  };
  const register = ((name: string, options?: object) => ({
    ...form.register(name as Path<z.input<S> & FieldValues>, options),
    defaultValue: valueAt(initial, name) ?? "",
  })) as unknown as UseFormRegister<z.input<S> & FieldValues>;

  const onSubmit = form.handleSubmit((_values, event) => {
    const el = event?.target as HTMLFormElement | undefined;
    if (el) submit(el);
  });

  const errors: Record<string, string | undefined> = {};
  if (!hydrated && actionData && !actionData.ok) Object.assign(errors, actionData.fieldErrors);
  flattenErrors(form.formState.errors, "", errors);
  const formError = actionData && !actionData.ok ? actionData.formError : undefined;
  return { form: { ...form, register }, onSubmit, errors, formError };
}

/** `a.0.b` paths into nested default values. */
function valueAt(values: Record<string, unknown>, path: string): string | undefined {
  let v: unknown = values;
  for (const key of path.split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined;
  return v === undefined || v === null ? undefined : String(v);
}

/** react-hook-form nests errors for `services.0.status`; the page wants one message per path. */
function flattenErrors(node: unknown, prefix: string, out: Record<string, string | undefined>) {
  if (!node || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key === "ref" || key === "root") continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const v = value as { message?: unknown; type?: unknown } | undefined;
    if (v && typeof v.message === "string" && typeof v.type === "string") out[path] = v.message;
    else flattenErrors(value, path, out);
  }
}
