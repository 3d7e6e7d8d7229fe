import { parseArgs } from 'node:util';
import { translateError } from '#common/i18n/errors';
import { resolveLocale } from '#common/i18n/locale';
import { minorToDecimal } from '#common/money';
import type { RenewalPlan } from '#core/services/billing/plan';
import type { RunReport } from '#core/services/billing/run';
import { isoDate, required } from '../flags';
import type { CliContext } from '../main';
import { callOrThrow, runJob, withKontor } from '../open';
import { table } from '../output';
import { UsageError } from '../usage';

export const RENEW_USAGE = 'usage: kontor renew --date YYYY-MM-DD [--org ID] [--dry-run] [--drafts] [--json]';

/**
 * `kontor renew --date D`: the billing run for that date (renewals.run, with a progress bar;
 * Ctrl-C cancels between two invoices). `--dry-run` shows what it would bill (renewals.preview)
 * and writes nothing; `--drafts` leaves the invoices as drafts to look at before issuing.
 * Exit 1 when an invoice could not be billed (the report says why), 0 otherwise.
 */
export async function runRenew(ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: ctx.args,
    allowPositionals: true,
    options: {
      date: { type: 'string' },
      org: { type: 'string' },
      'dry-run': { type: 'boolean' },
      drafts: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length > 0) throw new UsageError(RENEW_USAGE);
  const date = isoDate(ctx, 'date', required(ctx, 'date', values.date));
  const input = { date, ...(values.org ? { organizationId: values.org } : {}) };
  return withKontor(ctx, async (kontor) => {
    if (values['dry-run']) {
      const plan = await callOrThrow(kontor, ctx, 'renewals.preview', input);
      ctx.out(values.json ? JSON.stringify(plan, null, 2) : planText(plan));
      return 0;
    }
    const report = (await runJob(
      kontor,
      ctx,
      'renewals.run',
      { ...input, draftsOnly: values.drafts ?? false },
      'invoices',
    )) as RunReport;
    ctx.out(values.json ? JSON.stringify(report, null, 2) : reportText(ctx, report));
    return report.failed.length > 0 ? 1 : 0;
  });
}

const money = (minor: number, currency: 'CHF' | 'EUR') => `${minorToDecimal(minor, currency)} ${currency}`;

export function planText(plan: RenewalPlan): string {
  const rows = [['Payer', 'Products of', 'Lines', 'Net', 'Total', 'Prepaid']];
  for (const g of plan.groups) {
    rows.push([
      g.payerName,
      g.productsOrganizationName,
      String(g.lines.length),
      money(g.netMinor, g.currency),
      money(g.grossMinor, g.currency),
      g.autoPay.pays ? 'pays at issue' : g.autoPay.reason.replaceAll('_', ' '),
    ]);
  }
  const out = [`Billing run for ${plan.date}: ${plan.groups.length} invoice(s)`, table(rows)];
  for (const t of plan.totals)
    out.push(
      `${t.currency}: ${t.invoices} invoice(s), ${t.lines} line(s), ${money(t.grossMinor, t.currency)}`,
    );
  if (plan.expiring.length)
    out.push(
      `Expiring (renewal unpaid past grace): ${plan.expiring.map((e) => `${e.name} (${e.invoiceNumber ?? ''})`).join(', ')}`,
    );
  if (plan.tooFarBehind.length)
    out.push(
      `Too far behind to bill (check the date): ${plan.tooFarBehind.map((p) => `${p.name} (${p.nextRenewalOn})`).join(', ')}`,
    );
  return out.join('\n');
}

function reportText(ctx: CliContext, r: RunReport): string {
  const rows = [['Number', 'Payer', 'Total', 'Paid from prepaid']];
  for (const i of r.invoices)
    rows.push([
      i.number ?? '(draft)',
      i.payerName,
      money(i.grossMinor, i.currency),
      i.paidFromPrepaid ? 'yes' : (i.unpaidReason ?? '').replaceAll('_', ' '),
    ]);
  const out = [
    `Billed ${r.invoices.length} invoice(s) for ${r.date}${r.cancelled ? ' (cancelled before the end)' : ''}`,
    table(rows),
  ];
  if (r.expired) out.push(`Expired: ${r.expired} product(s)`);
  if (r.duplicates.creditNotes.length)
    out.push(
      `Billed twice on two devices, cancelled by credit note: ${r.duplicates.creditNotes.map((c) => `${c.invoiceNumber} → ${c.creditNoteNumber}`).join(', ')}`,
    );
  const locale = resolveLocale(ctx.locale);
  for (const f of r.failed)
    out.push(
      `Not billed — ${f.payerName}: ${translateError(f.code, f.params as Record<string, string>, locale)}`,
    );
  return out.join('\n');
}
