import { parseArgs } from 'node:util';
import type { CliContext } from '../main';
import { callOrThrow, callWithFlags, withKontor } from '../open';
import { table } from '../output';
import { collectPages, PAGING_OPTIONS, PAGING_USAGE } from '../paging';
import { UsageError } from '../usage';

/** `orgs set ID --flag value…`: the e-invoice data and invoice code of one organization (empty value clears it). */
const SET_FLAGS = {
  siren: 'siren',
  siret: 'siret',
  'leitweg-id': 'leitwegId',
  'peppol-id': 'peppolId',
  bic: 'bic',
  iban: 'iban',
  'qr-iban': 'qrIban',
  'short-name': 'shortName',
  operation: 'operationCategory',
  'payment-means': 'paymentMeansCode',
  'einvoice-format': 'einvoiceFormat',
  'vat-on-debits': 'vatOnDebits',
  // The code in the invoice numbers it issues (INV-ACME-2026-…); empty: derived from its id.
  'invoice-code': 'invoiceCode',
} as const;

async function runOrgsSet(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: Object.fromEntries(Object.keys(SET_FLAGS).map((k) => [k, { type: 'string' as const }])),
    allowPositionals: true,
  });
  const id = positionals[0];
  if (!id || positionals.length > 1)
    throw new UsageError(
      `usage: kontor orgs set ID ${Object.keys(SET_FLAGS)
        .map((f) => `[--${f} V]`)
        .join(' ')}`,
    );
  const input: Record<string, unknown> = { id };
  for (const [flag, key] of Object.entries(SET_FLAGS)) {
    const value = (values as Record<string, string | undefined>)[flag];
    if (value === undefined) continue;
    if (key === 'vatOnDebits') input[key] = ['yes', 'true', '1', 'oui', 'ja'].includes(value.toLowerCase());
    else input[key] = value === '' ? null : value;
  }
  return withKontor(ctx, async (kontor) => {
    const org = await callWithFlags(kontor, ctx, 'organizations.update', input);
    ctx.out(JSON.stringify(org, null, 2));
    return 0;
  });
}

async function runUnsplit(ctx: CliContext): Promise<number> {
  return withKontor(ctx, async (kontor) => {
    const rows = await callOrThrow(kontor, ctx, 'addresses.unsplit', {});
    ctx.out(
      table([
        ['ADDRESS ID', 'ORGANIZATION', 'LABEL', 'STREET LINE', 'POSTAL CODE', 'TOWN', 'COUNTRY'],
        ...rows.map((r) => [r.id, r.organizationName, r.label, r.line1, r.postalCode, r.city, r.country]),
      ]),
    );
    return 0;
  });
}

export async function runOrgs(ctx: CliContext): Promise<number> {
  if (ctx.args[0] === 'set') return runOrgsSet(ctx, ctx.args.slice(1));
  if (ctx.args[0] === 'unsplit-addresses') return runUnsplit(ctx);
  const { values, positionals } = parseArgs({
    args: ctx.args,
    options: { json: { type: 'boolean', default: false }, search: { type: 'string' }, ...PAGING_OPTIONS },
    allowPositionals: true,
  });
  if (positionals[0] !== 'list' || positionals.length > 1)
    throw new UsageError(`usage: kontor orgs list [--json] [--search TEXT] ${PAGING_USAGE}`);
  return withKontor(ctx, async (kontor) => {
    const orgs = await collectPages(values, ctx.err, Number.POSITIVE_INFINITY, (cursor, limit) =>
      callOrThrow(kontor, ctx, 'organizations.page', { search: values.search, cursor, limit }),
    );
    if (values.json) {
      ctx.out(JSON.stringify(orgs, null, 2));
      return 0;
    }
    ctx.out(
      table([
        ['ID', 'NAME', 'KIND', 'COUNTRY', 'CURRENCY', 'VAT / UID', 'PRODUCTS'],
        ...orgs.map((o) => [
          o.id,
          o.name,
          o.kind,
          o.country,
          o.currency,
          o.vatNumber ?? o.uid ?? '',
          String(o.productCount),
        ]),
      ]),
    );
    return 0;
  });
}
