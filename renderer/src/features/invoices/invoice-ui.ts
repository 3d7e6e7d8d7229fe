import type { TFunction } from 'i18next';
import type {
  Currency,
  DocumentLocale,
  InvoiceKind,
  InvoiceStatus,
  PaymentMethod,
} from '#common/enums';
import { formatAmount as formatAmountOnly, formatRateBp, formatScaledNumber } from '#common/locale-format';
import { minorDigits } from '#common/money';
import type { MethodInput, MethodOutput } from '../../api/client';
import type { BadgeTone } from '../../ui/Badge';

// Shapes the invoicing screens work with, derived from the contract.
export type InvoiceRow = MethodOutput<'invoices.list'>['rows'][number];
export type InvoiceDetail = MethodOutput<'invoices.get'>;

/** A dialog that acts on one invoice (credit note, payment, payment from prepaid). */
export interface InvoiceDialogProps {
  invoice: InvoiceDetail;
  open: boolean;
  onClose: () => void;
}
export type InvoiceLine = InvoiceDetail['lines'][number];
export type InvoicePayment = MethodOutput<'invoices.payments'>[number];
export type InvoiceTotalsRow = MethodOutput<'invoices.totals'>[number];
export type InvoiceFilterInput = NonNullable<MethodInput<'exports.invoices'>['filters']>;
export type CsvProfile = NonNullable<MethodInput<'exports.invoices'>['profile']>;
export type Job = NonNullable<MethodOutput<'jobs.get'>>;

export const CSV_PROFILES: readonly CsvProfile[] = [
  'spreadsheet',
  'excel-fr',
  'excel-ch',
  'excel-de',
  'excel-it',
];
export const RECEIVED_METHODS = [
  'bank_transfer',
  'card',
  'paypal',
  'standing_order',
] as const satisfies readonly PaymentMethod[];

export const INVOICE_STATUS_TONES: Record<InvoiceStatus, BadgeTone> = {
  draft: 'neutral',
  unpaid: 'blue',
  partially_paid: 'amber',
  paid: 'green',
  refunded: 'violet',
  cancelled: 'neutral',
};

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The document language for exports and imports: the interface language when Kontor has it. */
export function documentLocale(language: string): DocumentLocale {
  const base = language.toLowerCase().split('-')[0];
  return base === 'fr' || base === 'de' ? base : 'en';
}

/**
 * A decimal typed by a person ("1.5", "1,5", "1'000.25") as an integer with `digits`
 * decimals (quantity in thousandths, a percentage in basis points). Null when it is not a
 * number or has more decimals than allowed. Integers only: never a float on the way in.
 */
export function parseScaled(text: string, digits: number): number | null {
  let s = text.trim().replace(/[\s\u00a0\u202f'’]/g, '');
  if (!s) return null;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  const decimalSep = lastComma > lastDot ? ',' : lastDot >= 0 ? '.' : null;
  if (decimalSep) {
    const other = decimalSep === ',' ? '.' : ',';
    const at = s.lastIndexOf(decimalSep);
    const intPart = s.slice(0, at);
    if (intPart.includes(decimalSep)) return null;
    if (intPart.includes(other) && !/^\d{1,3}([.,]\d{3})+$/.test(intPart)) return null;
    s = `${intPart.split(other).join('')}.${s.slice(at + 1)}`;
  }
  const match = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  const value = Number(match[1] || '0') * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(value) ? value : null;
}

/** The plain text an input shows for a scaled integer (1500, 3 → "1.5"). */
export function scaledToText(value: number, digits: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value)
    .toString()
    .padStart(digits + 1, '0');
  const int = abs.slice(0, abs.length - digits);
  const fraction = abs.slice(abs.length - digits).replace(/0+$/, '');
  return `${sign}${int}${fraction ? `.${fraction}` : ''}`;
}

/** A quantity or a rate for reading: 1500 thousandths → "1.5", 810 bp → "8.1 %" (in the locale). */
export function formatScaled(value: number, digits: number, locale: string): string {
  return formatScaledNumber(value, digits, locale);
}

export function formatRate(rateBp: number, locale: string): string {
  return formatRateBp(rateBp, locale);
}

/** An amount without its currency (the currency has its own column), with the marks of the money beside it. */
export function formatAmount(amountMinor: number, currency: Currency, locale: string): string {
  return formatAmountOnly(amountMinor, currency, locale, minorDigits(currency));
}

/**
 * The status as read on screen. A credit note is born settled ("paid" in the store) and an
 * issued pro forma is "unpaid" though nothing is ever paid on it: both read "issued".
 * Overdue is derived and shown with the status.
 */
export function statusText(
  t: TFunction,
  row: { kind: InvoiceKind; status: InvoiceStatus; overdue: boolean },
): string {
  const status =
    (row.kind === 'credit_note' && row.status === 'paid') ||
    (row.kind === 'pro_forma' && row.status === 'unpaid')
      ? t('invoices.statusIssued')
      : t(`invoiceStatuses.${row.status}`);
  return row.overdue ? t('invoices.statusOverdue', { status }) : status;
}
