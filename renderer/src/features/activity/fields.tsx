// One changed field of the history as a person reads it: its label in their language, money as
// money, days as dates, statuses and codes in words, addresses as addresses, people by name.
// Identifiers, bookkeeping columns and raw structures are never shown as such (the row's
// "details" disclosure keeps the record for support). A field this version has no label for is
// named in words from its code ("respondedByPersonId" → "Responded by"), never by the code.
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import {
  BILLING_FREQUENCIES,
  type Currency,
  INVOICE_KINDS,
  INVOICE_STATUSES,
  ORGANIZATION_KINDS,
  PRODUCT_KINDS,
  PRODUCT_STATUSES,
  ROLES,
} from '#common/enums';
import { printedReference } from '#common/payment-reference';
import type { Formatters } from '../../i18n/format';

export interface FieldContext {
  t: TFunction;
  fmt: Formatters;
  currency: Currency;
  personName: (id: string) => string | undefined;
}

/** Bookkeeping and links between records: nothing a person reads in a history. */
const HIDDEN = new Set([
  'id',
  'createdAt',
  'updatedAt',
  'hlc',
  'deviceId',
  'nameKey',
  'organizationId',
  'productId',
  'tagId',
  'personId',
  'teamId',
  'currency',
  'series',
  'sequence',
  'importRef',
  'referenceType',
]);

/** Fields whose label the catalogs carry (activity.fields.*). */
export const LABELLED_FIELDS = [
  'name',
  'label',
  'kind',
  'status',
  'role',
  'color',
  'country',
  'email',
  'publicPriceMinor',
  'billingFrequency',
  'nextRenewalOn',
  'autoRenew',
  'billingAddressId',
  'isDefault',
  'vatNumber',
  'uid',
  'logo',
  'renewalReminderDays',
  'recipient',
  'line1',
  'line2',
  'postalCode',
  'city',
  'external',
  'leaderPersonId',
  'deletedAt',
  'paidMinor',
  'grossMinor',
  'netMinor',
  'vatMinor',
  'amountMinor',
  'number',
  'issuedOn',
  'dueOn',
  'billTo',
  'issuer',
  'lines',
  'notes',
  'locale',
  'iban',
  'qrIban',
  'paymentTermDays',
  'invoiceFooter',
  'documentLocale',
  'paymentReference',
] as const;
type LabelledField = (typeof LABELLED_FIELDS)[number];
const isLabelled = (key: string): key is LabelledField => (LABELLED_FIELDS as readonly string[]).includes(key);

/** A code in words: "respondedByPersonId" → "Responded by person", "partially_paid" → "partially paid". */
export function inWords(code: string): string {
  const words = code
    .replace(/(Minor|Bp|Id|Ids)$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function fieldLabel(t: TFunction, key: string): string {
  return isLabelled(key) ? t(`activity.fields.${key}`) : inWords(key);
}

/** Whether a field is left out of the reading (an identifier, bookkeeping). */
export function isHidden(key: string, value: unknown): boolean {
  if (HIDDEN.has(key)) return true;
  // A link to another record by id: shown by name where the screen knows it (people).
  if (/Id$/.test(key) && !/PersonId$/.test(key) && key !== 'billingAddressId') return true;
  return typeof value === 'string' && looksLikeId(value) && !/PersonId$/.test(key);
}

/** UUIDs, ULIDs and the like: never printed. */
export function looksLikeId(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) || /^[0-9A-HJKMNP-TV-Z]{26}$/.test(value);
}

function enumLabel(t: TFunction, key: string, value: string): string | null {
  if (key === 'status' && (PRODUCT_STATUSES as readonly string[]).includes(value))
    return t(`statuses.${value as (typeof PRODUCT_STATUSES)[number]}`);
  if (key === 'status' && (INVOICE_STATUSES as readonly string[]).includes(value))
    return t(`invoiceStatuses.${value as (typeof INVOICE_STATUSES)[number]}`);
  if (key === 'kind' && (INVOICE_KINDS as readonly string[]).includes(value))
    return t(`invoiceKinds.${value as (typeof INVOICE_KINDS)[number]}`);
  if (key === 'kind' && (PRODUCT_KINDS as readonly string[]).includes(value))
    return t(`productKinds.${value as (typeof PRODUCT_KINDS)[number]}`);
  if (key === 'kind' && (ORGANIZATION_KINDS as readonly string[]).includes(value))
    return t(`kinds.${value as (typeof ORGANIZATION_KINDS)[number]}`);
  if (key === 'role' && (ROLES as readonly string[]).includes(value))
    return t(`roles.${value as (typeof ROLES)[number]}`);
  if (key === 'billingFrequency' && (BILLING_FREQUENCIES as readonly string[]).includes(value))
    return t(`frequencies.${value as (typeof BILLING_FREQUENCIES)[number]}`);
  return null;
}

/** An address snapshot (an invoice's billTo, its issuer) as one line. */
function addressLine(value: Record<string, unknown>): string | null {
  const text = (k: string) => (typeof value[k] === 'string' ? (value[k] as string).trim() : '');
  if (!text('name') && !text('city')) return null;
  const street = text('street') || [text('streetName'), text('buildingNumber')].filter(Boolean).join(' ');
  const place = [text('postalCode'), text('city')].filter(Boolean).join(' ');
  return [text('name'), street, place].filter(Boolean).join(', ');
}

export function formatValue(ctx: FieldContext, key: string, value: unknown): ReactNode {
  const { t, fmt } = ctx;
  if (value === null || value === undefined || value === '') return <span className="muted">—</span>;
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (/Minor$/.test(key) && typeof value === 'number') return fmt.money(value, ctx.currency);
  if (/Bp$/.test(key) && typeof value === 'number') return `${fmt.number(value / 100)} %`;
  if (/On$/.test(key) && typeof value === 'string') return fmt.date(value);
  if (/At$/.test(key) && typeof value === 'string') return fmt.dateTime(value);
  if (key === 'country' && typeof value === 'string') return fmt.country(value);
  if (/PersonId$/.test(key) && typeof value === 'string') return ctx.personName(value) ?? '…';
  if (key === 'logo') return t('activity.logoImage');
  if (key === 'paymentReference' && typeof value === 'string') return printedReference(value);
  if (key === 'color' && typeof value === 'string') {
    return (
      <span className="inline-swatch">
        <span style={{ background: value }} aria-hidden="true" />
        {value}
      </span>
    );
  }
  if (Array.isArray(value)) return t('activity.items', { count: value.length, formatted: fmt.number(value.length) });
  if (typeof value === 'object') return addressLine(value as Record<string, unknown>) ?? t('activity.changed');
  if (typeof value === 'string') return enumLabel(t, key, value) ?? (/^[a-z]+(_[a-z]+)+$/.test(value) ? inWords(value) : value);
  if (typeof value === 'number') return fmt.number(value);
  return String(value);
}
