// The shape of an import's schema (what each kind expects, as data) and the pieces the kinds
// share: enum options with their aliases, the currencies.
import { CURRENCIES } from '#common/enums';

export type ImportKind = 'organizations' | 'products' | 'invoices';
export type ImportFieldType = 'text' | 'money' | 'date' | 'integer' | 'enum' | 'country' | 'percent';

export interface EnumOption {
  value: string;
  aliases: string[];
}

export interface ImportField {
  key: string;
  required: boolean;
  type: ImportFieldType;
  /** Header names this field is recognised by (en/fr/de/it). */
  aliases: string[];
  /** For 'enum': the accepted values and the words that mean them. */
  options?: EnumOption[];
  /** Max length for 'text'. */
  maxLength?: number;
}

export interface ImportSchema {
  kind: ImportKind;
  fields: ImportField[];
  /** Fields whose values together identify a row; a repeat is a 'duplicate' error. */
  uniqueKey: string[];
}

export function options(values: readonly string[], aliases: Record<string, string[]>): EnumOption[] {
  return values.map((value) => ({
    value,
    aliases: [value, value.replace(/_/g, ' '), ...(aliases[value] ?? [])],
  }));
}

export const CURRENCY = options(CURRENCIES, {
  CHF: ['Fr.', 'SFr.', 'Franken', 'franc suisse', 'francs suisses'],
  EUR: ['€', 'Euro'],
});
