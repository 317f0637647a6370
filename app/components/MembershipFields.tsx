import type { UseFormRegister } from "react-hook-form";
import { SelectField, TextField } from "./fields";
import { ROLES } from "~/utils/permissions";

const roleOptions = [{ value: "", label: "Select a role" }, ...Object.entries(ROLES).map(([value, r]) => ({ value, label: r.label }))];

/** Role plus the scope it applies to; which code is needed depends on the role (see hints). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- shared by forms with different field sets
export function MembershipFields({ register, errors }: { register: UseFormRegister<any>; errors: Record<string, string | undefined> }) {
  return (
    <>
      <SelectField label="Role" options={roleOptions} error={errors.role} {...register("role")} />
      <TextField
        label="ICB code"
        hint="For an ICB digital lead, or a delivery partner covering a whole ICB. For example, QMF for North East London."
        width={10}
        error={errors.icbCode}
        {...register("icbCode")}
      />
      <TextField
        label="Practice ODS code"
        hint="For a practice manager, or a delivery partner covering one practice. For example, F84003."
        width={10}
        error={errors.practiceCode}
        {...register("practiceCode")}
      />
    </>
  );
}
