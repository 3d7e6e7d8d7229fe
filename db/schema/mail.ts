import { blob, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { MAIL_DOCUMENT_KINDS, MAIL_STATUSES } from '#common/enums';

// The e-mail outbox (core/services/mail/outbox.ts): every message "Send" produced, queued until
// the firm's SMTP server accepts it, retried with back-off while it cannot be reached.
//
// Local to the device that sent it, never synced, so it has no entry in common/authority: the
// message went out through this machine's SMTP settings and password, and a second device
// must not send it again. What the firm shares is the activity row written when the server
// accepted it. For the same reason organization_id and document_id are not foreign keys: a
// scope change may purge the organization from this device (db/sync/apply-purge.ts) and the
// record of what was sent must outlive that.
export const mailOutbox = sqliteTable(
  'mail_outbox',
  {
    id: text('id').primaryKey(),
    createdAt: text('created_at').notNull(),
    documentKind: text('document_kind', { enum: MAIL_DOCUMENT_KINDS }).notNull(),
    documentId: text('document_id'),
    /** The document's number (or a statement's title) as the message names it. */
    documentLabel: text('document_label').notNull(),
    organizationId: text('organization_id'),
    recipients: text('recipients', { mode: 'json' }).notNull().$type<string[]>(),
    subject: text('subject').notNull(),
    locale: text('locale').notNull(),
    /** Names and sizes of the attached files, for the outbox list (the bytes are in `message`). */
    attachments: text('attachments', { mode: 'json' }).notNull().$type<{ fileName: string; bytes: number }[]>(),
    /**
     * The whole RFC 5322 message as composed when "Send" was pressed: a retry sends exactly
     * what the person saw, with the same Message-ID, even after a template or the document's
     * data changed.
     */
    message: blob('message', { mode: 'buffer' }).notNull(),
    messageId: text('message_id').notNull(),
    status: text('status', { enum: MAIL_STATUSES }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at'),
    lastErrorCode: text('last_error_code'),
    lastErrorParams: text('last_error_params', { mode: 'json' }).$type<Record<string, string | number>>(),
    sentAt: text('sent_at'),
  },
  (t) => [
    index('mail_outbox_due_idx').on(t.status, t.nextAttemptAt),
    index('mail_outbox_document_idx').on(t.documentId),
    index('mail_outbox_created_idx').on(t.createdAt),
  ],
);

export type MailOutboxRow = typeof mailOutbox.$inferSelect;
