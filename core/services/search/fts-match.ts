// FTS5 match expressions from what a person typed (common/search-text.ts). Every token goes
// inside double quotes, so nothing typed is ever read as FTS5 syntax (AND, NEAR, column:, ^):
// tokens hold only letters, digits and marks, and quotes are doubled anyway.
import type { SearchWord } from '#common/search-text';

const quoted = (tokens: string[]) => `"${tokens.join(' ').replaceAll('"', '""')}"`;

/**
 * A word as a phrase whose last token is a prefix. In a large index (invoices: a million
 * rows) a word that ends in a one-character token ("INV-2", "CHE-123.4" while typing) drops
 * it and matches its whole tokens only: there is no one-character prefix index, so FTS5 would
 * gather the postings of every term that starts with that character (a third of the index)
 * before answering. One keystroke later the prefix has two characters and an index of its own.
 */
function phrase(tokens: string[], large: boolean): string {
  if (large && tokens.length > 1 && (tokens.at(-1) as string).length === 1) return quoted(tokens.slice(0, -1));
  return `${quoted(tokens)} *`;
}

/**
 * Every word must match (AND); a word matches as a phrase whose last token is a prefix
 * ("kase" finds Käserei: the tokenizer folds the accents of both sides). In the invoice
 * index a word that reads as an amount may match the amount column instead.
 * Null when nothing searchable was typed.
 */
export function matchExpression(
  words: SearchWord[],
  options: { amounts: boolean; large?: boolean },
): string | null {
  if (words.length === 0) return null;
  const parts = words.map((word) => {
    const text = `{words} : ${phrase(word.tokens, options.large === true)}`;
    if (!options.amounts || !word.amount) return `(${text})`;
    const amount = `{amount} : "${word.amount.digits}"${word.amount.complete ? '' : ' *'}`;
    return `(${text} OR ${amount})`;
  });
  return parts.join(' AND ');
}
