import { Form } from "@remix-run/react";
import { Link } from "~/components/Link";
import { formatDateTime } from "~/components/Compliance";
import { ErrorSummary } from "~/components/ErrorSummary";
import { DateField, RadiosField, TextField } from "~/components/fields";
import { usePending } from "~/components/usePending";
import type { getPolicyPage } from "~/modules/compliance/icb-view.server";
import { PolicyFormSchema } from "~/modules/compliance/schema";
import type { FormFailure } from "~/utils/forms";
import { useZodForm } from "~/utils/use-zod-form";

const isoToUk = (iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : iso);

/** One local policy setting as the policy page shows it. */
export type PolicyEntry = Awaited<ReturnType<typeof getPolicyPage>>["groups"][number]["entries"][number];

/** Changes one local policy value: radios, a date or a number, by its kind; the national default is in the hint. */
export function PolicyEditForm({ entry, actionData }: { entry: PolicyEntry; actionData: FormFailure | undefined }) {
  const pending = usePending();
  // What the user typed survives a refused save (a conflict reopens the form at the current version).
  const initialValue = actionData?.values?.value ?? (entry.kind === "date" ? isoToUk(String(entry.value)) : String(entry.value));
  const { form, onSubmit, errors, formError } = useZodForm(PolicyFormSchema, actionData, {
    key: entry.key,
    value: initialValue,
    version: entry.version === null ? "" : String(entry.version),
  });
  const hint =
    entry.kind === "number"
      ? `In ${entry.unit}, from ${entry.min} to ${entry.max}. National default: ${entry.defaultText}.`
      : `National default: ${entry.defaultText}.`;
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} formError={formError} />
        <p>
          Value now: <strong>{entry.valueText}</strong>
          {entry.overridden
            ? ` (set by this ICB${entry.setBy ? `: ${entry.setBy}` : ""}${entry.updatedAt ? `, ${formatDateTime(entry.updatedAt)}` : ""})`
            : " (national default)"}
        </p>
        <Form method="post" noValidate onSubmit={onSubmit}>
          <input type="hidden" name="intent" value="set" />
          <input type="hidden" {...form.register("key")} />
          <input type="hidden" {...form.register("version")} />
          {entry.kind === "choice" ? (
            <RadiosField
              label={entry.label}
              hint={hint}
              error={errors.value}
              options={entry.choices ?? []}
              inline={false}
              {...form.register("value")}
            />
          ) : entry.kind === "date" ? (
            <DateField label={entry.label} hint={`For example, 31/01/2027. ${hint}`} error={errors.value} {...form.register("value")} />
          ) : (
            <TextField label={entry.label} hint={hint} error={errors.value} width={10} inputMode="decimal" {...form.register("value")} />
          )}
          <div className="app-search-row">
            <button className="nhsuk-button nhsuk-u-margin-bottom-0" type="submit" disabled={pending}>
              Save this value
            </button>
            <Link to="." className="nhsuk-body-s">
              Cancel
            </Link>
          </div>
        </Form>
      </div>
    </div>
  );
}
