/** The key two tag names clash on: Unicode case folding, not SQLite's ASCII-only NOCASE. */
export function tagNameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('und');
}

export const TAG_COLORS = [
  '#2563eb',
  '#16a34a',
  '#dc2626',
  '#d97706',
  '#7c3aed',
  '#db2777',
  '#0891b2',
  '#4b5563',
] as const;
