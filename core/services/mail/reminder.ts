// "Send" on a payment reminder (issue 12's dunning): the reminder template of the invoice's
// language, its PDF (with the QR-bill for what is due plus the fees) attached. Queued like any
// message; the activity line names the invoice, since the reminder is about it.
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { ReminderPdf } from '#common/reminders.schema';
import { invoices, reminders } from '#db/schema/index';
import { fail } from '#common/errors';
import type { Ctx } from '../context';
import { reminderDocument, reminderFileName } from '../reminder-pdf.service';
import type { MailDraft } from './compose';
import { defaultRecipient } from './compose';
import { fillTemplate } from '#common/i18n/mail';
import { reminderTitleFor } from '#common/i18n/reminder-words';
import { documentFormatter } from '../../export/pdf/format';
import { mailTemplate } from './settings';

/**
 * `options`: the language asked for (else the invoice's) and who acts — the same input as the
 * reminder's PDF and message, so what is sent is what `reminders.pdf` shows.
 */
export async function composeReminderMail(
  ctx: Ctx,
  reminderId: string,
  options: Omit<z.input<typeof ReminderPdf>, 'reminderId'> = {},
): Promise<MailDraft> {
  const doc = reminderDocument(ctx, { ...options, reminderId });
  const { document: d, reminder: r } = doc;
  const f = documentFormatter(d.locale, d.currency);
  const template = mailTemplate(ctx, 'reminder', d.locale);
  const values = {
    number: r.invoiceNumber,
    customer: d.billTo.name,
    // What the reminder asks: still due plus the fees.
    amount: f.money(r.totalMinor),
    dueDate: f.date(r.invoiceDueOn),
    issuedDate: r.invoiceIssuedOn ? f.date(r.invoiceIssuedOn) : '',
    firm: d.issuer.name,
  };
  const { reminderPdfBuffer } = await import('../../export/pdf/reminder-pdf');
  const row =
    ctx.db
      .select({ invoiceId: invoices.id, organizationId: invoices.organizationId })
      .from(reminders)
      .innerJoin(invoices, eq(invoices.id, reminders.invoiceId))
      .where(eq(reminders.id, reminderId))
      .get() ?? fail('reminder_not_found', { id: reminderId });
  const to = defaultRecipient(ctx, row.organizationId, d.billTo.email);
  return {
    kind: 'reminder',
    documentId: row.invoiceId,
    documentLabel: `${r.invoiceNumber} · ${reminderTitleFor(d.locale, r.level, r.final)}`,
    organizationId: row.organizationId,
    locale: d.locale,
    to: to ? [to] : [],
    cc: [],
    subject: fillTemplate(template.subject, values),
    body: fillTemplate(template.body, values),
    attachments: [
      { fileName: reminderFileName(doc), mime: 'application/pdf', content: await reminderPdfBuffer(doc) },
    ],
  };
}
