// "Send statement of account": what an organization still owes, as of today, as a PDF (every
// unpaid or partly paid invoice, its amount and what is open, the total per currency) in its
// document language, sent with the statement template. The message belongs to the
// organization (no document id): the activity line is on the organization.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { billingAddresses, invoices, organizations } from '#db/schema/index';
import type { Currency } from '#common/enums';
import { fail } from '#common/errors';
import { documentLocaleFor } from '#common/document-locale';
import { todayIso } from '#common/dates';
import { fillTemplate } from '#common/i18n/mail';
import { statementWords } from '#common/i18n/statement-words';
import { documentFormatter } from '../../export/pdf/format';
import type { StatementDocument } from '../../export/pdf/statement-pdf';
import type { Ctx } from '../context';
import { getSettings } from '../settings.service';
import { defaultRecipient, type MailDraft } from './compose';
import { mailTemplate } from './settings';

function defaultAddress(ctx: Ctx, organizationId: string) {
  return ctx.db
    .select()
    .from(billingAddresses)
    .where(
      and(
        eq(billingAddresses.organizationId, organizationId),
        eq(billingAddresses.isDefault, true),
        isNull(billingAddresses.deletedAt),
      ),
    )
    .get();
}

const addressLines = (a: ReturnType<typeof defaultAddress>) =>
  a ? [a.line1, ...(a.line2 ? [a.line2] : []), `${a.postalCode} ${a.city}`.trim()] : [];

export function statementDocument(ctx: Ctx, organizationId: string): StatementDocument {
  const org = ctx.db.select().from(organizations).where(eq(organizations.id, organizationId)).get();
  if (!org || org.deletedAt) fail('organization_not_found');
  const providerId = getSettings(ctx).providerOrganizationId ?? fail('issuer_missing');
  const issuer = ctx.db.select().from(organizations).where(eq(organizations.id, providerId)).get();
  if (!issuer) fail('issuer_missing');
  const address = defaultAddress(ctx, organizationId);
  const rows = ctx.db
    .select()
    .from(invoices)
    .where(
      and(
        eq(invoices.organizationId, organizationId),
        eq(invoices.kind, 'invoice'),
        inArray(invoices.status, ['unpaid', 'partially_paid']),
        isNull(invoices.deletedAt),
      ),
    )
    .orderBy(asc(invoices.dueOn), asc(invoices.number))
    .all()
    .map((i) => ({
      number: i.number ?? '',
      issuedOn: i.issuedOn ?? '',
      dueOn: i.dueOn,
      currency: i.currency,
      grossMinor: i.grossMinor,
      openMinor: Math.max(0, i.grossMinor - i.paidMinor),
    }));
  const totals = new Map<Currency, number>();
  for (const r of rows) totals.set(r.currency, (totals.get(r.currency) ?? 0) + r.openMinor);
  return {
    locale: documentLocaleFor(org, address?.postalCode, issuer.documentLocale),
    asOf: todayIso(ctx.clock.now()),
    issuer: { name: issuer.name, lines: addressLines(defaultAddress(ctx, issuer.id)) },
    customer: { name: org.name, lines: addressLines(address) },
    rows,
    totals: [...totals].map(([currency, openMinor]) => ({ currency, openMinor })),
  };
}

export async function composeStatementMail(ctx: Ctx, organizationId: string): Promise<MailDraft> {
  const doc = statementDocument(ctx, organizationId);
  const words = statementWords[doc.locale];
  const f = documentFormatter(doc.locale, doc.totals[0]?.currency ?? 'CHF');
  const amount =
    doc.totals.map((t) => documentFormatter(doc.locale, t.currency).money(t.openMinor)).join(' + ') ||
    f.money(0);
  const template = mailTemplate(ctx, 'statement', doc.locale);
  const label = `${words.title} ${f.date(doc.asOf)}`;
  const values = {
    number: label,
    customer: doc.customer.name,
    amount,
    dueDate: '',
    issuedDate: f.date(doc.asOf),
    firm: doc.issuer.name,
  };
  const { statementPdfBuffer } = await import('../../export/pdf/statement-pdf');
  const to = defaultRecipient(ctx, organizationId, defaultAddress(ctx, organizationId)?.email);
  return {
    kind: 'statement',
    documentId: null,
    documentLabel: label,
    organizationId,
    locale: doc.locale,
    to: to ? [to] : [],
    cc: [],
    subject: fillTemplate(template.subject, values),
    body: fillTemplate(template.body, values),
    attachments: [
      {
        // An ASCII name every mail client keeps: "Kontouebersicht-2026-12-07.pdf".
        fileName: `${words.title}-${doc.asOf}.pdf`
          .replace(/ä/g, 'ae')
          .replace(/ö/g, 'oe')
          .replace(/ü/g, 'ue')
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')
          .replace(/[^A-Za-z0-9._-]/g, '_'),
        mime: 'application/pdf',
        content: await statementPdfBuffer(doc),
      },
    ],
  };
}
