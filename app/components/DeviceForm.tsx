import { Form, useNavigation } from "@remix-run/react";
import { forwardRef, type ReactNode } from "react";
import type { UseFormRegister } from "react-hook-form";
import { ErrorSummary } from "~/components/ErrorSummary";
import { titleCase } from "~/utils/format";
import { DateField, SelectField, TextareaField, TextField, YES_NO_UNKNOWN } from "~/components/fields";
import { ESU_YEAR_OPTIONS } from "~/modules/devices/esu";
import {
  COMPLIANCE_STATES,
  DEVICE_STATUSES,
  DEVICE_TYPES,
  DeviceInputSchema,
  FUNDERS,
  OWNERSHIPS,
  TPM_VERSIONS,
} from "~/modules/devices/schema";
import { OS_FAMILIES } from "~/modules/os-lifecycle/parse";
import type { FormFailure } from "~/utils/forms";
import { useZodForm } from "~/utils/use-zod-form";
import { triStateValue } from "~/utils/zod-fields";

const options = (map: Record<string, string>, blank?: string) => [
  ...(blank !== undefined ? [{ value: "", label: blank }] : []),
  ...Object.entries(map).map(([value, label]) => ({ value, label })),
];

/** `2024-03-31` → `31/03/2024`, the way the date fields are typed. */
export const isoToUk = (iso: string | null | undefined) => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : "");

type DeviceRow = Record<string, unknown> & { status: string };

/** A stored device as the form's text values. */
export function deviceFormValues(d: DeviceRow): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d)) {
    if (typeof v === "boolean" || v === null) out[k] = triStateValue(v as boolean | null);
    else if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)) out[k] = isoToUk(v);
    else out[k] = String(v);
  }
  return out;
}

type RadiosProps = ReturnType<UseFormRegister<Record<string, string>>> & { label: string; error?: string; checkedValue: string };

/** Yes / No / Not known radios whose stored answer is checked in the server-rendered page too. */
const YesNoUnknown = forwardRef<HTMLInputElement, RadiosProps>(function YesNoUnknown({ label, error, checkedValue, name, ...rest }, ref) {
  return (
    <div className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
      <fieldset className="nhsuk-fieldset" id={`field-${name}`} aria-describedby={error ? `field-${name}-error` : undefined}>
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{label}</legend>
        {error ? (
          <span className="nhsuk-error-message" id={`field-${name}-error`}>
            <span className="nhsuk-u-visually-hidden">Error:</span> {error}
          </span>
        ) : null}
        <div className="nhsuk-radios nhsuk-radios--inline">
          {YES_NO_UNKNOWN.map((o, i) => (
            <div className="nhsuk-radios__item" key={o.value}>
              <input
                className="nhsuk-radios__input"
                id={`field-${name}-${i}`}
                name={name}
                type="radio"
                value={o.value}
                defaultChecked={o.value === checkedValue}
                ref={ref}
                {...rest}
              />
              <label className="nhsuk-label nhsuk-radios__label" htmlFor={`field-${name}-${i}`}>
                {o.label}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
});

function Fieldset({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="nhsuk-fieldset nhsuk-u-margin-bottom-6">
      <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
        <h2 className="nhsuk-fieldset__heading">{legend}</h2>
      </legend>
      {children}
    </fieldset>
  );
}

interface Props {
  title: string;
  submitLabel: string;
  actionData: FormFailure | { ok: true } | undefined | null;
  defaultValues: Record<string, string>;
  sites: { code: string; name: string; close_date: string | null }[];
  /** Hidden inputs (the version an edit was opened at). */
  hidden?: ReactNode;
}

/** Add and edit a device: the same fields and zod schema as the server and the importer. */
export function DeviceForm({ title, submitLabel, actionData, defaultValues, sites, hidden }: Props) {
  const navigation = useNavigation();
  const { form, onSubmit, errors, formError } = useZodForm(DeviceInputSchema, actionData, defaultValues);
  // register() fills fields only after hydration; defaultValue makes the server-rendered form whole too.
  const r = (name: string) => ({ ...form.register(name), defaultValue: defaultValues[name] ?? "" });
  const radios = (name: string) => ({ ...form.register(name), checkedValue: defaultValues[name] ?? "" });
  // Disposal goes through "Retire"; the status and date show here only for a device already disposed.
  const statuses =
    defaultValues.status === "disposed"
      ? DEVICE_STATUSES
      : { in_use: DEVICE_STATUSES.in_use, spare: DEVICE_STATUSES.spare, in_repair: DEVICE_STATUSES.in_repair };
  const siteOptions = [
    { value: "", label: "Not recorded" },
    ...sites.map((s) => ({ value: s.code, label: `${titleCase(s.name)} (${s.code})${s.close_date ? " – closed" : ""}` })),
  ];
  return (
    <>
      <ErrorSummary errors={errors} formError={formError} />
      <h1>{title}</h1>
      <Form method="post" noValidate onSubmit={onSubmit}>
        {hidden}
        <Fieldset legend="About the device">
          <SelectField label="Type" options={options(DEVICE_TYPES, "Select a type")} error={errors.device_type} {...r("device_type")} />
          <TextField
            label="Asset tag"
            hint="Enter an asset tag, a serial number or both"
            width={20}
            error={errors.asset_tag}
            {...r("asset_tag")}
          />
          <TextField label="Serial number" width={20} spellCheck={false} error={errors.serial_number} {...r("serial_number")} />
          <TextField label="Make" width={20} error={errors.make} {...r("make")} />
          <TextField label="Model" width={30} error={errors.model} {...r("model")} />
          <SelectField label="Site" options={siteOptions} error={errors.site_code} {...r("site_code")} />
          <SelectField label="Status" options={options(statuses)} error={errors.status} {...r("status")} />
        </Fieldset>
        <Fieldset legend="Operating system">
          <p className="nhsuk-body-s">
            Support is checked against the operating system's end of support date. For example, Windows 10 22H2 has been unsupported since
            14 October 2025 unless the device is enrolled in Extended Security Updates.
          </p>
          <SelectField
            label="Operating system"
            options={[{ value: "", label: "None or not known" }, ...OS_FAMILIES.map((f) => ({ value: f, label: f }))]}
            error={errors.os_family}
            {...r("os_family")}
          />
          <TextField
            label="Edition"
            hint="For example, Pro, Enterprise or Enterprise LTSC 2019"
            width={20}
            error={errors.os_edition}
            {...r("os_edition")}
          />
          <TextField label="Version" hint="For example, 22H2 or 24H2" width={10} error={errors.os_version} {...r("os_version")} />
          <TextField label="Build" hint="For example, 19045" width={10} error={errors.os_build} {...r("os_build")} />
        </Fieldset>
        <Fieldset legend="Dates and funding">
          <DateField label="Purchase date" error={errors.purchase_date} {...r("purchase_date")} />
          <DateField label="Warranty end date" error={errors.warranty_end} {...r("warranty_end")} />
          <SelectField label="Funded by" options={options(FUNDERS, "Not known")} error={errors.funded_by} {...r("funded_by")} />
          {defaultValues.status === "disposed" ? (
            <DateField
              label="Disposal date"
              hint="Clear this and change the status if the device is back in service"
              error={errors.disposed_date}
              {...r("disposed_date")}
            />
          ) : null}
        </Fieldset>
        <Fieldset legend="Security">
          <YesNoUnknown
            label="Managed (joined to the domain or a device management service)"
            error={errors.managed}
            {...radios("managed")}
          />
          <YesNoUnknown label="Disk encrypted" error={errors.encrypted} {...radios("encrypted")} />
          <YesNoUnknown label="Antivirus up to date" error={errors.antivirus_up_to_date} {...radios("antivirus_up_to_date")} />
          <SelectField
            label="Extended Security Updates years bought"
            hint="ESU is bought a year at a time; a device is covered only to the end of the last year bought"
            options={ESU_YEAR_OPTIONS}
            error={errors.esu_years}
            {...r("esu_years")}
          />
          <DateField label="Last patched" error={errors.last_patched} {...r("last_patched")} />
          <DateField
            label="Newest update released"
            hint="The release date of the newest security update installed (for example the monthly update of 10/11/2026). Patching is judged on it: updates are due within 14 days of release."
            error={errors.patch_released}
            {...r("patch_released")}
          />
        </Fieldset>
        <Fieldset legend="Device management">
          <TextField
            label="Device name"
            hint="Its name on the network, as Intune shows it"
            width={20}
            spellCheck={false}
            error={errors.device_name}
            {...r("device_name")}
          />
          <SelectField label="Ownership" options={options(OWNERSHIPS, "Not known")} error={errors.ownership} {...r("ownership")} />
          <SelectField
            label="Compliance"
            options={options(COMPLIANCE_STATES, "Not recorded")}
            error={errors.compliance}
            {...r("compliance")}
          />
          <DateField label="Last check-in" error={errors.last_seen} {...r("last_seen")} />
        </Fieldset>
        <Fieldset legend="Windows 11 readiness">
          <SelectField
            label="TPM (security chip)"
            options={options(TPM_VERSIONS, "Not known")}
            error={errors.tpm_version}
            {...r("tpm_version")}
          />
          <TextField label="Processor" hint="For example, Intel Core i5-8500" width={30} error={errors.cpu_model} {...r("cpu_model")} />
          <TextField
            label="Processor generation"
            hint="For Intel Core, the first digits of the model number: 8 for an i5-8500, 10 for an i7-10700"
            width={10}
            inputMode="numeric"
            error={errors.cpu_generation}
            {...r("cpu_generation")}
          />
          <TextField label="Memory (GB)" width={10} inputMode="numeric" error={errors.ram_gb} {...r("ram_gb")} />
        </Fieldset>
        <TextareaField label="Notes" error={errors.notes} {...r("notes")} />
        <button className="nhsuk-button" type="submit" disabled={navigation.state === "submitting"}>
          {submitLabel}
        </button>
      </Form>
    </>
  );
}
