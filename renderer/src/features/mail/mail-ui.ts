import { translateError } from '#common/i18n/errors';
import { resolveLocale } from '#common/i18n/locale';
import type { MethodOutput } from '../../api/client';
import type { BadgeTone } from '../../ui/Badge';

export type OutboxMessage = MethodOutput<'mail.outbox'>[number];

/** What a Send dialog sends: an issued invoice or credit note, or a payment reminder (reminders.*). */
export type MailTarget = { id: string } | { reminderId: string } | { statementFor: string };

export const MAIL_STATUS_TONES: Record<OutboxMessage['status'], BadgeTone> = {
  queued: 'amber',
  sent: 'green',
  failed: 'red',
};

/** Why a message waits or was refused, in the interface language (the same sentences as every door's). */
export function problemText(message: OutboxMessage, language: string): string {
  return message.problem
    ? translateError(message.problem.code, message.problem.params, resolveLocale(language))
    : '';
}

/** "a@b.ch, c@d.ch" as typed in a To field: the addresses, empty pieces left out. */
export function splitAddresses(text: string): string[] {
  return text
    .split(/[,;]/)
    .map((a) => a.trim())
    .filter(Boolean);
}
