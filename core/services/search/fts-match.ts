// FTS5 match expressions from what a person typed (common/search-text.ts). Every token goes
// inside double quotes, so nothing typed is ever read as FTS5 syntax (AND, NEAR, column:, ^):
// tokens hold only letters, digits and marks, and quotes are doubled anyway.
import type { SearchWord } from '#common/search-text';

const quoted = (tokens: string[]) => `"${tokens.join(' ').replaceAll('"', '""')}"`;

/**
 * Every word must match (AND); a word matches as a phrase whose last token is a prefix
 * ("kase" finds Käserei: the tokenizer folds the accents of both sides). In the invoice
 * index a word that reads as an amount may match the amount column instead.
 * Null when nothing searchable was typed.
 */
export function matchExpression(words: SearchWord[], options: { amounts: boolean }): string | null {
  if (words.length === 0) return null;
  const parts = words.map((word) => {
    const text = `{words} : ${quoted(word.tokens)} *`;
    if (!options.amounts || !word.amount) return `(${text})`;
    const amount = `{amount} : "${word.amount.digits}"${word.amount.complete ? '' : ' *'}`;
    return `(${text} OR ${amount})`;
  });
  return parts.join(' AND ');
}
