import path from 'node:path';
import { parseArgs } from 'node:util';
import { CLIENT_HISTORY_TYPES } from '#common/client-exports.schema';
import { CSV_PROFILE_IDS } from '#common/invoices.schema';
import { isoDate, listOf, oneOf, required } from '../flags';
import type { CliContext } from '../main';
import { callOrThrow, withKontor } from '../open';
import { UsageError } from '../usage';

export const EXPORT_CLIENTS_USAGE =
  'usage: kontor export clients --partner ORG --history invoices|payments|cashback --from D --to D --format csv|xlsx --out FILE [--client ID …] [--profile spreadsheet|excel-fr|excel-ch|excel-de|excel-it] [--locale-doc en|fr|de]';

/**
 * `kontor export clients`: a partner's managed clients' billing history (exports.clients).
 * A CSV holds one --history type; an XLSX holds those given, or all three.
 */
export async function runExportClients(ctx: CliContext): Promise<number> {
  if (ctx.args.length === 1) throw new UsageError(EXPORT_CLIENTS_USAGE);
  const { values } = parseArgs({
    args: ctx.args.slice(1),
    options: {
      partner: { type: 'string' },
      history: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      client: { type: 'string', multiple: true },
      profile: { type: 'string' },
      'locale-doc': { type: 'string' },
    },
  });
  const partner = required(ctx, 'partner', values.partner);
  const format = oneOf(ctx, 'format', required(ctx, 'format', values.format), ['csv', 'xlsx'] as const);
  const from = isoDate(ctx, 'from', required(ctx, 'from', values.from));
  const to = isoDate(ctx, 'to', required(ctx, 'to', values.to));
  const out = path.resolve(required(ctx, 'out', values.out));
  const history = listOf(values.history).map((h) => oneOf(ctx, 'history', h, CLIENT_HISTORY_TYPES));
  const profile = oneOf(ctx, 'profile', values.profile ?? 'spreadsheet', CSV_PROFILE_IDS);
  const docLocale = (values['locale-doc'] ?? ctx.locale).slice(0, 2);
  const locale = docLocale === 'fr' || docLocale === 'de' ? docLocale : 'en';
  return withKontor(ctx, async (kontor) => {
    const result = await callOrThrow(kontor, ctx, 'exports.clients', {
      partnerOrganizationId: partner,
      history: history.length ? history : undefined,
      from,
      to,
      format,
      profile,
      locale,
      clientIds: listOf(values.client),
      out,
    });
    ctx.out(`${result.file}: ${result.history.map((h) => `${h.type} ${h.rows} rows`).join(', ')}`);
    return 0;
  });
}
