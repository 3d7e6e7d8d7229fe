import { parseArgs } from 'node:util';
import { MAX_REMINDER_LEVELS } from '#common/reminders.schema';
import { minorToDecimal } from '#common/money';
import type { ReminderPlan } from '#core/services/billing/reminders';
import { documentLocale, isoDate, positiveInteger } from '../flags';
import type { CliContext } from '../main';
import { callOrThrow, saveTo, withKontor } from '../open';
import { table } from '../output';
import { UsageError } from '../usage';

export const REMINDERS_USAGE =
  'usage: kontor reminders [--date YYYY-MM-DD] [--level N] [--org ID] [--run] [--json]\n       kontor reminders --pdf REMINDER_ID --out FILE [--locale-doc en|fr|de|it]';

/**
 * `kontor reminders`: which unpaid invoices are due for which reminder level on a date (today by
 * default) — a dry listing (reminders.preview) unless `--run` records them (reminders.run, once
 * per invoice and level). `--pdf ID --out FILE` saves one reminder's PDF.
 */
export async function runReminders(ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: ctx.args,
    allowPositionals: true,
    options: {
      date: { type: 'string' },
      level: { type: 'string' },
      org: { type: 'string' },
      run: { type: 'boolean' },
      json: { type: 'boolean' },
      pdf: { type: 'string' },
      out: { type: 'string' },
      'locale-doc': { type: 'string' },
    },
  });
  if (positionals.length > 0 || (values.pdf !== undefined) !== (values.out !== undefined))
    throw new UsageError(REMINDERS_USAGE);
  const date = isoDate(ctx, 'date', values.date ?? new Date().toISOString().slice(0, 10));
  const level =
    values.level === undefined ? undefined : positiveInteger(ctx, 'level', values.level, MAX_REMINDER_LEVELS);
  const input = { date, ...(level ? { level } : {}), ...(values.org ? { organizationId: values.org } : {}) };
  return withKontor(ctx, async (kontor) => {
    if (values.pdf && values.out) {
      const locale = documentLocale(ctx, values['locale-doc']);
      const result = await saveTo(
        kontor,
        ctx,
        'reminders.pdf',
        {
          reminderId: values.pdf,
          ...(locale ? { locale } : {}),
        },
        values.out,
      );
      ctx.out(`${result.file} (${result.bytes} bytes)`);
      return 0;
    }
    const plan = values.run
      ? await callOrThrow(kontor, ctx, 'reminders.run', input)
      : await callOrThrow(kontor, ctx, 'reminders.preview', input);
    ctx.out(values.json ? JSON.stringify(plan, null, 2) : planText(plan, values.run === true));
    return 0;
  });
}

const money = (minor: number, currency: 'CHF' | 'EUR') => `${minorToDecimal(minor, currency)} ${currency}`;

export function planText(plan: ReminderPlan, ran: boolean): string {
  const rows = [['Level', 'Invoice', 'Payer', 'Due on', 'Days', 'Still due', 'Fees', 'To pay', 'Id']];
  for (const r of plan.reminders)
    rows.push([
      r.final ? `${r.level} (final)` : String(r.level),
      r.invoiceNumber ?? '',
      r.payerName,
      r.invoiceDueOn,
      String(r.daysOverdue),
      money(r.dueMinor, r.currency),
      money(r.feesMinor, r.currency),
      money(r.totalMinor, r.currency),
      r.id,
    ]);
  const out = [
    `${ran ? 'Reminded' : 'Due for a reminder'} on ${plan.date}: ${plan.reminders.length} invoice(s)${ran ? '' : ' (dry run: --run records them)'}`,
  ];
  if (plan.reminders.length) out.push(table(rows));
  for (const t of plan.totals)
    out.push(
      `Level ${t.level}, ${t.currency}: ${t.count} reminder(s), ${money(t.dueMinor, t.currency)} due + ${money(t.feesMinor, t.currency)} fees = ${money(t.totalMinor, t.currency)}`,
    );
  for (const h of plan.held)
    out.push(
      `Held back — ${h.invoiceNumber ?? h.invoiceId} (${h.payerName}): a payment for it went to the prepaid account`,
    );
  return out.join('\n');
}
