// An import problem as a sentence for the user. Error codes are stable strings
// (csv-import.ts); the sentences are in common/i18n/import.ts, in English, French and German.
import { importFieldLabels, importMessages, parseErrorDetails } from '#common/i18n/import';
import type { Locale } from '#common/i18n/locale';
import { lookup, translate } from '#common/i18n/translate';
import type { ImportError, ImportErrorCode, ParseErrorCode } from './csv-import';
import type { ImportKind } from './import-schemas';

// Every code the parser and the checks produce has its sentence (a compile error otherwise).
type Covered<Codes extends string, Sentences> = [Codes] extends [keyof Sentences] ? true : false;
type Holds<T extends true> = T;
export type ImportCodesHaveSentences = Holds<Covered<ImportErrorCode, (typeof importMessages)['en']>>;
export type ParseCodesHaveSentences = Holds<
  Covered<ParseErrorCode | 'FieldMismatch', (typeof parseErrorDetails)['en']>
>;

/** One error as a sentence for the user. */
export function importErrorMessage(error: ImportError, kind: ImportKind, locale: Locale): string {
  const field = error.field
    ? (lookup(importFieldLabels, locale, `${kind}.${error.field}`) ?? error.field)
    : '';
  const detail =
    error.code === 'bad_row' ? (lookup(parseErrorDetails, locale, String(error.value)) ?? error.value) : '';
  return translate(importMessages, locale, error.code, {
    line: error.line,
    field,
    value: error.value,
    firstLine: error.firstLine,
    detail,
    mark: error.mark,
  });
}
