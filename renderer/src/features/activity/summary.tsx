import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import {
  BILLING_FREQUENCIES,
  type Currency,
  ORGANIZATION_KINDS,
  PRODUCT_KINDS,
  PRODUCT_STATUSES,
  ROLES,
} from '#common/enums';
import type { ActivityRow } from '../../api/types';
import type { Formatters } from '../../i18n/format';
import { IconArrowRight } from '../../ui/icons';

// Bookkeeping and foreign keys say nothing to a person reading the history.
const HIDDEN = new Set([
  'id',
  'createdAt',
  'updatedAt',
  'nameKey',
  'organizationId',
  'productId',
  'tagId',
  'personId',
  'teamId',
  'currency',
]);

const FIELD_KEYS = [
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
] as const;
type FieldKey = (typeof FIELD_KEYS)[number];
const isField = (key: string): key is FieldKey => (FIELD_KEYS as readonly string[]).includes(key);

export interface SummaryContext {
  t: TFunction;
  fmt: Formatters;
  currency: Currency;
  tagName: (id: string) => string | undefined;
  personName: (id: string) => string | undefined;
}

function enumLabel(ctx: SummaryContext, key: string, value: string): string | null {
  const { t } = ctx;
  if (key === 'status' && (PRODUCT_STATUSES as readonly string[]).includes(value))
    return t(`statuses.${value as (typeof PRODUCT_STATUSES)[number]}`);
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

function formatValue(ctx: SummaryContext, key: string, value: unknown): ReactNode {
  const { t, fmt } = ctx;
  if (value === null || value === undefined || value === '') return <span className="muted">—</span>;
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (key === 'publicPriceMinor' && typeof value === 'number') return fmt.money(value, ctx.currency);
  if (key === 'nextRenewalOn' && typeof value === 'string') return fmt.date(value);
  if (key === 'country' && typeof value === 'string') return fmt.country(value);
  if (key === 'leaderPersonId' && typeof value === 'string') return ctx.personName(value) ?? '…';
  if (key === 'logo') return t('activity.logoImage');
  if (key === 'color' && typeof value === 'string') {
    return (
      <span className="inline-swatch">
        <span style={{ background: value }} aria-hidden="true" />
        {value}
      </span>
    );
  }
  if (typeof value === 'string') return enumLabel(ctx, key, value) ?? value;
  if (typeof value === 'number') return fmt.number(value);
  return JSON.stringify(value);
}

function fieldLabel(ctx: SummaryContext, key: string): string {
  return isField(key) ? ctx.t(`activity.fields.${key}`) : key;
}

/** Team pairs are keyed `teamId:personId`. */
function teamPerson(row: ActivityRow, ctx: SummaryContext): string {
  return ctx.personName(row.entityId.split(':')[1] ?? '') ?? '…';
}

/** A one-line reading of a change: what was created, or each changed field as before → after. */
export function summarize(row: ActivityRow, ctx: SummaryContext): ReactNode {
  const { t } = ctx;
  const before = row.before ?? null;
  const after = row.after ?? {};
  const pairTag = row.entity === 'product_tags' ? (row.entityId.split(':')[1] ?? '') : '';

  if ('deletedAt' in after && after.deletedAt) {
    if (row.entity === 'product_tags') return t('activity.tagRemoved', { name: ctx.tagName(pairTag) ?? '…' });
    if (row.entity === 'work_team_products') return t('activity.teamProductRemoved');
    if (row.entity === 'work_team_members')
      return t('activity.teamMemberRemoved', { name: teamPerson(row, ctx) });
    return <span className="muted">{t('activity.removedRow')}</span>;
  }
  if (before === null) {
    if (row.entity === 'product_tags') return t('activity.tagAdded', { name: ctx.tagName(pairTag) ?? '…' });
    if (row.entity === 'work_team_products') return t('activity.teamProductAdded');
    if (row.entity === 'memberships' || row.entity === 'work_team_members') {
      const person = typeof after.personId === 'string' ? ctx.personName(after.personId) : undefined;
      const role = typeof after.role === 'string' ? enumLabel(ctx, 'role', after.role) : null;
      return [person, role].filter(Boolean).join(' · ') || '—';
    }
    const title = after.name ?? after.label ?? after.email;
    const details = ['kind', 'status', 'publicPriceMinor', 'billingFrequency', 'country', 'city']
      .filter((k) => k in after && after[k] !== null)
      .slice(0, 3);
    return (
      <span className="summary">
        {typeof title === 'string' && <strong>{title}</strong>}
        {details.map((k) => (
          <span key={k} className="summary-detail">
            {formatValue(ctx, k, after[k])}
          </span>
        ))}
      </span>
    );
  }
  const keys = Object.keys(after).filter((k) => !HIDDEN.has(k));
  if (keys.length === 0) return <span className="muted">—</span>;
  return (
    <span className="summary">
      {keys.map((k) => (
        <span key={k} className="summary-change">
          <span className="summary-field">{fieldLabel(ctx, k)}</span>
          {k === 'deletedAt' ? (
            <span>{t('activity.restored')}</span>
          ) : (
            <>
              <span className="summary-before">{formatValue(ctx, k, before[k])}</span>
              <IconArrowRight size={11} className="summary-arrow" />
              <span className="summary-after">{formatValue(ctx, k, after[k])}</span>
            </>
          )}
        </span>
      ))}
    </span>
  );
}

const ACTIONS = [
  'organization.created',
  'organization.updated',
  'organization.deleted',
  'person.created',
  'person.updated',
  'membership.added',
  'membership.role_changed',
  'membership.removed',
  'billing_address.created',
  'billing_address.updated',
  'billing_address.default_changed',
  'billing_address.deleted',
  'product.created',
  'product.updated',
  'product.deleted',
  'tag.created',
  'tag.renamed',
  'tag.recolored',
  'tag.deleted',
  'tag.assigned',
  'tag.unassigned',
  'team.created',
  'team.updated',
  'team.members_changed',
  'team.products_changed',
  'team.deleted',
  'invoice.created',
  'invoice.updated',
  'invoice.deleted',
  'invoice.issued',
  'invoice.converted',
  'credit_note.created',
  'credit_note.applied',
  'payment.recorded',
  'prepaid.topped_up',
  'prepaid.withdrawn',
  'prepaid.invoices_paid',
  'import.invoices',
  'partnership.invited',
  'partnership.resent',
  'partnership.withdrawn',
  'partnership.accepted',
  'partnership.refused',
  'partnership.ended',
  'partnership.payment_changed',
  'partnership.access_changed',
  'partnership.products_allocated',
  'partnership.products_deallocated',
  'partner.cashback_credited',
  'partner.notices_seen',
  'price_book.price_set',
  'price_book.discount_set',
  'price_book.tiers_set',
  'sync.resolved',
] as const;
type KnownAction = (typeof ACTIONS)[number];

/** The action's name in the interface language; an action this version does not know shows as recorded. */
export function actionLabel(t: TFunction, action: string): string {
  return (ACTIONS as readonly string[]).includes(action)
    ? t(`activity.actions.${action as KnownAction}`)
    : action;
}

const ENTITIES = [
  'organizations',
  'people',
  'memberships',
  'billing_addresses',
  'products',
  'tags',
  'product_tags',
  'work_teams',
  'work_team_members',
  'work_team_products',
] as const;
type KnownEntity = (typeof ENTITIES)[number];

export function entityLabel(t: TFunction, entity: string): string {
  // Received e-invoices (device-local, core/services/received.service.ts) have their own strings.
  if (entity === 'received_document') return t('einvoice.received.activityEntity');
  return (ENTITIES as readonly string[]).includes(entity)
    ? t(`activity.entities.${entity as KnownEntity}`)
    : entity;
}
