// The outbox (db/schema/mail.ts): a message is composed once, whole, when "Send" is pressed,
// then delivered — at once when the server answers, else later, with back-off, by whoever
// runs the outbox next (the app's background loop, `kontor send --retry`). A sent message is
// recorded in the activity, in words (the number, to whom, the subject, the files).
import { and, asc, desc, eq, isNull, lte, or } from 'drizzle-orm';
import MailComposer from 'nodemailer/lib/mail-composer';
import { type MailOutboxRow, mailOutbox } from '#db/schema/index';
import { fail } from '#common/errors';
import type { Ctx } from '../context';
import { checkAddress } from './addresses';
import type { MailDraft } from './compose';
import { secretsOf, smtpSettings } from './settings';
import { classifyFailure, type SmtpSender, smtpSender } from './transport';

export interface OutboxMessage {
  id: string;
  createdAt: string;
  kind: MailOutboxRow['documentKind'];
  documentId: string | null;
  documentLabel: string;
  organizationId: string | null;
  recipients: string[];
  subject: string;
  attachments: { fileName: string; bytes: number }[];
  status: MailOutboxRow['status'];
  attempts: number;
  nextAttemptAt: string | null;
  sentAt: string | null;
  /** Why it waits or was refused: an error code and its parameters, translated by each door. */
  problem: { code: string; params: Record<string, string | number> } | null;
}

export function outboxView(row: MailOutboxRow): OutboxMessage {
  return {
    id: row.id,
    createdAt: row.createdAt,
    kind: row.documentKind,
    documentId: row.documentId,
    documentLabel: row.documentLabel,
    organizationId: row.organizationId,
    recipients: row.recipients,
    subject: row.subject,
    attachments: row.attachments,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    sentAt: row.sentAt,
    problem: row.lastErrorCode ? { code: row.lastErrorCode, params: row.lastErrorParams ?? {} } : null,
  };
}

/** Waits between attempts: 30 s, 1 min, 2 min… up to an hour; after MAX_ATTEMPTS the message is given up. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}
const MAX_ATTEMPTS = 40;
/** How long a delivery in flight keeps its message from a second sender (another process on the file). */
const LEASE_MS = 120_000;

function row(ctx: Ctx, id: string): MailOutboxRow {
  return (
    ctx.db.select().from(mailOutbox).where(eq(mailOutbox.id, id)).get() ?? fail('mail_message_not_found')
  );
}

/**
 * Puts a message in the outbox, composed whole (RFC 5322, UTF-8 headers and bodies encoded by
 * nodemailer), so a retry sends byte for byte what was queued. Refuses before anything is
 * stored: no server set up, no recipient, an address that is not one.
 */
export async function queueMail(ctx: Ctx, draft: MailDraft): Promise<OutboxMessage> {
  const smtp = smtpSettings(ctx) ?? fail('mail_not_configured');
  const to = draft.to.map(checkAddress);
  const cc = draft.cc.map(checkAddress);
  if (to.length === 0) fail('mail_no_recipient', { number: draft.documentLabel });
  const id = ctx.ids.next();
  const domain = smtp.fromAddress.split('@')[1] ?? 'kontor.invalid';
  const messageId = `<${id}@${domain}>`;
  const message = await new MailComposer({
    from: smtp.fromName ? { name: smtp.fromName, address: smtp.fromAddress } : smtp.fromAddress,
    replyTo: smtp.replyTo ?? undefined,
    to,
    cc: cc.length > 0 ? cc : undefined,
    subject: draft.subject,
    text: draft.body,
    messageId,
    date: ctx.clock.now(),
    attachments: draft.attachments.map((a) => ({
      filename: a.fileName,
      contentType: a.mime,
      content: a.content,
    })),
  })
    .compile()
    .build();
  const now = ctx.clock.now().toISOString();
  const inserted = ctx.db
    .insert(mailOutbox)
    .values({
      id,
      createdAt: now,
      documentKind: draft.kind,
      documentId: draft.documentId,
      documentLabel: draft.documentLabel,
      organizationId: draft.organizationId,
      recipients: [...to, ...cc],
      subject: draft.subject,
      locale: draft.locale,
      attachments: draft.attachments.map((a) => ({ fileName: a.fileName, bytes: a.content.length })),
      message,
      messageId,
      status: 'queued',
      nextAttemptAt: now,
    })
    .returning()
    .get();
  return outboxView(inserted);
}

/** Takes a due message for this attempt; false when another sender has it or it is not due. */
function claim(ctx: Ctx, id: string, now: Date): boolean {
  const result = ctx.db
    .update(mailOutbox)
    .set({ nextAttemptAt: new Date(now.getTime() + LEASE_MS).toISOString() })
    .where(
      and(
        eq(mailOutbox.id, id),
        eq(mailOutbox.status, 'queued'),
        or(isNull(mailOutbox.nextAttemptAt), lte(mailOutbox.nextAttemptAt, now.toISOString())),
      ),
    )
    .run();
  return result.changes === 1;
}

function recordSent(ctx: Ctx, message: MailOutboxRow, at: string): void {
  ctx.write('mail.sent', (tx) => {
    tx.db
      .update(mailOutbox)
      .set({
        status: 'sent',
        sentAt: at,
        attempts: message.attempts + 1,
        lastErrorCode: null,
        lastErrorParams: null,
        nextAttemptAt: null,
      })
      .where(eq(mailOutbox.id, message.id))
      .run();
    tx.recordActivity({
      entity: message.documentId ? 'invoices' : 'organizations',
      entityId: message.documentId ?? message.organizationId ?? message.id,
      organizationId: message.organizationId,
      after: {
        number: message.documentLabel,
        to: message.recipients.join(', '),
        subject: message.subject,
        attachments: message.attachments.map((a) => a.fileName).join(', '),
      },
    });
  });
}

/**
 * One attempt at one message. Returns its state after the attempt, and whether the server
 * could be reached (a round stops at the first unreachable: the others would wait as long).
 */
async function attempt(
  ctx: Ctx,
  id: string,
  open: () => SmtpSender,
): Promise<{ message: OutboxMessage; reached: boolean }> {
  const now = ctx.clock.now();
  if (!claim(ctx, id, now)) return { message: outboxView(row(ctx, id)), reached: true };
  const message = row(ctx, id);
  const smtp = smtpSettings(ctx);
  if (!smtp) {
    ctx.db
      .update(mailOutbox)
      .set({ nextAttemptAt: now.toISOString(), lastErrorCode: 'mail_not_configured', lastErrorParams: {} })
      .where(eq(mailOutbox.id, id))
      .run();
    return { message: outboxView(row(ctx, id)), reached: false };
  }
  try {
    await open().send({ from: smtp.fromAddress, to: message.recipients }, message.message);
    recordSent(ctx, message, ctx.clock.now().toISOString());
    return { message: outboxView(row(ctx, id)), reached: true };
  } catch (error) {
    const failure = classifyFailure(error, smtp);
    const attempts = message.attempts + 1;
    const giveUp = !failure.retry || attempts >= MAX_ATTEMPTS;
    ctx.db
      .update(mailOutbox)
      .set({
        status: giveUp ? 'failed' : 'queued',
        attempts,
        nextAttemptAt: giveUp
          ? null
          : new Date(ctx.clock.now().getTime() + backoffMs(attempts)).toISOString(),
        lastErrorCode: failure.code,
        lastErrorParams: failure.params,
      })
      .where(eq(mailOutbox.id, id))
      .run();
    return { message: outboxView(row(ctx, id)), reached: failure.code !== 'mail_server_unreachable' };
  }
}

function senderFor(ctx: Ctx): { open: () => SmtpSender; close: () => void } {
  let sender: SmtpSender | null = null;
  return {
    open: () => {
      const smtp = smtpSettings(ctx) ?? fail('mail_not_configured');
      sender ??= smtpSender(smtp, secretsOf(ctx).get('smtpPassword'));
      return sender;
    },
    close: () => sender?.close(),
  };
}

/** Tries one message now (after "Send", or "Try again" on a waiting or refused one). */
export async function deliverNow(ctx: Ctx, id: string): Promise<OutboxMessage> {
  const current = row(ctx, id);
  if (current.status === 'sent') return outboxView(current);
  ctx.db
    .update(mailOutbox)
    .set({ status: 'queued', nextAttemptAt: ctx.clock.now().toISOString() })
    .where(eq(mailOutbox.id, id))
    .run();
  const sender = senderFor(ctx);
  try {
    return (await attempt(ctx, id, sender.open)).message;
  } finally {
    sender.close();
  }
}

export interface DeliveryRound {
  sent: number;
  waiting: number;
  failed: number;
}

/** Every message due now, oldest first, over one connection; stops when the server cannot be reached. */
export async function deliverDue(ctx: Ctx, limit = 50): Promise<DeliveryRound> {
  const due = ctx.db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.status, 'queued'), lte(mailOutbox.nextAttemptAt, ctx.clock.now().toISOString())))
    .orderBy(asc(mailOutbox.createdAt))
    .limit(limit)
    .all();
  const round: DeliveryRound = { sent: 0, waiting: 0, failed: 0 };
  const sender = senderFor(ctx);
  try {
    for (const { id } of due) {
      const { message, reached } = await attempt(ctx, id, sender.open);
      if (message.status === 'sent') round.sent++;
      else if (message.status === 'failed') round.failed++;
      else round.waiting++;
      if (!reached) break;
    }
  } finally {
    sender.close();
  }
  return round;
}

export function listOutbox(ctx: Ctx, input: { documentId?: string; limit: number }): OutboxMessage[] {
  return ctx.db
    .select()
    .from(mailOutbox)
    .where(input.documentId ? eq(mailOutbox.documentId, input.documentId) : undefined)
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .limit(input.limit)
    .all()
    .map(outboxView);
}
