// One payment reminder as a document (issue 12, dunning): its PDF with the Swiss QR-bill, and
// the placeholders a message sending it fills (subject, amounts, dates in the document's
// language). Printed from the reminder as recorded — what was asked that day — in the
// invoice's language unless another is asked for; the parties are the invoice's snapshots.
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { fail } from '#common/errors';
import { reminderTitleFor, reminderWords } from '#common/i18n/reminder-words';
import { translate } from '#common/i18n/translate';
import type { ReminderPdf } from '#common/reminders.schema';
import { type Reminder, reminders } from '#db/schema/index';
import type { ReminderDocument } from '../export/pdf/reminder-pdf';
import { documentFormatter } from '../export/pdf/format';
import type { Ctx } from './context';
import { getInvoice } from './invoices/detail';
import { invoiceDocument } from './invoice-pdf.service';
import { assertVisible } from './visibility';

function reminderRow(ctx: Ctx, id: string): Reminder {
  const row = ctx.db.select().from(reminders).where(eq(reminders.id, id)).get();
  if (!row || row.deletedAt) fail('reminder_not_found', { id });
  return row;
}

export function reminderDocument(ctx: Ctx, input: z.input<typeof ReminderPdf>): ReminderDocument {
  const row = reminderRow(ctx, input.reminderId);
  assertVisible(ctx, input.actingOrganizationId, 'invoice', row.invoiceId);
  const invoice = getInvoice(ctx, row.invoiceId);
  const base = invoiceDocument(ctx, { id: invoice.id });
  const locale = input.locale ?? base.locale;
  const earlier = ctx.db
    .select({ level: reminders.level, feeMinor: reminders.feeMinor })
    .from(reminders)
    .where(eq(reminders.invoiceId, row.invoiceId))
    .all()
    .filter((r) => r.level < row.level)
    .sort((a, b) => a.level - b.level);
  const fees = [...earlier, { level: row.level, feeMinor: row.feeMinor }];
  const totalMinor = row.dueMinor + row.feesMinor;
  const number = invoice.number ?? '';
  return {
    document: {
      ...base,
      locale,
      // The QR-bill asks what the reminder asks, under the invoice's own reference.
      totals: { ...base.totals, dueMinor: totalMinor },
      dueOn: row.payBy,
      qrMessage: translate(reminderWords, locale, 'qrMessage', { level: row.level, number }),
    },
    reminder: {
      level: row.level,
      final: row.final,
      remindedOn: row.remindedOn,
      payBy: row.payBy,
      invoiceNumber: number,
      invoiceIssuedOn: invoice.issuedOn,
      invoiceDueOn: invoice.dueOn ?? invoice.issuedOn,
      daysOverdue: Math.round(
        (Date.parse(`${row.remindedOn}T00:00:00Z`) -
          Date.parse(`${invoice.dueOn ?? invoice.issuedOn}T00:00:00Z`)) /
          86_400_000,
      ),
      invoiceGrossMinor: invoice.grossMinor,
      paidOrCreditedMinor: Math.max(0, invoice.grossMinor - row.dueMinor),
      dueMinor: row.dueMinor,
      fees,
      totalMinor,
    },
  };
}

export function reminderFileName(doc: ReminderDocument): string {
  const r = doc.reminder;
  return `reminder-${r.level}-${r.invoiceNumber.replace(/[^A-Za-z0-9._-]/g, '_') || 'invoice'}.pdf`;
}

/** The reminder's PDF (the renderer loads with the first PDF: see invoice-pdf.service). */
export async function reminderPdf(
  ctx: Ctx,
  input: z.input<typeof ReminderPdf>,
): Promise<{ fileName: string; bytes: Buffer }> {
  const doc = reminderDocument(ctx, input);
  const { reminderPdfBuffer } = await import('../export/pdf/reminder-pdf');
  return { fileName: reminderFileName(doc), bytes: await reminderPdfBuffer(doc) };
}

/** What a message sending this reminder fills in, in the document's language. */
export interface ReminderMessage {
  locale: ReminderDocument['document']['locale'];
  /** The payer's billing e-mail as on the invoice, if any. */
  to: string | null;
  subject: string;
  fileName: string;
  placeholders: {
    payerName: string;
    issuerName: string;
    invoiceNumber: string;
    level: string;
    reminderTitle: string;
    remindedOn: string;
    payBy: string;
    dueAmount: string;
    feesAmount: string;
    totalAmount: string;
  };
}

export function reminderMessage(ctx: Ctx, input: z.input<typeof ReminderPdf>): ReminderMessage {
  const doc = reminderDocument(ctx, input);
  const { document: d, reminder: r } = doc;
  const fmt = documentFormatter(d.locale, d.currency);
  const title = reminderTitleFor(d.locale, r.level, r.final);
  return {
    locale: d.locale,
    to: d.billTo.email ?? null,
    subject: translate(reminderWords, d.locale, r.final ? 'subject.final' : 'subject', {
      number: r.invoiceNumber,
    }),
    fileName: reminderFileName(doc),
    placeholders: {
      payerName: d.billTo.name,
      issuerName: d.issuer.name,
      invoiceNumber: r.invoiceNumber,
      level: String(r.level),
      reminderTitle: title,
      remindedOn: fmt.date(r.remindedOn),
      payBy: fmt.date(r.payBy),
      dueAmount: fmt.money(r.dueMinor),
      feesAmount: fmt.money(r.totalMinor - r.dueMinor),
      totalAmount: fmt.money(r.totalMinor),
    },
  };
}
