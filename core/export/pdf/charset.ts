// The character set of the Swiss QR-bill (Swiss Payment Standards, Implementation Guidelines
// QR-bill v2.3, "extended Latin" set, valid in every QR-bill since 21 November 2025):
//   Basic Latin U+0020–U+007E, Latin-1 Supplement U+00A0–U+00FF, Latin Extended-A
//   U+0100–U+017F, plus Ș ș Ț ț (U+0218–U+021B) and € (U+20AC).
// So "Łukasz Żółć" and "Ørsted & Søn" are valid as they are. Anything else is transliterated
// when there is an obvious Latin equivalent (typographic quotes and dashes, ẞ, ǆ, letters with
// extra diacritics such as Vietnamese ệ → ê), and refused otherwise (emoji, Cyrillic, CJK…):
// silently dropping letters from a name or an address would be worse than asking for a fix.

export function isSpsCharacter(codePoint: number): boolean {
  return (
    (codePoint >= 0x20 && codePoint <= 0x7e) ||
    (codePoint >= 0xa0 && codePoint <= 0x17f) ||
    (codePoint >= 0x218 && codePoint <= 0x21b) ||
    codePoint === 0x20ac
  );
}

const REPLACEMENTS: Record<string, string> = {
  '\t': ' ',
  '\n': ' ',
  '\r': ' ',
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u2032': "'",
  '\u2039': "'",
  '\u203a': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u201f': '"',
  '\u2033': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u2022': '-',
  '\u2020': '+',
  '\u2122': 'TM',
  '\u1e9e': 'SS',
  '\u01c4': 'DŽ',
  '\u01c5': 'Dž',
  '\u01c6': 'dž',
  '\u01c7': 'LJ',
  '\u01c8': 'Lj',
  '\u01c9': 'lj',
  '\u01ca': 'NJ',
  '\u01cb': 'Nj',
  '\u01cc': 'nj',
  '\u01f1': 'DZ',
  '\u01f2': 'Dz',
  '\u01f3': 'dz',
  '\u0192': 'f',
  '\u018f': 'E',
  '\u0259': 'e',
  '\u0131': 'i',
  '\u20a3': 'F',
};

const SPACES = /[\u2000-\u200a\u202f\u205f\u3000]/;
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/;
const COMBINING = /\p{M}/u;

/** One character (a code point) mapped into the SPS set, or null when it has no Latin equivalent. */
function transliterateChar(ch: string): string | null {
  const cp = ch.codePointAt(0) as number;
  if (isSpsCharacter(cp)) return ch;
  const mapped = REPLACEMENTS[ch];
  if (mapped !== undefined) return mapped;
  if (SPACES.test(ch)) return ' ';
  if (INVISIBLE.test(ch)) return '';
  // A diacritic that composes with nothing (x + U+0301): dropped, like any other diacritic here.
  if (COMBINING.test(ch)) return '';
  // Letters with diacritics outside the set: keep as many of the diacritics as an allowed
  // letter has (ệ → ê, ǘ → ü, ḥ → h).
  const decomposed = [...ch.normalize('NFD')];
  const base = decomposed[0];
  if (base === undefined || COMBINING.test(base)) return null;
  const marks = decomposed.slice(1);
  if (marks.length === 0 || marks.length > 4 || !marks.every((m) => COMBINING.test(m))) return null;
  let best: string | null = null;
  let bestKept = -1;
  for (let mask = 0; mask < 1 << marks.length; mask++) {
    const kept = marks.filter((_, i) => mask & (1 << i));
    if (kept.length <= bestKept) continue;
    const candidate = (base + kept.join('')).normalize('NFC');
    if ([...candidate].length === 1 && isSpsCharacter(candidate.codePointAt(0) as number)) {
      best = candidate;
      bestKept = kept.length;
    }
  }
  return best;
}

export interface SpsText {
  text: string;
  /** Characters that have no equivalent in the SPS set (emoji, Cyrillic, CJK…), in order. */
  rejected: string[];
  /** true when something was replaced or removed. */
  changed: boolean;
}

/** NFC, transliteration into the SPS set, runs of spaces collapsed, trimmed. */
export function toSpsText(text: string): SpsText {
  const nfc = text.normalize('NFC');
  const rejected: string[] = [];
  let out = '';
  for (const ch of nfc) {
    const t = transliterateChar(ch);
    if (t === null) rejected.push(ch);
    else out += t;
  }
  const collapsed = out.replace(/ {2,}/g, ' ').trim();
  return { text: collapsed, rejected, changed: collapsed !== text };
}
