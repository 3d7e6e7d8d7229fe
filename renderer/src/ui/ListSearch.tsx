import type { ReactNode } from 'react';
import { Input, SearchField } from 'react-aria-components';
import { IconSearch } from './icons';

/**
 * The search box at the top of a searchable menu or list. Inside an Autocomplete it keeps the
 * focus while Up/Down move through the list below it and Enter picks the highlighted entry;
 * Escape empties it first. Enter never submits a surrounding form: a search only filters.
 */
export function ListSearch({
  label,
  placeholder,
  testId,
  className = 'menu-search',
  autoFocus,
  children,
}: {
  label: string;
  placeholder?: string;
  testId?: string;
  className?: string;
  autoFocus?: boolean;
  /** After the input: a spinner while results load. */
  children?: ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: only stops Enter from submitting the form around the list
    <div
      className={className}
      onKeyDown={(event) => {
        if (event.key === 'Enter') event.preventDefault();
      }}
    >
      <IconSearch size={14} />
      <SearchField aria-label={label} autoFocus={autoFocus} className="list-search-field">
        <Input placeholder={placeholder ?? label} data-testid={testId} />
      </SearchField>
      {children}
    </div>
  );
}
