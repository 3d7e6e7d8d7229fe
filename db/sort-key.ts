// The order people expect names in: "Käserei" before "Kontor", "Éditions" among the E's, not
// after Z as byte order puts it. better-sqlite3 cannot register a collation, and an ICU build
// of SQLite is not what it bundles; so the sort key is an SQL expression — lower-case, accents
// and ligatures folded to their base letters — that indexes are built on (migration 0017) and
// keyset pages order by. For the locales Kontor speaks (de, fr, it, en) that is the order
// Intl.Collator gives at base sensitivity; equal keys ("Alpha", "alpha") fall back to the id.
// Pure SQL, so every writer (services, sync apply, imports, a bare sqlite3 shell) keeps the
// index right with nothing registered on the connection.

const FOLDS: [string, string][] = [
  ['ÀÁÂÃÄÅàáâãäåĀāĂăĄą', 'a'],
  ['Ææ', 'ae'],
  ['ÇçĆćĈĉĊċČč', 'c'],
  ['ĎďĐđ', 'd'],
  ['ÈÉÊËèéêëĒēĔĕĖėĘęĚě', 'e'],
  ['ĜĝĞğĠġĢģ', 'g'],
  ['ÌÍÎÏìíîïĪīĬĭĮįİı', 'i'],
  ['ĹĺĻļĽľŁł', 'l'],
  ['ÑñŃńŅņŇň', 'n'],
  ['ÒÓÔÕÖØòóôõöøŌōŎŏŐő', 'o'],
  ['Œœ', 'oe'],
  ['ŔŕŘř', 'r'],
  ['ŚśŜŝŞşŠš', 's'],
  ['ß', 'ss'],
  ['ŢţŤť', 't'],
  ['ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų', 'u'],
  ['ÝýÿŸ', 'y'],
  ['ŹźŻżŽž', 'z'],
  // Combining marks of a decomposed name (e + U+0301): dropped.
  ['\u0300\u0301\u0302\u0303\u0304\u0306\u0307\u0308\u030a\u030b\u030c\u0327\u0328', ''],
];

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * The sort key of `column` (an SQL column reference) as an SQL expression. A name of plain
 * printable ASCII — most of them — is only lower-cased: the 180 nested replace() calls cost
 * ~10 µs per row written (an index entry is computed on every insert), which made inserting a
 * product 2.8× slower than without the index (migration 0024 re-creates the indexes on this).
 */
export function sortKeySql(column: string): string {
  let expr = `lower(${column})`;
  for (const [letters, base] of FOLDS) {
    for (const letter of letters) expr = `replace(${expr}, ${quote(letter)}, ${quote(base)})`;
  }
  return `CASE WHEN ${column} GLOB '*[^ -~]*' THEN ${expr} ELSE lower(${column}) END`;
}

/** The same key computed in JavaScript (tests, and a cursor's value typed by hand). */
export function sortKey(text: string): string {
  let out = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  for (const [letters, base] of FOLDS) {
    for (const letter of letters) out = out.replaceAll(letter, base);
  }
  return out;
}
