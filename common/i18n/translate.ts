// The one way Kontor speaks outside the renderer: the main process, the CLI, the PDFs, the
// exports and the hub all translate through typed catalogs and `translate`.
//
// A catalog is a plain object per language with the same keys; its type makes a key missing
// in one language a compile error (and an extra one too: object literals are checked for
// excess keys). Placeholders are {{name}}; test/unit/i18n-catalogs-complete.test.ts checks
// that every language uses the same ones. Pure and synchronous: no instance to initialise, so
// the CLI pays nothing at start and the hub (which may not import core/) can use it.
//
// Why not i18next here: its typed keys come from one global declaration (CustomTypeOptions),
// which the renderer already uses for its own resources; a second set would clash in the same
// type check. The renderer keeps i18next (plurals, React bindings) and may read these catalogs.
import type { Locale } from './locale';

export type Params = Readonly<Record<string, unknown>>;

/**
 * Every language's sentences for the same keys: the interface's three (en, fr, de), or the
 * document languages, which add Italian (PDFs and export headers for Ticino and Italy).
 */
export type Catalog<K extends string, L extends string = Locale> = {
  readonly [X in L | 'en']: Readonly<Record<K, string>>;
};

/** The languages documents are written in: the interface's, and Italian. */
export type DocumentLanguage = Locale | 'it';

/** Declares a catalog (identity at run time; the type checks that en, fr and de have the same keys). */
export function defineCatalog<K extends string>(catalog: Catalog<K>): Catalog<K> {
  return catalog;
}

/** Declares a catalog of printed words (PDF, export headers): en, fr, de and it, same keys. */
export function defineDocumentCatalog<K extends string>(
  catalog: Catalog<K, DocumentLanguage>,
): Catalog<K, DocumentLanguage> {
  return catalog;
}

/** The sentence for `key` in `locale`, its {{placeholders}} filled from `params`. */
export function translate<K extends string, L extends string = Locale>(
  catalog: Catalog<K, L>,
  locale: L | 'en',
  key: K,
  params: Params = {},
): string {
  return fill(catalog[locale][key] ?? catalog.en[key] ?? key, params);
}

/** Fills {{name}} placeholders; a missing or null parameter leaves nothing. */
export function fill(template: string, params: Params): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = params[key];
    return value === undefined || value === null ? '' : String(value);
  });
}

/** The {{placeholders}} a sentence uses, sorted (for the completeness test). */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] as string))].sort();
}

/**
 * The sentence for a key that arrives from outside (a code on the wire, a parser's name),
 * unfilled, or undefined when the catalog has none. Own keys only: 'constructor' is no key.
 */
export function lookup<K extends string>(
  catalog: Catalog<K>,
  locale: Locale,
  key: string,
): string | undefined {
  const sentences: Readonly<Record<string, string>> = catalog[locale];
  return Object.hasOwn(sentences, key) ? sentences[key] : undefined;
}

/** One key in every language of its catalog (a file header written in the language the export asks for). */
export function inEveryLanguage<K extends string, L extends string = Locale>(
  catalog: Catalog<K, L>,
  key: K,
): Record<L | 'en', string> {
  const languages = Object.keys(catalog) as (L | 'en')[];
  return Object.fromEntries(languages.map((l) => [l, catalog[l][key]])) as Record<L | 'en', string>;
}
