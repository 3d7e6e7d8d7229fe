// What an import of each kind expects, as data: the UI draws its mapping screen from it, the
// validator checks rows against it. Header aliases are the names people's spreadsheets use
// in English, French and German (and a little Italian); they are compared without case,
// accents, spaces or punctuation, so "N° de facture", "Nº facture" and "no-facture" meet.
import type { ImportKind, ImportSchema } from './import-field';
import { INVOICES_SCHEMA } from './schema-invoices';
import { ORGANIZATIONS_SCHEMA } from './schema-organizations';
import { PRODUCTS_SCHEMA } from './schema-products';

export type { EnumOption, ImportField, ImportFieldType, ImportKind, ImportSchema } from './import-field';

export const IMPORT_SCHEMAS: Record<ImportKind, ImportSchema> = {
  organizations: ORGANIZATIONS_SCHEMA,
  products: PRODUCTS_SCHEMA,
  invoices: INVOICES_SCHEMA,
};

/** Lower case, no accents, no spaces or punctuation: "N° de facture" → "ndefacture". */
export function normalizeLabel(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[º°]/g, 'o')
    .replace(/[^\p{L}\p{N}€]/gu, '');
}

/**
 * For each field, the index of the header that names it, or null. A header serves one field
 * at most; fields are served in schema order, and a field's own key counts as an alias.
 */
export function suggestMapping(kind: ImportKind, headers: string[]): Record<string, number | null> {
  const schema = IMPORT_SCHEMAS[kind];
  const normalized = headers.map(normalizeLabel);
  const used = new Set<number>();
  const mapping: Record<string, number | null> = {};
  for (const field of schema.fields) {
    mapping[field.key] = null;
    for (const alias of [field.key, ...field.aliases].map(normalizeLabel)) {
      const index = normalized.findIndex((h, i) => h === alias && !used.has(i));
      if (index >= 0) {
        mapping[field.key] = index;
        used.add(index);
        break;
      }
    }
  }
  return mapping;
}
