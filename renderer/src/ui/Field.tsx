import {
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from 'react';

interface FieldShellProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  /** A success or status line under the field (e.g. "valid VAT number"). */
  status?: ReactNode;
  statusTestId?: string;
  optional?: string;
  className?: string;
  children: ReactNode;
}

export function FieldShell({
  id,
  label,
  hint,
  error,
  status,
  statusTestId,
  optional,
  className,
  children,
}: FieldShellProps) {
  return (
    <div className={['field', error ? 'field-invalid' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label className="field-label" htmlFor={id}>
        {label}
        {optional && <span className="field-optional">{optional}</span>}
      </label>
      {children}
      {error ? (
        <p className="field-error" id={`${id}-msg`} role="alert" data-testid={statusTestId}>
          {error}
        </p>
      ) : status ? (
        <p className="field-status" id={`${id}-msg`} data-testid={statusTestId}>
          {status}
        </p>
      ) : hint ? (
        <p className="field-hint" id={`${id}-msg`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

type Shared = {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  status?: ReactNode;
  statusTestId?: string;
  optional?: string;
  testId?: string;
  fieldClassName?: string;
};

export interface TextFieldProps
  extends Omit<InputHTMLAttributes<HTMLInputElement>, 'size' | 'prefix'>,
    Shared {
  prefix?: ReactNode;
  suffix?: ReactNode;
}

/**
 * The one wiring of a labelled control: its id (given or generated), what the shell shows
 * (label, hint, error, status) and the control's links to it, apart from the control's own props.
 */
function useField<P extends Shared>(props: P, id: string | undefined) {
  const { label, hint, error, status, statusTestId, optional, testId, fieldClassName, ...rest } = props;
  const autoId = useId();
  const controlId = id ?? autoId;
  return {
    shell: { id: controlId, label, hint, error, status, statusTestId, optional, className: fieldClassName },
    control: {
      id: controlId,
      'aria-invalid': error ? true : undefined,
      'aria-describedby': error || status || hint ? `${controlId}-msg` : undefined,
      'data-testid': testId,
    },
    rest,
  };
}

export function TextField({ prefix, suffix, id, className, ...props }: TextFieldProps) {
  const { shell, control, rest } = useField(props, id);
  const input = <input className={['input', className ?? ''].filter(Boolean).join(' ')} {...control} {...rest} />;
  return (
    <FieldShell {...shell}>
      {prefix || suffix ? (
        <div className="input-group">
          {prefix && <span className="input-affix">{prefix}</span>}
          {input}
          {suffix && <span className="input-affix">{suffix}</span>}
        </div>
      ) : (
        input
      )}
    </FieldShell>
  );
}

export interface SelectOption {
  value: string;
  label: string;
  disabled?: boolean;
}

export interface SelectFieldProps extends SelectHTMLAttributes<HTMLSelectElement>, Shared {
  options: readonly SelectOption[];
}

export function SelectField({ options, id, className, ...props }: SelectFieldProps) {
  const { shell, control, rest } = useField(props, id);
  return (
    <FieldShell {...shell}>
      <Select options={options} className={className} {...control} {...rest} />
    </FieldShell>
  );
}

/**
 * A select of codes (kinds, statuses, frequencies): each code's label from `labelOf`, and the
 * chosen one handed back as the code's type, not as a string to cast.
 */
export function CodeSelectField<C extends string>({
  codes,
  labelOf,
  value,
  onChange,
  ...props
}: Omit<SelectFieldProps, 'options' | 'value' | 'onChange'> & {
  codes: readonly C[];
  labelOf: (code: C) => string;
  value: C;
  onChange: (code: C) => void;
}) {
  return (
    <SelectField
      {...props}
      value={value}
      options={codes.map((c) => ({ value: c, label: labelOf(c) }))}
      onChange={(e) => onChange(codes.find((c) => c === e.target.value) ?? value)}
    />
  );
}

export interface SelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  options: readonly SelectOption[];
}

/** A native select (keyboard, type-to-find and screen readers for free), styled. */
export function Select({ options, className, ...rest }: SelectProps) {
  return (
    <div className={['select-wrap', className ?? ''].filter(Boolean).join(' ')}>
      <select className="select" {...rest}>
        {options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
      <svg className="select-chevron" width="14" height="14" viewBox="0 0 24 24" aria-hidden="true">
        <path
          d="m7 10 5 5 5-5"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
    </div>
  );
}

export interface TextAreaProps extends TextareaHTMLAttributes<HTMLTextAreaElement>, Shared {}

export function TextArea({ id, className, ...props }: TextAreaProps) {
  const { shell, control, rest } = useField(props, id);
  return (
    <FieldShell {...shell}>
      <textarea className={['input', 'textarea', className ?? ''].filter(Boolean).join(' ')} {...control} {...rest} />
    </FieldShell>
  );
}

export interface CheckboxProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> {
  label: ReactNode;
  description?: ReactNode;
  testId?: string;
}

export function Checkbox({ label, description, testId, id, className, ...rest }: CheckboxProps) {
  const autoId = useId();
  const boxId = id ?? autoId;
  return (
    <div className={['checkbox-field', className ?? ''].filter(Boolean).join(' ')}>
      <input id={boxId} type="checkbox" className="checkbox" data-testid={testId} {...rest} />
      <label htmlFor={boxId}>
        <span className="checkbox-label">{label}</span>
        {description && <span className="checkbox-description">{description}</span>}
      </label>
    </div>
  );
}

export interface SwitchProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> {
  label: ReactNode;
  testId?: string;
}

/** A checkbox drawn as a switch; still a checkbox to assistive technology, with role=switch. */
export function Switch({ label, testId, id, checked, ...rest }: SwitchProps) {
  const autoId = useId();
  const switchId = id ?? autoId;
  return (
    <div className="switch-field">
      <input
        id={switchId}
        type="checkbox"
        role="switch"
        aria-checked={checked}
        checked={checked}
        className="switch"
        data-testid={testId}
        {...rest}
      />
      <label htmlFor={switchId}>{label}</label>
    </div>
  );
}
