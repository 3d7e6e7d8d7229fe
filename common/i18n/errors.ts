// Error messages: a code with parameters becomes a sentence in the caller's language. The
// sentences live in errors.{en,fr,de}.ts (typed by ErrorCode: a code without a sentence in
// one language does not compile); the words a parameter is replaced by live here.
import { whatIsNotAllowed } from './authority-words';
import { CURRENCIES } from '../enums';
import { type ErrorCode, type ErrorParams, isMoneyParam, type MoneyParam } from '../errors';
import { formatCurrency, formatRegion } from '../locale-format';
import { minorDigits } from '../money';
import { errorsDe, vatReasonsDe } from './errors.de';
import { errorsEn, vatReasonsEn } from './errors.en';
import { errorsFr, vatReasonsFr } from './errors.fr';
import { type EinvoiceProblem, translateProblem } from './einvoice-problems';
import { type RuleBreach, translateBreaches } from './einvoice-rules';
import { type Locale, resolveLocale } from './locale';
import { type Catalog, defineCatalog, fill, lookup, translate } from './translate';

export const errorMessages = defineCatalog<ErrorCode>({ en: errorsEn, fr: errorsFr, de: errorsDe });
export const vatReasons = defineCatalog({ en: vatReasonsEn, fr: vatReasonsFr, de: vatReasonsDe });

export const statusWords = defineCatalog({
  en: {
    draft: 'a draft',
    unpaid: 'unpaid',
    partially_paid: 'partially paid',
    paid: 'paid',
    refunded: 'refunded',
    cancelled: 'cancelled',
  },
  fr: {
    draft: 'un brouillon',
    unpaid: 'impayée',
    partially_paid: 'partiellement payée',
    paid: 'payée',
    refunded: 'remboursée',
    cancelled: 'annulée',
  },
  de: {
    draft: 'ein Entwurf',
    unpaid: 'offen',
    partially_paid: 'teilweise bezahlt',
    paid: 'bezahlt',
    refunded: 'erstattet',
    cancelled: 'storniert',
  },
});
// not_visible names what was asked for; French and German put it first, with its gender.
export const entityWords = defineCatalog({
  en: {
    invoice: 'invoice',
    product: 'product',
    organization: 'organization',
    payment: 'payment',
    ledger: 'prepaid account',
  },
  fr: {
    invoice: 'Cette facture',
    product: 'Ce produit',
    organization: 'Cette organisation',
    payment: 'Ce paiement',
    ledger: 'Ce compte prépayé',
  },
  de: {
    invoice: 'Diese Rechnung',
    product: 'Dieses Produkt',
    organization: 'Diese Organisation',
    payment: 'Diese Zahlung',
    ledger: 'Dieses Guthabenkonto',
  },
});
export const draftWord = defineCatalog({
  en: { draft: '(draft)' },
  fr: { draft: '(brouillon)' },
  de: { draft: '(Entwurf)' },
});

export interface FieldIssue {
  path: string;
  message: string;
}

export const issueWords = defineCatalog({
  en: {
    required: 'required',
    too_small: 'too short or too small',
    too_big: 'too long or too large',
    invalid: 'not valid',
  },
  fr: {
    required: 'obligatoire',
    too_small: 'trop court ou trop petit',
    too_big: 'trop long ou trop grand',
    invalid: 'non valide',
  },
  de: {
    required: 'erforderlich',
    too_small: 'zu kurz oder zu klein',
    too_big: 'zu lang oder zu groß',
    invalid: 'ungültig',
  },
});

export function translateIssue(locale: Locale, kind: string): string {
  return lookup(issueWords, locale, kind) ?? issueWords[locale].invalid;
}

function amountIn(m: MoneyParam, region: string): string {
  const known = CURRENCIES.find((c) => c === m.currency);
  return formatCurrency(m.amountMinor, m.currency, region, known ? minorDigits(known) : 2);
}

/**
 * `tag`: the reader's language tag, which picks the sentence; `region`: how its amounts are
 * written, by default the tag's own (common/locale-format.ts formatRegion). The app's screens
 * pass the region chosen in Settings, which may differ from the language's.
 */
export function translateError(code: string, params: ErrorParams, tag: string, region = formatRegion(tag)): string {
  const locale: Locale = resolveLocale(tag);
  const template = lookup(errorMessages, locale, code) ?? errorMessages[locale].internal;
  const values: Record<string, unknown> = { ...params };
  for (const [name, value] of Object.entries(params)) if (isMoneyParam(value)) values[name] = amountIn(value, region);
  const word = <K extends string>(catalog: Catalog<K>, key: string) => lookup(catalog, locale, key) ?? key;
  if (typeof params.reason === 'string') values.reason = word(vatReasons, params.reason);
  if (typeof params.status === 'string') values.status = word(statusWords, params.status);
  if (params.number === '') values.number = translate(draftWord, locale, 'draft');
  if (code === 'not_allowed') values.what = whatIsNotAllowed(locale, params);
  if (code === 'not_visible' && typeof params.entity === 'string')
    values.entity = word(entityWords, params.entity);
  if (code === 'einvoice_not_ready' && Array.isArray(params.problems)) {
    values.problems = (params.problems as EinvoiceProblem[])
      .map((p) => translateProblem(p, locale))
      .join('; ');
  }
  if (code === 'einvoice_rules_failed' && Array.isArray(params.breaches))
    values.rules = translateBreaches(params.breaches as RuleBreach[], locale);
  if (Array.isArray(params.issues)) {
    values.details = (params.issues as FieldIssue[])
      .map((i) => (i.path ? `${i.path} (${i.message})` : i.message))
      .join('; ');
  }
  return fill(template, values);
}
