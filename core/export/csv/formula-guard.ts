// CSV formula injection (OWASP "CSV Injection"): a spreadsheet evaluates a cell that starts
// with =, +, - or @ (and Excel also acts on a leading TAB or CR). A text value that would be
// read that way gets an apostrophe, which both Excel and LibreOffice show as text.
//
// What counts is what a spreadsheet would EVALUATE, not every value that merely starts like
// a formula: "+41 21 555 55 55" (a phone number) and "-12.50" are read as text or as a number
// by every reader, never as a formula, so they are left alone (issue 15: the apostrophe showed
// up in every phone number). A sign followed by anything else ("+A1", "-1+2", "+SUM(…)") is
// guarded, as are = and @ and the full-width forms whatever follows.
//
// Where a cell starts depends on the reader: a ';' file opened with ',' as separator (a plain
// double-click on a machine whose list separator is the comma) starts a cell after every
// comma, and a reader that splits on line breaks starts one after every line break — and
// there a quote in the middle of its field no longer protects anything. So every position
// after a common separator (, ; TAB) or a line break is treated as a cell start, and each one
// that would evaluate gets its own apostrophe: "Acme,=1+1" → "Acme,'=1+1". The writer also
// quotes every text field holding any of those characters, in every profile.
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
const BLANK = /[\p{Zs}\u200b-\u200d\u2060\ufeff]/u;

/** Characters after which some reader starts a new cell. */
function isBreak(code: number): boolean {
  return code === 0x2c || code === 0x3b || code === 0x09 || code === 0x0d || code === 0x0a;
}

/** = @ TAB CR LF and the full-width ＝ ＋ － ＠ (Excel folds them to ASCII in some locales): always. */
function isHardTrigger(code: number): boolean {
  switch (code) {
    case 0x3d: // =
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

/**
 * After a leading + or -: what a phone number or a signed number is made of. A cell of only
 * these is text or a number to every spreadsheet; anything else (a letter, an operator, a
 * parenthesis with more than digits, a quote) may be an expression.
 */
const HARMLESS_AFTER_SIGN = /^[\d\s\u00a0\u202f.'’()]*$/;

/** Would a cell starting at `start` (and running to the next break) be evaluated? */
function dangerousAt(text: string, start: number, valueStart = start === 0): boolean {
  let i = start;
  while (i < text.length && BLANK.test(text[i] as string)) i++;
  if (i >= text.length) return false;
  const code = text.charCodeAt(i);
  // Inside the value a break only ends the part before it (CRLF, ",\n"): the cell start after
  // it is judged on its own. At the value's start a TAB, CR or LF is itself the danger.
  if (!valueStart && isBreak(code)) return false;
  if (isHardTrigger(code)) return true;
  if (code !== 0x2b && code !== 0x2d) return false;
  let end = i + 1;
  while (end < text.length && !isBreak(text.charCodeAt(end))) end++;
  const rest = text.slice(i + 1, end);
  // "-" or "+" alone, "+41 21 555 55 55", "-12.50", "+41 (0)21 555 55 55".
  return !HARMLESS_AFTER_SIGN.test(rest);
}

/** Positions where some reader starts a cell: the value's start and after every break. */
function cellStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (isBreak(text.charCodeAt(i))) starts.push(i + 1);
  return starts;
}

function hasBreak(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isBreak(text.charCodeAt(i))) return true;
  return false;
}

/** Would a spreadsheet evaluate this text, or any part of it that some reader makes a cell? */
export function isFormulaLike(text: string): boolean {
  if (text.length === 0) return false;
  const first = text.charCodeAt(0);
  // Fast path for the common case: a letter or digit first, and nothing that splits.
  if (((first > 0x40 && first < 0x7f) || (first >= 0x30 && first <= 0x39)) && !hasBreak(text)) return false;
  return cellStarts(text).some((s) => dangerousAt(text, s));
}

/** The text as it goes into a CSV cell: an apostrophe before every part that could execute. */
export function neutraliseText(text: string): string {
  if (!isFormulaLike(text)) return text;
  let out = '';
  let from = 0;
  for (const start of cellStarts(text)) {
    if (!dangerousAt(text, start)) continue;
    out += `${text.slice(from, start)}'`;
    from = start;
  }
  return out + text.slice(from);
}

/**
 * Undoes neutraliseText for a value read back from a Kontor CSV (import): an apostrophe at a
 * cell start followed by something that would execute is ours. An apostrophe before ordinary
 * text is kept.
 */
export function unneutraliseText(text: string): string {
  if (text.indexOf("'") < 0) return text;
  let out = '';
  let from = 0;
  for (const start of cellStarts(text)) {
    if (text.charCodeAt(start) !== 0x27 || !dangerousAt(text, start + 1, start === 0)) continue;
    out += text.slice(from, start);
    from = start + 1;
  }
  return out + text.slice(from);
}
