import { parseArgs } from 'node:util';
import { translateError } from '#common/i18n/errors';
import { resolveLocale } from '#common/i18n/locale';
import type { OutboxMessage } from '#core/services/mail/outbox';
import { isoDate, listOf } from '../flags';
import type { CliContext } from '../main';
import { callOrThrow, withKontor } from '../open';
import { UsageError } from '../usage';
import { invoiceRef } from './export';

export const SEND_USAGE =
  'usage: kontor send NUMBER|--reminder ID|--statement ORG_ID [--to ADDRESS …] [--issuer ORG_ID] [--json] | send --unsent [--org ID] [--from D] [--until D] [--dry-run] [--json] | send --retry';

/** Exit status when the message waits in the outbox (the server could not be reached): EX_TEMPFAIL. */
export const EXIT_QUEUED = 75;

/**
 * `kontor send NUMBER`: e-mails an issued invoice or credit note with its PDF (mail.send), to
 * the customer's billing e-mail unless --to says otherwise. `--unsent`: every issued document
 * of the period not yet sent from this database (mail.sendUnsent). `--retry`: one round of the
 * outbox (mail.deliver). The SMTP password comes from KONTOR_SMTP_PASSWORD.
 * Exit 0 sent, 1 refused, 75 waiting in the outbox.
 */
export async function runSend(ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: ctx.args,
    allowPositionals: true,
    options: {
      to: { type: 'string', multiple: true },
      issuer: { type: 'string' },
      unsent: { type: 'boolean' },
      reminder: { type: 'string' },
      statement: { type: 'string' },
      retry: { type: 'boolean' },
      org: { type: 'string' },
      from: { type: 'string' },
      until: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const modes = [
    positionals.length === 1,
    !!values.unsent,
    !!values.retry,
    !!values.reminder,
    !!values.statement,
  ].filter(Boolean).length;
  if (modes !== 1 || positionals.length > 1) throw new UsageError(SEND_USAGE);
  const locale = resolveLocale(ctx.locale);
  const say = (m: OutboxMessage) => line(m, locale);
  return withKontor(ctx, async (kontor) => {
    if (values.retry) {
      const round = await callOrThrow(kontor, ctx, 'mail.deliver', {});
      ctx.out(
        values.json
          ? JSON.stringify(round)
          : `sent ${round.sent}, waiting ${round.waiting}, refused ${round.failed}`,
      );
      return round.failed > 0 ? 1 : round.waiting > 0 ? EXIT_QUEUED : 0;
    }
    if (values.unsent) {
      const report = await callOrThrow(kontor, ctx, 'mail.sendUnsent', {
        organizationId: values.org,
        issuedFrom: values.from ? isoDate(ctx, 'from', values.from) : undefined,
        issuedTo: values.until ? isoDate(ctx, 'until', values.until) : undefined,
        dryRun: values['dry-run'] ?? false,
      });
      if (values.json) ctx.out(JSON.stringify(report, null, 2));
      else {
        for (const n of report.wouldSend) ctx.out(`would send ${n}`);
        for (const m of report.queued) ctx.out(say(m));
        for (const s of report.skipped) ctx.out(`${s.number}: ${translateError(s.code, s.params, locale)}`);
      }
      if (report.skipped.length > 0 || report.queued.some((m) => m.status === 'failed')) return 1;
      return report.queued.some((m) => m.status === 'queued') ? EXIT_QUEUED : 0;
    }
    const to = listOf(values.to);
    const message = await callOrThrow(kontor, ctx, 'mail.send', {
      ...(values.reminder
        ? { reminderId: values.reminder }
        : values.statement
          ? { statementFor: values.statement }
          : invoiceRef(positionals[0] as string, values.issuer)),
      ...(to.length > 0 ? { to } : {}),
    });
    ctx.out(values.json ? JSON.stringify(message, null, 2) : say(message));
    return message.status === 'sent' ? 0 : message.status === 'failed' ? 1 : EXIT_QUEUED;
  });
}

function line(m: OutboxMessage, locale: ReturnType<typeof resolveLocale>): string {
  const files = m.attachments.map((a) => a.fileName).join(', ');
  const why = m.problem ? translateError(m.problem.code, m.problem.params, locale) : '';
  if (m.status === 'sent') return `sent ${m.documentLabel} to ${m.recipients.join(', ')} (${files})`;
  if (m.status === 'failed') return `not sent ${m.documentLabel}: ${why}`;
  return `queued ${m.documentLabel} for ${m.recipients.join(', ')}: ${why}`;
}
