import type { ErrorCode, ErrorParams } from '#common/errors';
import { errorsDe, vatReasonsDe } from './errors.de';
import { errorsEn, vatReasonsEn } from './errors.en';
import { errorsFr, vatReasonsFr } from './errors.fr';
import { type EinvoiceProblem, translateProblem } from './einvoice-problems';
import { interpolate, type Locale } from './locale';

const catalogs: Record<Locale, Record<ErrorCode, string>> = { en: errorsEn, fr: errorsFr, de: errorsDe };
const vatReasons: Record<Locale, Record<string, string>> = {
  en: vatReasonsEn,
  fr: vatReasonsFr,
  de: vatReasonsDe,
};

const statusWords: Record<Locale, Record<string, string>> = {
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
};
// not_visible names what was asked for; French and German put it first, with its gender.
const entityWords: Record<Locale, Record<string, string>> = {
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
    ledger: 'Dieses Prepaid-Konto',
  },
};
const draftWord: Record<Locale, string> = { en: '(draft)', fr: '(brouillon)', de: '(Entwurf)' };

export interface FieldIssue {
  path: string;
  message: string;
}

const issueWords: Record<Locale, Record<string, string>> = {
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
};

export function translateIssue(locale: Locale, kind: string): string {
  return issueWords[locale][kind] ?? issueWords[locale].invalid ?? kind;
}

export function translateError(code: string, params: ErrorParams, locale: Locale): string {
  const catalog = catalogs[locale];
  const template = (catalog as Record<string, string>)[code] ?? catalog.internal;
  const values: Record<string, unknown> = { ...params };
  if (typeof params.reason === 'string') values.reason = vatReasons[locale][params.reason] ?? params.reason;
  if (typeof params.status === 'string') values.status = statusWords[locale][params.status] ?? params.status;
  if (params.number === '') values.number = draftWord[locale];
  if (code === 'not_visible' && typeof params.entity === 'string')
    values.entity = entityWords[locale][params.entity] ?? params.entity;
  if (code === 'einvoice_not_ready' && Array.isArray(params.problems)) {
    values.problems = (params.problems as EinvoiceProblem[])
      .map((p) => translateProblem(p, locale))
      .join('; ');
  }
  if (Array.isArray(params.issues)) {
    values.details = (params.issues as FieldIssue[])
      .map((i) => (i.path ? `${i.path} (${i.message})` : i.message))
      .join('; ');
  }
  return interpolate(template, values);
}
