// "Send" on a payment reminder: the one composition e-mail uses for every document
// (core/services/mail/reminder.ts: the reminder template in the document's language, the PDF
// with its QR-bill attached), queued in the device's outbox and tried at once.
import type { z } from 'zod';
import type { ReminderPdf } from '#common/reminders.schema';
import type { Ctx } from './context';
import { deliverNow, type OutboxMessage, queueMail } from './mail/outbox';
import { composeReminderMail } from './mail/reminder';

/** The reminder e-mailed with its PDF: queued, and sent at once when the server answers. */
export async function sendReminderMail(
  ctx: Ctx,
  input: z.input<typeof ReminderPdf> & { to?: string[] },
): Promise<OutboxMessage> {
  // The language asked for (reminders.send's `locale`) writes both the message and the PDF.
  const { reminderId, to, ...options } = input;
  const draft = await composeReminderMail(ctx, reminderId, options);
  const queued = await queueMail(ctx, { ...draft, to: to ?? draft.to });
  return deliverNow(ctx, queued.id);
}
