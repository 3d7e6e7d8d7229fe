// CSV formula injection (OWASP "CSV Injection"): a spreadsheet evaluates a cell that starts
// with =, +, - or @ (and Excel also acts on a leading TAB or CR). A text value that would be
// read that way gets a leading apostrophe, which both Excel and LibreOffice show as text.
//
// Only TEXT cells are neutralised. Money and integers are written by Kontor itself as plain
// numbers ("-1234.50"): a negative amount is a number, and an apostrophe would turn it into
// text that no SUM adds up.

/**
 * Blanks a spreadsheet skips before it looks at the first character: every Unicode space
 * separator (space, NBSP U+00A0, U+202F, U+3000, …) plus zero-width characters and a stray
 * BOM, which are invisible in a cell. TAB, CR and LF are not skipped: they are dangerous
 * themselves, so a value whose first non-blank character is one of them is neutralised.
 */
const LEADING_BLANKS = /^[\p{Zs}\u200b-\u200d\u2060\ufeff]*/u;

/** = + - @ TAB CR LF and the full-width forms ＝ ＋ － ＠ (Excel folds them to ASCII in some locales). */
function isTrigger(code: number): boolean {
  switch (code) {
    case 0x3d: // =
    case 0x2b: // +
    case 0x2d: // -
    case 0x40: // @
    case 0x09: // TAB
    case 0x0d: // CR
    case 0x0a: // LF
    case 0xff1d: // ＝
    case 0xff0b: // ＋
    case 0xff0d: // －
    case 0xff20: // ＠
      return true;
    default:
      return false;
  }
}

function lineIsDangerous(line: string): boolean {
  if (line.length === 0) return false;
  const first = line.charCodeAt(0);
  // Fast path for the common case: a letter or digit first.
  if (first > 0x40 && first < 0x7f) return false;
  if (first >= 0x30 && first <= 0x39) return false;
  const skipped = LEADING_BLANKS.exec(line)?.[0].length ?? 0;
  return skipped < line.length && isTrigger(line.charCodeAt(skipped));
}

/** Would a spreadsheet read this text (or any of its lines) as a formula? */
export function isFormulaLike(text: string): boolean {
  if (lineIsDangerous(text)) return true;
  // A multi-line value is dangerous when ANY line starts like a formula: some tools split
  // cells on newlines, and a pasted cell becomes several.
  if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) return false;
  for (const line of text.split(/\r\n|\r|\n/)) if (lineIsDangerous(line)) return true;
  return false;
}

/** The text as it goes into a CSV cell: with a leading apostrophe when it could execute. */
export function neutraliseText(text: string): string {
  return isFormulaLike(text) ? `'${text}` : text;
}

/**
 * Undoes neutraliseText for a value read back from a Kontor CSV (import): an apostrophe
 * followed by something formula-like is ours. An apostrophe before ordinary text is kept.
 */
export function unneutraliseText(text: string): string {
  return text.startsWith("'") && isFormulaLike(text.slice(1)) ? text.slice(1) : text;
}
