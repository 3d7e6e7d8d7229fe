// "Send" on a document, one or all the unsent ones of a period (a billing run's invoices):
// the template's message, changed where the person changed it, queued and tried at once.
import { and, eq, gte, inArray, isNull, lte, ne, notExists } from 'drizzle-orm';
import type { z } from 'zod';
import { invoices, mailOutbox } from '#db/schema/index';
import { type ErrorParams, KontorError } from '#common/errors';
import type { SendDocumentMail, SendUnsent } from '#common/mail.schema';
import type { Ctx } from '../context';
import { composeDocumentMail, type DocumentRef, type MailDraft } from './compose';
import { composeReminderMail } from './reminder';
import { composeStatementMail } from './statement';
import { deliverNow, type OutboxMessage, queueMail } from './outbox';
import { smtpSettings } from './settings';

export interface MailPreview {
  kind: string;
  documentId: string | null;
  documentLabel: string;
  locale: string;
  to: string[];
  subject: string;
  body: string;
  attachments: { fileName: string; mime: string; bytes: number }[];
  /** No SMTP server set up yet: the dialog says where to set it instead of failing on Send. */
  configured: boolean;
}

/** The message for the document the input names: an invoice or credit note, or a reminder. */
function compose(ctx: Ctx, ref: MailRef, einvoice = true): Promise<MailDraft> {
  if (ref.reminderId) return composeReminderMail(ctx, ref.reminderId);
  if (ref.statementFor) return composeStatementMail(ctx, ref.statementFor);
  return composeDocumentMail(ctx, ref, einvoice);
}

type MailRef = DocumentRef & { reminderId?: string; statementFor?: string };

export async function previewDocumentMail(ctx: Ctx, ref: MailRef): Promise<MailPreview> {
  const draft = await compose(ctx, ref);
  return {
    kind: draft.kind,
    documentId: draft.documentId,
    documentLabel: draft.documentLabel,
    locale: draft.locale,
    to: draft.to,
    subject: draft.subject,
    body: draft.body,
    attachments: draft.attachments.map((a) => ({
      fileName: a.fileName,
      mime: a.mime,
      bytes: a.content.length,
    })),
    configured: smtpSettings(ctx) !== null,
  };
}

export async function sendDocumentMail(
  ctx: Ctx,
  input: z.output<typeof SendDocumentMail>,
): Promise<OutboxMessage> {
  const draft = await compose(ctx, input, input.attachEinvoice);
  const queued = await queueMail(ctx, {
    ...draft,
    to: input.to ?? draft.to,
    cc: input.cc ?? draft.cc,
    subject: input.subject ?? draft.subject,
    body: input.body ?? draft.body,
  });
  return deliverNow(ctx, queued.id);
}

export interface UnsentReport {
  /** Queued (and tried) messages; what did not go yet waits in the outbox. */
  queued: OutboxMessage[];
  /** Documents that could not be queued, with the reason (no address, above all). */
  skipped: { documentId: string; number: string; code: string; params: ErrorParams }[];
  /** For a dry run: the numbers that would be sent. */
  wouldSend: string[];
}

/**
 * Issued invoices and credit notes of the period that this device never put in its outbox
 * (a message refused for good counts as not sent). One document's problem (no billing e-mail)
 * is reported and the others go on.
 */
export async function sendUnsent(ctx: Ctx, input: z.output<typeof SendUnsent>): Promise<UnsentReport> {
  const documents = ctx.db
    .select({ id: invoices.id, number: invoices.number })
    .from(invoices)
    .where(
      and(
        inArray(invoices.kind, ['invoice', 'credit_note']),
        ne(invoices.status, 'draft'),
        ne(invoices.status, 'cancelled'),
        isNull(invoices.deletedAt),
        input.organizationId ? eq(invoices.organizationId, input.organizationId) : undefined,
        input.issuedFrom ? gte(invoices.issuedOn, input.issuedFrom) : undefined,
        input.issuedTo ? lte(invoices.issuedOn, input.issuedTo) : undefined,
        notExists(
          ctx.db
            .select({ id: mailOutbox.id })
            .from(mailOutbox)
            .where(
              and(
                eq(mailOutbox.documentId, invoices.id),
                // A reminder mailed about an invoice is not the invoice itself sent.
                inArray(mailOutbox.documentKind, ['invoice', 'credit_note']),
                inArray(mailOutbox.status, ['queued', 'sent']),
              ),
            ),
        ),
      ),
    )
    .orderBy(invoices.issuedOn, invoices.number)
    .all();
  const report: UnsentReport = { queued: [], skipped: [], wouldSend: [] };
  if (input.dryRun) {
    report.wouldSend = documents.map((d) => d.number ?? '');
    return report;
  }
  for (const document of documents) {
    try {
      const draft = await composeDocumentMail(ctx, { id: document.id });
      report.queued.push(await queueMail(ctx, draft));
    } catch (error) {
      if (!(error instanceof KontorError) || error.code === 'mail_not_configured') throw error;
      report.skipped.push({
        documentId: document.id,
        number: document.number ?? '',
        code: error.code,
        params: error.params,
      });
    }
  }
  // Tried after every message is safely queued; once the server cannot be reached the rest
  // wait in the outbox for the next round rather than each waiting for its own time-out.
  for (const [i, message] of report.queued.entries()) {
    const tried = await deliverNow(ctx, message.id);
    report.queued[i] = tried;
    if (tried.status === 'queued' && tried.problem?.code === 'mail_server_unreachable') break;
  }
  return report;
}
