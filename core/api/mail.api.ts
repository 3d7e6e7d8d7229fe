import {
  CheckMailServer,
  ListOutbox,
  MailTemplateKey,
  OutboxMessageRef,
  PreviewMail,
  SaveMailSettings,
  SaveMailTemplate,
  SendDocumentMail,
  SendUnsent,
} from '#common/mail.schema';
import { Empty } from '#common/system.schema';
import { checkMailServer } from '../services/mail/check';
import { deliverDue, deliverNow, listOutbox } from '../services/mail/outbox';
import { previewDocumentMail, sendDocumentMail, sendUnsent } from '../services/mail/send';
import {
  getMailSettings,
  listMailTemplates,
  resetMailTemplate,
  saveMailSettings,
  saveMailTemplate,
} from '../services/mail/settings';
import { mutation, query } from './method';

export const mailApi = {
  'mail.settings': query(
    Empty,
    'The outgoing mail server (SMTP) and where its password is kept',
    getMailSettings,
  ),
  'mail.saveSettings': mutation(
    SaveMailSettings,
    'Set the outgoing mail server; the password goes to the OS keychain (desktop), never into the database',
    saveMailSettings,
  ),
  'mail.checkServer': mutation(
    CheckMailServer,
    'Connect to a mail server with these settings and this machine’s password, secure and log in, and send nothing: whether they work, and why not',
    checkMailServer,
  ),
  'mail.templates': query(
    Empty,
    'The message templates per document kind and language, and their placeholders',
    (ctx) => listMailTemplates(ctx),
  ),
  'mail.saveTemplate': mutation(
    SaveMailTemplate,
    'Change the message template of a document kind in a language',
    saveMailTemplate,
  ),
  'mail.resetTemplate': mutation(
    MailTemplateKey,
    'Bring a message template back to Kontor’s own',
    resetMailTemplate,
  ),
  'mail.preview': query(
    PreviewMail,
    'The message Send proposes for an invoice or credit note: recipient, subject, text, attached files',
    previewDocumentMail,
  ),
  'mail.send': mutation(
    SendDocumentMail,
    'E-mail an issued invoice or credit note with its PDF (and e-invoice): queued, and sent at once when the server answers',
    sendDocumentMail,
  ),
  'mail.sendUnsent': mutation(
    SendUnsent,
    'E-mail every issued invoice and credit note of the period not yet sent from this device (a billing run’s invoices)',
    sendUnsent,
  ),
  'mail.outbox': query(
    ListOutbox,
    'Messages queued, sent and refused on this device, newest first',
    listOutbox,
  ),
  'mail.retry': mutation(OutboxMessageRef, 'Try a waiting or refused message again now', (ctx, i) =>
    deliverNow(ctx, i.id),
  ),
  'mail.deliver': mutation(Empty, 'Deliver every message that is due now (one round of the outbox)', (ctx) =>
    deliverDue(ctx),
  ),
};
