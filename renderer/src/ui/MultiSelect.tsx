import { type ReactNode, useMemo, useState } from 'react';
import {
  Autocomplete,
  Menu,
  MenuItem,
  MenuTrigger,
  Popover,
  Pressable,
  type Selection,
} from 'react-aria-components';
import { IconCheck, IconChevronDown } from './icons';
import { ListSearch } from './ListSearch';

export interface MultiOption {
  value: string;
  label: string;
  color?: string;
  hint?: string;
  testId?: string;
}

/**
 * A filter button that opens a checklist menu (menuitemcheckbox: Up/Down move, Space or Enter
 * toggles, typing jumps to a label); shows how many values are chosen. With `searchLabel`, a
 * search box on top filters the list and keeps the focus while the arrows move through it.
 */
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
  const [search, setSearch] = useState('');
  const shown = useMemo(() => {
    const q = search.trim().toLocaleLowerCase();
    return q ? options.filter((o) => o.label.toLocaleLowerCase().includes(q)) : options;
  }, [options, search]);
  // Values chosen but filtered out of view stay chosen.
  const change = (keys: Selection) => {
    if (keys === 'all') return onChange(options.map((o) => o.value));
    const visible = new Set(shown.map((o) => o.value));
    onChange([...selected.filter((v) => !visible.has(v)), ...[...keys].map(String)]);
  };

  const menu = (
    <Menu
      className="menu-list"
      aria-label={label}
      selectionMode="multiple"
      selectedKeys={selected}
      onSelectionChange={change}
      shouldCloseOnSelect={false}
      // Escape closes the menu; it must not also untick every chosen value on the way.
      escapeKeyBehavior="none"
      renderEmptyState={() => <p className="menu-empty">{emptyLabel}</p>}
    >
      {shown.map((option) => (
        <MenuItem
          key={option.value}
          id={option.value}
          textValue={option.label}
          className="menu-item"
          data-testid={option.testId}
        >
          {({ isSelected }) => (
            <>
              <span className={`menu-check${isSelected ? ' menu-check-on' : ''}`} aria-hidden="true">
                {isSelected && <IconCheck size={11} />}
              </span>
              {option.color && (
                <span className="menu-dot" style={{ background: option.color }} aria-hidden="true" />
              )}
              <span className="menu-item-label">{option.label}</span>
              {option.hint && <span className="menu-item-hint">{option.hint}</span>}
            </>
          )}
        </MenuItem>
      ))}
    </Menu>
  );

  return (
    <MenuTrigger onOpenChange={(open) => !open && setSearch('')}>
      <Pressable>
        <button
          type="button"
          className={`filter-button${selected.length ? ' filter-button-active' : ''}`}
          data-testid={testId}
        >
          {icon}
          <span>{label}</span>
          {selected.length > 0 && <span className="filter-count">{selected.length}</span>}
          <IconChevronDown size={14} />
        </button>
      </Pressable>
      <Popover placement="bottom start" offset={6} className="popover menu" style={{ width: 248 }}>
        {header}
        {searchLabel ? (
          <Autocomplete inputValue={search} onInputChange={setSearch}>
            <ListSearch label={searchLabel} testId={testId ? `${testId}-search` : undefined} autoFocus />
            {menu}
          </Autocomplete>
        ) : (
          menu
        )}
      </Popover>
    </MenuTrigger>
  );
}

/**
 * A filter over a fixed set of codes (statuses, kinds): each code with its label in the
 * person's language; the options' test ids are the filter's followed by the code.
 */
export function CodeFilter<C extends string>({
  label,
  codes,
  labelOf,
  selected,
  onChange,
  testId,
}: {
  label: string;
  codes: readonly C[];
  labelOf: (code: C) => string;
  selected: readonly C[];
  onChange: (codes: C[]) => void;
  testId: string;
}) {
  const valid = new Set<string>(codes);
  return (
    <MultiSelect
      label={label}
      options={codes.map((code) => ({ value: code, label: labelOf(code), testId: `${testId}-${code}` }))}
      selected={selected}
      onChange={(values) => onChange(values.filter((v): v is C => valid.has(v)))}
      testId={testId}
    />
  );
}
