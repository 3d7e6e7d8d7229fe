// "Send" on a payment reminder: the mail helper's reminder template in the document's language,
// its placeholders filled from the reminder as recorded (what it asks: due + fees, pay by), the
// reminder's PDF attached, queued in the device's outbox and tried at once (core/services/mail).
import { and, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { fillTemplate } from '#common/i18n/mail';
import type { ReminderPdf } from '#common/reminders.schema';
import { billingAddresses } from '#db/schema/index';
import { documentFormatter } from '../export/pdf/format';
import type { Ctx } from './context';
import type { MailDraft } from './mail/compose';
import { deliverNow, type OutboxMessage, queueMail } from './mail/outbox';
import { mailTemplate } from './mail/settings';
import { reminderDocument, reminderFileName } from './reminder-pdf.service';

export async function composeReminderMail(ctx: Ctx, input: z.input<typeof ReminderPdf>): Promise<MailDraft> {
  const doc = reminderDocument(ctx, input);
  const { document: d, reminder: r } = doc;
  const f = documentFormatter(d.locale, d.currency);
  const template = mailTemplate(ctx, 'reminder', d.locale);
  const values = {
    number: r.invoiceNumber,
    customer: d.billTo.name,
    amount: f.money(r.totalMinor),
    dueDate: f.date(r.invoiceDueOn),
    issuedDate: f.date(r.invoiceIssuedOn),
    firm: d.issuer.name,
  };
  const row = ctx.raw
    .prepare('SELECT organization_id FROM reminders WHERE id = ?')
    .pluck()
    .get(input.reminderId) as string;
  const fallback = ctx.db
    .select({ email: billingAddresses.email })
    .from(billingAddresses)
    .where(
      and(
        eq(billingAddresses.organizationId, row),
        eq(billingAddresses.isDefault, true),
        isNull(billingAddresses.deletedAt),
      ),
    )
    .get()?.email;
  const to = d.billTo.email ?? fallback ?? null;
  const { reminderPdfBuffer } = await import('../export/pdf/reminder-pdf');
  return {
    kind: 'reminder',
    documentId: input.reminderId,
    documentLabel: r.invoiceNumber,
    organizationId: row,
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

/** The reminder e-mailed with its PDF: queued, and sent at once when the server answers. */
export async function sendReminderMail(
  ctx: Ctx,
  input: z.input<typeof ReminderPdf> & { to?: string[] },
): Promise<OutboxMessage> {
  const draft = await composeReminderMail(ctx, input);
  const queued = await queueMail(ctx, { ...draft, to: input.to ?? draft.to });
  return deliverNow(ctx, queued.id);
}
