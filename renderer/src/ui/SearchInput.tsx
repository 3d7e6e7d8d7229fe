import type { InputHTMLAttributes } from 'react';
import { IconSearch, IconX } from './icons';

export function SearchInput({
  value,
  onValueChange,
  label,
  testId,
  clearLabel,
  className,
  ...rest
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> & {
  value: string;
  onValueChange: (value: string) => void;
  label: string;
  clearLabel: string;
  testId?: string;
}) {
  return (
    <div className={['search-input', className ?? ''].filter(Boolean).join(' ')}>
      <IconSearch size={14} className="search-input-icon" />
      <input
        type="search"
        value={value}
        onChange={(e) => onValueChange(e.target.value)}
        aria-label={label}
        placeholder={label}
        data-testid={testId}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && value) {
            e.stopPropagation();
            onValueChange('');
          }
        }}
        {...rest}
      />
      {value && (
        <button
          type="button"
          className="search-input-clear"
          aria-label={clearLabel}
          onClick={() => onValueChange('')}
        >
          <IconX size={12} />
        </button>
      )}
    </div>
  );
}
