import {
  ListReminders,
  ReminderLevelsOf,
  ReminderPdf,
  ReminderRun,
  SendReminder,
  SetReminderLevels,
} from '#common/reminders.schema';
import { reminderLevelsOf, setReminderLevels } from '../services/billing/reminder-levels';
import { listReminders } from '../services/billing/reminder-list';
import { planReminders, runReminders } from '../services/billing/reminders';
import { sendReminderMail } from '../services/reminder-mail.service';
import { reminderMessage, reminderPdf } from '../services/reminder-pdf.service';
import { mutation, query, stream } from './method';

export const remindersApi = {
  'reminders.preview': query(
    ReminderRun,
    'What a reminder run for a date would produce: each unpaid invoice due for its next level, with what it still owes and the fees, totals per level, and invoices held back',
    (ctx, i) => planReminders(ctx, i),
  ),
  'reminders.run': mutation(
    ReminderRun,
    'Run the reminders for a date: each invoice due for its next level gets it, once per invoice and level',
    (ctx, i) => runReminders(ctx, i),
  ),
  'reminders.list': query(
    ListReminders,
    'The reminders produced, by payer, level and date, with what each invoice still owes now and totals per level',
    (ctx, i) => listReminders(ctx, i),
  ),
  'reminders.pdf': stream(
    ReminderPdf,
    'One reminder as a PDF file (with the Swiss QR-bill for what is due plus the fees)',
    async (ctx, i) => {
      const pdf = await reminderPdf(ctx, i);
      return {
        fileName: pdf.fileName,
        mime: 'application/pdf',
        write: async (out) => {
          out.end(pdf.bytes);
        },
      };
    },
  ),
  'reminders.message': query(
    ReminderPdf,
    "What a message sending a reminder fills in: recipient, subject and placeholders in the document's language",
    (ctx, i) => reminderMessage(ctx, i),
  ),
  'reminders.send': mutation(
    SendReminder,
    "E-mail a reminder with its PDF (the reminder template in the document's language): queued, and sent at once when the server answers",
    (ctx, i) => sendReminderMail(ctx, i),
  ),
  'reminders.levels': query(
    ReminderLevelsOf,
    "An organization's reminder levels (days after due, fee) and where they come from",
    (ctx, i) => reminderLevelsOf(ctx, i.organizationId),
  ),
  'reminders.setLevels': mutation(
    SetReminderLevels,
    "Set an organization's reminder levels (null: its issuer's, else the defaults)",
    setReminderLevels,
  ),
};
