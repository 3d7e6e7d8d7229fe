import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { Focusable, Tooltip, TooltipTrigger } from 'react-aria-components';
import { Spinner } from './Spinner';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: 'sm' | 'md';
  icon?: ReactNode;
  loading?: boolean;
}

export function Button({
  variant = 'secondary',
  size = 'md',
  icon,
  loading = false,
  className,
  children,
  disabled,
  type = 'button',
  onClick,
  ...rest
}: ButtonProps) {
  const classes = ['btn', `btn-${variant}`, size === 'sm' ? 'btn-sm' : '', className ?? '']
    .filter(Boolean)
    .join(' ');
  // A busy button stays focusable (aria-disabled, clicks swallowed) rather than `disabled`:
  // disabling the focused button drops the focus onto <body>, outside the dialog, where Escape
  // no longer reaches it (issue 14: Escape did not close the Send dialog after a failed send).
  // The swallowed click also stops Enter's implicit submission of its form.
  return (
    <button
      type={type}
      className={classes}
      disabled={disabled}
      aria-disabled={loading || undefined}
      aria-busy={loading || undefined}
      onClick={loading ? (event) => event.preventDefault() : onClick}
      {...rest}
    >
      {loading ? <Spinner size={14} /> : icon}
      {children !== undefined && children !== null && <span>{children}</span>}
    </button>
  );
}

export interface IconButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  label: string;
  icon: ReactNode;
  size?: 'sm' | 'md';
  tone?: 'default' | 'danger';
}

/**
 * A square icon-only button; `label` is its accessible name and its tooltip. The tooltip is
 * React Aria's: it shows on hover after a moment and at once on keyboard focus (a `title`
 * never shows to a keyboard user), and Escape hides it.
 */
export function IconButton({
  label,
  icon,
  size = 'md',
  tone = 'default',
  className,
  type = 'button',
  ...rest
}: IconButtonProps) {
  const classes = [
    'icon-btn',
    size === 'sm' ? 'icon-btn-sm' : '',
    tone === 'danger' ? 'icon-btn-danger' : '',
    className ?? '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <TooltipTrigger delay={700} closeDelay={0}>
      <Focusable>
        <button type={type} className={classes} aria-label={label} {...rest}>
          {icon}
        </button>
      </Focusable>
      <Tooltip className="tooltip" offset={6}>
        {label}
      </Tooltip>
    </TooltipTrigger>
  );
}
