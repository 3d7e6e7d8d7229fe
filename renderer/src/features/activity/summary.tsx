import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import type { ActivityRow } from '../../api/types';
import { IconArrowRight } from '../../ui/icons';
import { type FieldContext, fieldLabel, formatValue, inWords, isHidden } from './fields';

export interface SummaryContext extends FieldContext {
  tagName: (id: string) => string | undefined;
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

  // A message the mail server accepted (core/services/mail/outbox.ts): the document, to whom, what.
  if (row.action === 'mail.sent')
    return t('activity.mailSent', {
      number: String(after.number ?? ''),
      to: String(after.to ?? ''),
      subject: String(after.subject ?? ''),
    });
  const product = row.part ?? '…';
  if ('deletedAt' in after && after.deletedAt) {
    if (row.entity === 'product_tags') return t('activity.tagRemoved', { name: ctx.tagName(pairTag) ?? '…' });
    if (row.entity === 'work_team_products') return t('activity.teamProductRemoved', { name: product });
    if (row.entity === 'work_team_members')
      return t('activity.teamMemberRemoved', { name: teamPerson(row, ctx) });
    return <span className="muted">{t('activity.removedRow')}</span>;
  }
  // A removed pair or member brought back (Undo from the toast, or added again) reads as it
  // came back, not as its tombstone field changing ("Deleted: restored", the review found).
  if (before?.deletedAt && 'deletedAt' in after && after.deletedAt === null) {
    if (row.entity === 'product_tags') return t('activity.tagAdded', { name: ctx.tagName(pairTag) ?? '…' });
    if (row.entity === 'work_team_products') return t('activity.teamProductAdded', { name: product });
    if (row.entity === 'work_team_members') return t('activity.addedBack', { name: teamPerson(row, ctx) });
    if (row.entity === 'memberships') return t('activity.addedBack', { name: row.subject ?? '…' });
  }
  if (before === null) {
    if (row.entity === 'product_tags') return t('activity.tagAdded', { name: ctx.tagName(pairTag) ?? '…' });
    if (row.entity === 'work_team_products') return t('activity.teamProductAdded', { name: product });
    if (row.entity === 'memberships' || row.entity === 'work_team_members') {
      const person = typeof after.personId === 'string' ? ctx.personName(after.personId) : undefined;
      const role = typeof after.role === 'string' ? formatValue(ctx, 'role', after.role) : null;
      return [person, role].filter(Boolean).join(' · ') || '—';
    }
    const title = after.name ?? after.label ?? after.number ?? after.email;
    const details = [
      'kind',
      'status',
      'publicPriceMinor',
      'grossMinor',
      'amountMinor',
      'billingFrequency',
      'country',
      'city',
    ]
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
  const keys = Object.keys(after).filter((k) => !isHidden(k, after[k]));
  if (keys.length === 0) return <span className="muted">—</span>;
  return (
    <span className="summary">
      {keys.map((k) => (
        <span key={k} className="summary-change">
          <span className="summary-field">{fieldLabel(t, k)}</span>
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
  'demo.invoices_generated',
  'organization.billing_settings',
  'organization.reminder_levels',
  'reminders.run',
  'received.import',
  'renewal.billed',
  'renewal.duplicate_dropped',
  'renewal.lifecycle',
  'mail.sent',
] as const;
type KnownAction = (typeof ACTIONS)[number];

/** The action's name in the interface language; one this version does not know, in words. */
export function actionLabel(t: TFunction, action: string): string {
  return (ACTIONS as readonly string[]).includes(action)
    ? t(`activity.actions.${action as KnownAction}`)
    : inWords(action);
}

export { ACTIONS as KNOWN_ACTIONS };

/** The raw record for support, folded away: the reading above it never needs it. */
export function RawDetails({ row, label }: { row: ActivityRow; label: string }) {
  return (
    <details className="activity-details">
      <summary>{label}</summary>
      <pre>
        {JSON.stringify(
          { entity: row.entity, id: row.entityId, before: row.before, after: row.after },
          null,
          2,
        )}
      </pre>
    </details>
  );
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
  'invoices',
  'payments',
  'ledger_entries',
  'partnerships',
] as const;
type KnownEntity = (typeof ENTITIES)[number];

export function entityLabel(t: TFunction, entity: string): string {
  // Received e-invoices (device-local, core/services/received.service.ts) have their own strings.
  if (entity === 'received_document') return t('einvoice.received.activityEntity');
  return (ENTITIES as readonly string[]).includes(entity)
    ? t(`activity.entities.${entity as KnownEntity}`)
    : inWords(entity.replace(/s$/, ''));
}
