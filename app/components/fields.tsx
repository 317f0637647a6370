import React, { forwardRef, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";

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

type SelectProps = FieldProps & Omit<SelectHTMLAttributes<HTMLSelectElement>, "name"> & { options: { value: string; label: string }[] };

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

type TextareaProps = FieldProps & Omit<React.TextareaHTMLAttributes<HTMLTextAreaElement>, "name">;

export const TextareaField = forwardRef<HTMLTextAreaElement, TextareaProps>(function TextareaField(
  { name, label, hint, error, rows = 3, ...rest },
  ref,
) {
  return (
    <FormGroup name={name} label={label} hint={hint} error={error}>
      <textarea
        ref={ref}
        id={`field-${name}`}
        name={name}
        rows={rows}
        className={`nhsuk-textarea${error ? " nhsuk-textarea--error" : ""}`}
        aria-describedby={describedBy(name, hint, error)}
        aria-invalid={error ? true : undefined}
        {...rest}
      />
    </FormGroup>
  );
});

/** A date typed as text: people write 31/03/2024; the server stores 2024-03-31. */
export const DateField = forwardRef<HTMLInputElement, InputProps>(function DateField({ hint, ...props }, ref) {
  return <TextField ref={ref} width={10} inputMode="numeric" autoComplete="off" hint={hint ?? "For example, 31/03/2024"} {...props} />;
});

type RadiosProps = FieldProps &
  Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "type"> & { options: { value: string; label: string }[]; inline?: boolean };

/** A fieldset of radios; with yes/no/not known it records a fact that may be unknown. */
export const RadiosField = forwardRef<HTMLInputElement, RadiosProps>(function RadiosField(
  { name, label, hint, error, options, inline = true, defaultValue, ...rest },
  ref,
) {
  // A radio's defaultValue is the option to check (register() supplies it), not a value attribute.
  const checked = defaultValue === undefined || defaultValue === null ? undefined : String(defaultValue);
  return (
    <div className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
      <fieldset className="nhsuk-fieldset" aria-describedby={describedBy(name, hint, error)} id={`field-${name}`}>
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{label}</legend>
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
        <div className={`nhsuk-radios${inline ? " nhsuk-radios--inline" : ""}`}>
          {options.map((o, i) => (
            <div className="nhsuk-radios__item" key={o.value}>
              <input
                className="nhsuk-radios__input"
                id={`field-${name}-${i}`}
                name={name}
                type="radio"
                value={o.value}
                defaultChecked={checked === undefined ? undefined : o.value === checked}
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

export const YES_NO_UNKNOWN = [
  { value: "yes", label: "Yes" },
  { value: "no", label: "No" },
  { value: "", label: "Not known" },
];
