import { forwardRef, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";

interface FieldProps {
  name: string;
  label: string;
  hint?: ReactNode;
  error?: string;
}

function FormGroup({ name, label, hint, error, children }: FieldProps & { children: ReactNode }) {
  return (
    <div className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
      <label className="nhsuk-label" htmlFor={`field-${name}`}>
        {label}
      </label>
      {hint ? (
        <div className="nhsuk-hint" id={`field-${name}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <span className="nhsuk-error-message" id={`field-${name}-error`}>
          <span className="nhsuk-u-visually-hidden">Error:</span> {error}
        </span>
      ) : null}
      {children}
    </div>
  );
}

const describedBy = (name: string, hint?: ReactNode, error?: string) =>
  [hint ? `field-${name}-hint` : "", error ? `field-${name}-error` : ""].filter(Boolean).join(" ") || undefined;

type InputProps = FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, "name"> & { width?: 10 | 20 | 30 };

/** Text input in the NHS.UK pattern; forwards its ref so react-hook-form's register() works. */
export const TextField = forwardRef<HTMLInputElement, InputProps>(function TextField(
  { name, label, hint, error, width, className, ...rest },
  ref,
) {
  const classes = ["nhsuk-input", width ? `nhsuk-input--width-${width}` : "", error ? "nhsuk-input--error" : "", className ?? ""];
  return (
    <FormGroup name={name} label={label} hint={hint} error={error}>
      <input
        ref={ref}
        id={`field-${name}`}
        name={name}
        className={classes.filter(Boolean).join(" ")}
        aria-describedby={describedBy(name, hint, error)}
        aria-invalid={error ? true : undefined}
        {...rest}
      />
    </FormGroup>
  );
});

type SelectProps = FieldProps &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, "name"> & { options: { value: string; label: string }[] };

export const SelectField = forwardRef<HTMLSelectElement, SelectProps>(function SelectField(
  { name, label, hint, error, options, ...rest },
  ref,
) {
  return (
    <FormGroup name={name} label={label} hint={hint} error={error}>
      <select
        ref={ref}
        id={`field-${name}`}
        name={name}
        className={`nhsuk-select${error ? " nhsuk-select--error" : ""}`}
        aria-describedby={describedBy(name, hint, error)}
        aria-invalid={error ? true : undefined}
        {...rest}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FormGroup>
  );
});
