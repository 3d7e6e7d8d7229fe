// What a person types into a search box, cut into the pieces the search index matches:
// words (each a run of letters and digits, the way SQLite's unicode61 tokenizer cuts text)
// and, for a word that reads as an amount in any of the person's formats (2527.77,
// 2,527.77, 2'527.77, 2 527,77, 2.527,77), the digits of that amount in minor units.
// Pure and browser-safe: the renderer uses it to decide when a query is worth sending.
import { parseAmount } from './money';

export interface SearchWord {
  /** The word's tokens, in order ("INV-2026-0001" → inv, 2026, 0001); matched as a phrase. */
  tokens: string[];
  /**
   * The word read as an amount: the digits of its minor units ("2'527.77" → 252777), and
   * whether they are all there (two decimals typed) or only the start of an amount being typed.
   */
  amount: { digits: string; complete: boolean } | null;
}

// Letters, digits and combining marks (a decomposed "é" stays one token): what unicode61
// keeps together.
const TOKEN_SPLIT = /[^\p{L}\p{N}\p{M}]+/u;
const AMOUNT_CHARS = /^[+]?[\d\s\u00a0\u202f'’.,]*\d[\d\s\u00a0\u202f'’.,]*$/;

/** At most this many words are matched: a pasted paragraph is not a query. */
export const MAX_SEARCH_WORDS = 8;

export function searchWords(text: string): SearchWord[] {
  const words: SearchWord[] = [];
  // "2 527,77" (French grouping) is one amount, not the words 2 and 527,77.
  const grouped = text.normalize('NFC').replace(/(\d)[\s\u00a0\u202f]+(?=\d{3}(?:[.,]\d|[\s'’.,]*$|\s))/g, '$1');
  for (const raw of grouped.split(/\s+/)) {
    if (words.length === MAX_SEARCH_WORDS) break;
    const tokens = raw
      .toLocaleLowerCase()
      .split(TOKEN_SPLIT)
      .filter((t) => t.length > 0);
    if (tokens.length === 0) continue;
    words.push({ tokens, amount: amountDigits(raw) });
  }
  return words;
}

function amountDigits(word: string): SearchWord['amount'] {
  if (!AMOUNT_CHARS.test(word)) return null;
  // "0001" is the end of an invoice number, not an amount (0.50 is).
  if (/^0\d/.test(word)) return null;
  // "2'527." while typing: the separator is there, the decimals are not yet.
  const trimmed = word.replace(/[.,]$/, '');
  const minor = parseAmount(trimmed, 'CHF');
  if (minor === null) {
    // "2,527" is 2.527 to a German reader (too many decimals) and 2527 to an English one.
    const grouped = trimmed.replace(/[\s\u00a0\u202f'’.,]/g, '');
    return /^\d+$/.test(grouped) ? { digits: String(Number(grouped)), complete: false } : null;
  }
  const decimals = /[.,](\d{1,2})$/.exec(trimmed)?.[1]?.length ?? 0;
  const digits = String(minor).padStart(3, '0');
  // Whole amounts and a single decimal are the start of the minor units being typed.
  if (decimals === 2) return { digits: String(minor), complete: true };
  return { digits: digits.slice(0, digits.length - (2 - decimals)).replace(/^0+(?=\d)/, ''), complete: false };
}

/** Text folded for matching in the browser the way the index folds it: case and accents gone. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}
