// Labelled form controls with the server's error messages underneath. Native inputs with stable `name`s,
// so browser tests (and password managers, and autofill) find them.
import type { InputHTMLAttributes, ReactNode } from "react";

export const inputClass =
  "w-full rounded-tremor-default border border-tremor-border bg-white px-3 py-1.5 text-tremor-default text-tremor-content-strong shadow-tremor-input outline-none focus:border-tremor-brand-subtle focus:ring-2 focus:ring-tremor-brand-muted aria-[invalid=true]:border-red-400 disabled:bg-tremor-background-subtle disabled:text-tremor-content";

export const fieldId = (name: string) => `field-${name.replace(/\./g, "-")}`;

export function FieldErrors({ slot, errors }: { slot: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <ul className="mt-1 space-y-0.5 text-xs text-red-600" data-testid={`error-${slot}`} role="alert">
      {errors.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}

/** Label above, hint and server errors below: the frame every labelled control shares. */
function FieldFrame({ name, label, hint, errors, className, children }: {
  name: string;
  label: string;
  hint?: ReactNode;
  errors?: string[];
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={className}>
      <label htmlFor={fieldId(name)} className="block text-tremor-label font-medium text-tremor-content-emphasis">
        {label}
      </label>
      {children}
      {hint && <p className="mt-1 text-xs text-tremor-content">{hint}</p>}
      <FieldErrors slot={name} errors={errors} />
    </div>
  );
}

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "onChange" | "value" | "name"> {
  name: string;
  label: string;
  value: string;
  onValue(value: string): void;
  errors?: string[];
  hint?: ReactNode;
}

export function TextField({ name, label, value, onValue, errors, hint, className, ...input }: TextFieldProps) {
  return (
    <FieldFrame name={name} label={label} hint={hint} errors={errors} className={className}>
      <input
        id={fieldId(name)}
        name={name}
        value={value}
        onChange={(e) => onValue(e.target.value)}
        aria-invalid={errors?.length ? true : undefined}
        className={`mt-1 ${inputClass}`}
        {...input}
      />
    </FieldFrame>
  );
}

export function SelectField<T extends string>({ name, label, value, options, onValue, errors, disabled, hint, className }: {
  name: string;
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onValue(value: T): void;
  errors?: string[];
  disabled?: boolean;
  hint?: ReactNode;
  className?: string;
}) {
  return (
    <FieldFrame name={name} label={label} hint={hint} errors={errors} className={className}>
      <select id={fieldId(name)} name={name} value={value} disabled={disabled} onChange={(e) => onValue(e.target.value as T)} className={`mt-1 ${inputClass}`}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function Checkbox({ name, value, label, checked, onChecked }: {
  name: string;
  value?: string;
  label: string;
  checked: boolean;
  onChecked(checked: boolean): void;
}) {
  return (
    <label className="inline-flex items-center gap-2 text-tremor-default text-tremor-content-emphasis">
      <input
        type="checkbox"
        name={name}
        value={value}
        checked={checked}
        onChange={(e) => onChecked(e.target.checked)}
        className="h-4 w-4 rounded border-tremor-border text-tremor-brand focus:ring-tremor-brand-muted"
      />
      {label}
    </label>
  );
}

/** A small segmented switch between a few modes, as native radios (one `name`, one `value` per mode). */
export function ModeSwitch<T extends string>({ name, label, value, modes, onValue }: {
  name: string;
  label: string;
  value: T;
  modes: readonly { value: T; label: string }[];
  onValue(value: T): void;
}) {
  return (
    <div role="radiogroup" aria-label={label} className="inline-flex overflow-hidden rounded-tremor-small border border-tremor-border text-xs">
      {modes.map((mode) => (
        <label
          key={mode.value}
          className={`cursor-pointer px-2.5 py-1 ${mode.value === value ? "bg-tremor-brand text-white" : "bg-white text-tremor-content-emphasis hover:bg-tremor-background-muted"}`}
        >
          <input type="radio" name={name} value={mode.value} checked={mode.value === value} onChange={() => onValue(mode.value)} className="sr-only" />
          {mode.label}
        </label>
      ))}
    </div>
  );
}

/** A titled group of fields. */
export function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <fieldset className="border-t border-tremor-border pt-5 first:border-t-0 first:pt-0">
      <legend className="float-left mb-1 w-full text-tremor-title font-semibold text-tremor-content-strong">{title}</legend>
      {description && <p className="mb-3 clear-left text-tremor-default text-tremor-content">{description}</p>}
      <div className="clear-left">{children}</div>
    </fieldset>
  );
}
