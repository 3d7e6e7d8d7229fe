import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Every interface string exists in English, French and German: the type check only proves
// the English keys (renderer/src/i18n/i18next.d.ts). Plural forms are one key here
// (`count_one`, `count_other`, French `count_many` are the same string in three forms).
const dir = path.resolve(__dirname, '..', '..', 'renderer', 'src', 'i18n');
const PLURAL = /_(zero|one|two|few|many|other)$/;

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix.replace(PLURAL, '')];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}
const load = (file: string) => new Set(keys(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))));

describe('renderer strings', () => {
  for (const base of ['', 'partners.', 'einvoice.', 'billing.', 'mail.']) {
    it(`${base || 'main '}files: fr and de have exactly the English keys`, () => {
      const en = load(`${base}en.json`);
      for (const lang of ['fr', 'de']) {
        const other = load(`${base}${lang}.json`);
        expect(
          [...en].filter((k) => !other.has(k)),
          `missing in ${base}${lang}.json`,
        ).toEqual([]);
        expect(
          [...other].filter((k) => !en.has(k)),
          `extra in ${base}${lang}.json`,
        ).toEqual([]);
      }
    });
  }
});
