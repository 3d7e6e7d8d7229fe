// Every catalog of common/i18n (the one translation mechanism of the main process, CLI,
// PDFs, exports and hub) has the same keys in English, French and German, and every sentence
// uses the same {{placeholders}} in each language: a French message that drops {{number}}
// would print a sentence without the number. Catalogs are found by reading the folder, so a
// new one is checked without being listed here.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '#common/i18n/locale';
import { defineCatalog, defineDocumentCatalog, fill, lookup, placeholdersOf, translate } from '#common/i18n/translate';

const dir = path.resolve(__dirname, '../../common/i18n');

type AnyCatalog = Record<string, Record<string, unknown>>;

// The interface's catalogs speak en, fr and de; the printed words (PDF, export headers) add
// Italian for Ticino and Italy, and are held to the same rules in all four.
const DOCUMENT_ONLY = ['it'];

const isCatalog = (v: unknown): v is AnyCatalog =>
  typeof v === 'object' &&
  v !== null &&
  LOCALES.every((l) => typeof (v as AnyCatalog)[l] === 'object' && (v as AnyCatalog)[l] !== null) &&
  Object.keys(v).every((l) => (LOCALES as readonly string[]).includes(l) || DOCUMENT_ONLY.includes(l));

const languagesOf = (catalog: AnyCatalog): string[] => Object.keys(catalog);

async function allCatalogs(): Promise<[string, AnyCatalog][]> {
  const out: [string, AnyCatalog][] = [];
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    const module = (await import(path.join(dir, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module))
      if (isCatalog(value)) out.push([`${file} ${name}`, value]);
  }
  return out;
}

describe('the translation catalogs', () => {
  it('are found (errors, import, document, desktop, exports, web host…)', async () => {
    const names = (await allCatalogs()).map(([n]) => n);
    for (const expected of [
      'errors.ts errorMessages',
      'import.ts importMessages',
      'document.ts documentWords',
      'desktop.ts desktopMenu',
      'desktop.ts desktopDialogs',
      'exports.ts exportWords',
      'web-host.ts webHostRefusals',
      'web-host.ts webHostStart',
    ])
      expect(names).toContain(expected);
  });

  it('have every key in en, fr and de, each a non-empty sentence', async () => {
    for (const [name, catalog] of await allCatalogs()) {
      const keys = Object.keys(catalog.en ?? {}).sort();
      for (const locale of languagesOf(catalog)) {
        expect(Object.keys(catalog[locale] ?? {}).sort(), `${name} ${locale}`).toEqual(keys);
        for (const key of keys) {
          const sentence = catalog[locale]?.[key];
          expect(typeof sentence === 'string' && sentence.trim() !== '', `${name} ${locale}.${key}`).toBe(
            true,
          );
        }
      }
    }
  });

  it('use the same placeholders in every language', async () => {
    const mismatches: string[] = [];
    for (const [name, catalog] of await allCatalogs()) {
      for (const key of Object.keys(catalog.en ?? {})) {
        const en = placeholdersOf(String(catalog.en?.[key]));
        for (const locale of languagesOf(catalog)) {
          const other = placeholdersOf(String(catalog[locale]?.[key]));
          if (JSON.stringify(other) !== JSON.stringify(en))
            mismatches.push(
              `${name} ${locale}.${key}: {{${other.join('}} {{')}}} ≠ en {{${en.join('}} {{')}}}`,
            );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('translate: fills placeholders, falls back to English, and knows only its own keys', () => {
    const c = defineCatalog({
      en: { hello: 'Hello {{name}}, {{missing}}!' },
      fr: { hello: 'Bonjour {{name}}, {{missing}} !' },
      de: { hello: 'Hallo {{name}}, {{missing}}!' },
    });
    expect(translate(c, 'fr', 'hello', { name: 'Zoë' })).toBe('Bonjour Zoë,  !');
    expect(fill('{{a}}{{a}}', { a: 1 })).toBe('11');
    expect(lookup(c, 'de', 'constructor')).toBeUndefined();
    expect(lookup(c, 'de', 'hello')).toBe('Hallo {{name}}, {{missing}}!');
    expect(placeholdersOf('{{b}} {{a}} {{b}}')).toEqual(['a', 'b']);
  });

  it('a catalog missing a key in one language does not compile', () => {
    // Checked by the type checker (npm run typecheck), which fails if these ever compile.
    // @ts-expect-error German lacks "b"
    defineCatalog({ en: { a: 'x', b: 'y' }, fr: { a: 'x', b: 'y' }, de: { a: 'x' } });
    // @ts-expect-error French has a key English lacks
    defineCatalog({ en: { a: 'x' }, fr: { a: 'x', c: 'z' }, de: { a: 'x' } });
    // @ts-expect-error a document catalog without Italian
    defineDocumentCatalog({ en: { a: 'x' }, fr: { a: 'x' }, de: { a: 'x' } });
    expect(true).toBe(true);
  });
});
