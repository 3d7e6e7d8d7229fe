import { TAG_COLORS } from './tag-names';

/** Two letters for an organization without a logo: first letters of two words, or the first two. */
export function initialsOf(name: string): string {
  const words = name
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .split(/[\s-]+/)
    .filter(Boolean);
  const letters = words.length >= 2 ? [words[0]?.[0], words[1]?.[0]] : [...(words[0] ?? '?').slice(0, 2)];
  return letters.join('').toLocaleUpperCase();
}

/** A stable default colour from the name, so an organization looks the same everywhere. */
export function colorFor(name: string): string {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return TAG_COLORS[hash % TAG_COLORS.length] as string;
}
