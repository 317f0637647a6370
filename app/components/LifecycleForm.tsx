import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { isoToUk } from "~/components/DeviceForm";
import { ErrorSummary } from "~/components/ErrorSummary";
import { DateField, SelectField, TextareaField, TextField } from "~/components/fields";
import { OS_FAMILIES } from "~/modules/os-lifecycle/parse";
import { OsLifecycleSchema } from "~/modules/os-lifecycle/schema";
import type { FormFailure } from "~/utils/forms";
import { useZodForm } from "~/utils/use-zod-form";

type LifecycleRow = {
  family: string;
  edition: string;
  version: string;
  build: string | null;
  release_date: string | null;
  end_of_support: string | null;
  mainstream_end: string | null;
  esu_year_ends: string[];
  source: string;
  notes: string | null;
};

/** A stored lifecycle row as the form's text values. */
export const lifecycleFormValues = (r: LifecycleRow): Record<string, string> => ({
  family: r.family,
  edition: r.edition,
  version: r.version,
  build: r.build ?? "",
  release_date: isoToUk(r.release_date),
  end_of_support: isoToUk(r.end_of_support),
  mainstream_end: isoToUk(r.mainstream_end),
  esu_year_ends: r.esu_year_ends.map((d) => isoToUk(d)).join(", "),
  source: r.source,
  notes: r.notes ?? "",
});

interface Props {
  title: string;
  submitLabel: string;
  actionData: FormFailure | { ok: true } | undefined | null;
  defaultValues?: Record<string, string>;
  hidden?: ReactNode;
}

/** Add or change one operating system version's support dates. */
export function LifecycleForm({ title, submitLabel, actionData, defaultValues, hidden }: Props) {
  const navigation = useNavigation();
  const { form, onSubmit, errors, formError } = useZodForm(OsLifecycleSchema, actionData, defaultValues);
  // register() fills fields only after hydration; defaultValue makes the server-rendered form whole too.
  const r = (name: string) => ({ ...form.register(name), defaultValue: defaultValues?.[name] ?? "" });
  return (
    <>
      <ErrorSummary errors={errors} formError={formError} />
      <h1>{title}</h1>
      <Form method="post" noValidate onSubmit={onSubmit}>
        {hidden}
        <SelectField
          label="Operating system family"
          options={[{ value: "", label: "Select a family" }, ...OS_FAMILIES.map((f) => ({ value: f, label: f }))]}
          error={errors.family}
          {...r("family")}
        />
        <TextField
          label="Edition"
          hint="The edition group devices are matched on: for Windows 10, Home/Pro, Enterprise/Education (or Home/Pro/Enterprise/Education when all share the dates), LTSB 2015, LTSB 2016, LTSC 2019, LTSC 2021 or IoT Enterprise LTSC 2021; for Windows 11, Home/Pro, Enterprise/Education, Enterprise LTSC 2024 or IoT Enterprise LTSC 2024; for Windows Server, All editions"
          width={30}
          error={errors.edition}
          {...r("edition")}
        />
        <TextField label="Version" hint="For example, 22H2" width={10} error={errors.version} {...r("version")} />
        <TextField label="Build" hint="For example, 19045" width={10} error={errors.build} {...r("build")} />
        <DateField label="Release date" error={errors.release_date} {...r("release_date")} />
        <DateField
          label="End of support date"
          hint="The last day of security updates, for example, 14/10/2025"
          error={errors.end_of_support}
          {...r("end_of_support")}
        />
        <DateField
          label="Mainstream support end date"
          hint="Windows Server only: shown for information; support status uses the end of support date"
          error={errors.mainstream_end}
          {...r("mainstream_end")}
        />
        <TextField
          label="ESU year end dates"
          hint="The last day of each paid Extended Security Updates year, earliest first, separated by commas, for example, 13/10/2026, 12/10/2027, 10/10/2028. Leave blank if ESU cannot be bought"
          error={errors.esu_year_ends}
          {...r("esu_year_ends")}
        />
        <TextField
          label="Source"
          hint="Where the dates come from, for example, the supplier's lifecycle page"
          error={errors.source}
          {...r("source")}
        />
        <TextareaField label="Notes" error={errors.notes} {...r("notes")} />
        <button className="nhsuk-button" type="submit" disabled={navigation.state === "submitting"}>
          {submitLabel}
        </button>
      </Form>
    </>
  );
}
