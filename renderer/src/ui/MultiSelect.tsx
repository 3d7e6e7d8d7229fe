import { type ReactNode, useCallback, useMemo, useState } from 'react';
import { IconCheck, IconChevronDown, IconSearch } from './icons';
import { Popover } from './Popover';

export interface MultiOption {
  value: string;
  label: string;
  color?: string;
  hint?: string;
  testId?: string;
}

/** A filter button that opens a checklist; shows how many values are chosen. */
export function MultiSelect({
  label,
  options,
  selected,
  onChange,
  testId,
  searchLabel,
  emptyLabel,
  header,
  icon,
}: {
  label: string;
  options: readonly MultiOption[];
  selected: readonly string[];
  onChange: (values: string[]) => void;
  testId?: string;
  /** Shows a search box when given (long lists such as tags). */
  searchLabel?: string;
  emptyLabel?: string;
  header?: ReactNode;
  icon?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const close = useCallback(() => {
    setOpen(false);
    setSearch('');
  }, []);
  const shown = useMemo(() => {
    const q = search.trim().toLocaleLowerCase();
    return q ? options.filter((o) => o.label.toLocaleLowerCase().includes(q)) : options;
  }, [options, search]);
  const toggle = (value: string) =>
    onChange(selected.includes(value) ? selected.filter((v) => v !== value) : [...selected, value]);

  return (
    <Popover
      open={open}
      onClose={close}
      width={248}
      trigger={
        <button
          type="button"
          className={`filter-button${selected.length ? ' filter-button-active' : ''}`}
          aria-haspopup="true"
          aria-expanded={open}
          onClick={() => (open ? close() : setOpen(true))}
          data-testid={testId}
          data-popover-trigger
        >
          {icon}
          <span>{label}</span>
          {selected.length > 0 && <span className="filter-count">{selected.length}</span>}
          <IconChevronDown size={14} />
        </button>
      }
    >
      <div className="menu">
        {header}
        {searchLabel && (
          <div className="menu-search">
            <IconSearch size={14} />
            <input
              // biome-ignore lint/a11y/noAutofocus: the list opens for typing
              autoFocus
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              placeholder={searchLabel}
              aria-label={searchLabel}
              data-testid={testId ? `${testId}-search` : undefined}
            />
          </div>
        )}
        <div className="menu-list" role="menu" aria-label={label}>
          {shown.length === 0 && <p className="menu-empty">{emptyLabel}</p>}
          {shown.map((option) => {
            const on = selected.includes(option.value);
            return (
              <button
                key={option.value}
                type="button"
                role="menuitemcheckbox"
                aria-checked={on}
                className="menu-item"
                onClick={() => toggle(option.value)}
                data-testid={option.testId}
              >
                <span className={`menu-check${on ? ' menu-check-on' : ''}`} aria-hidden="true">
                  {on && <IconCheck size={11} />}
                </span>
                {option.color && (
                  <span className="menu-dot" style={{ background: option.color }} aria-hidden="true" />
                )}
                <span className="menu-item-label">{option.label}</span>
                {option.hint && <span className="menu-item-hint">{option.hint}</span>}
              </button>
            );
          })}
        </div>
      </div>
    </Popover>
  );
}
