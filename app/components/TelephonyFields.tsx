import type { Selectable } from "kysely";
import type { UseFormRegister } from "react-hook-form";
import type { TelephonySystemTable } from "#db/types";
import { DateField, RadiosField, SelectField, TextareaField, TextField, YES_NO_UNKNOWN } from "~/components/fields";
import { triStateValue } from "~/utils/zod-fields";
import { FEATURE_KEYS, TELEPHONY_FEATURES, TELEPHONY_LABELS, TELEPHONY_TYPES } from "~/modules/telephony/schema";

type Errors = Record<string, string | undefined>;

/** Form values for a system (blank for a new one); dates are shown the way people type them. */
export function telephonyDefaults(row?: Partial<Selectable<TelephonySystemTable>> | null): Record<string, string> {
  const ukDate = (iso: string | null | undefined) => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : "");
  const values: Record<string, string> = {
    system_type: row?.system_type ?? "",
    supplier: row?.supplier ?? "",
    product: row?.product ?? "",
    on_bpf: triStateValue(row?.on_bpf),
    contract_start: ukDate(row?.contract_start),
    contract_end: ukDate(row?.contract_end),
    lines: row?.lines?.toString() ?? "",
    concurrent_calls: row?.concurrent_calls?.toString() ?? "",
    cbt_data_sharing: triStateValue(row?.cbt_data_sharing),
    main_number: row?.main_number ?? "",
    notes: row?.notes ?? "",
  };
  for (const k of FEATURE_KEYS) values[k] = triStateValue(row?.[k]);
  return values;
}

/** The fields of one telephony system, shared by the add, edit and replace pages. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- shared by the new, edit and replace forms
export function TelephonyFields({ register, errors }: { register: UseFormRegister<any>; errors: Errors }) {
  return (
    <>
      <SelectField
        {...register("system_type")}
        label="Type of telephone system"
        error={errors.system_type}
        options={[{ value: "", label: "Select a type" }, ...Object.entries(TELEPHONY_TYPES).map(([value, label]) => ({ value, label }))]}
      />
      <TextField {...register("supplier")} label="Supplier" error={errors.supplier} />
      <TextField {...register("product")} label="Product" hint="The name of the supplier's system, if it has one" error={errors.product} />
      <RadiosField
        {...register("on_bpf")}
        label="Is the supplier on the Advanced Telephony Better Purchasing Framework?"
        hint="New or renewed contracts must be with a supplier on this NHS England framework."
        options={YES_NO_UNKNOWN}
        error={errors.on_bpf}
      />
      <DateField {...register("contract_start")} label="Contract start date" error={errors.contract_start} />
      <DateField {...register("contract_end")} label="Contract end date" error={errors.contract_end} />
      <TextField {...register("lines")} label="Number of lines" inputMode="numeric" width={10} error={errors.lines} />
      <TextField
        {...register("concurrent_calls")}
        label="Concurrent-call capacity"
        hint="How many calls the system can handle at once"
        inputMode="numeric"
        width={10}
        error={errors.concurrent_calls}
      />
      <fieldset className="nhsuk-fieldset nhsuk-u-margin-bottom-4">
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">Features</legend>
        {FEATURE_KEYS.map((k) => (
          <RadiosField key={k} {...register(k)} label={TELEPHONY_FEATURES[k]} options={YES_NO_UNKNOWN} error={errors[k]} />
        ))}
      </fieldset>
      <RadiosField
        {...register("cbt_data_sharing")}
        label={`${TELEPHONY_LABELS.cbt_data_sharing}?`}
        hint="Since 1 October 2024 practices must let their supplier send monthly call data to NHS England."
        options={YES_NO_UNKNOWN}
        error={errors.cbt_data_sharing}
      />
      <TextField
        {...register("main_number")}
        label="Main telephone number"
        hint="The number patients call, for example 020 7946 0000"
        type="tel"
        autoComplete="off"
        width={20}
        error={errors.main_number}
      />
      <TextareaField {...register("notes")} label="Notes" error={errors.notes} />
    </>
  );
}
