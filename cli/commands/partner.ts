import { parseArgs } from 'node:util';
import { CURRENCIES, PRODUCT_KINDS } from '#common/enums';
import { minorToDecimal } from '#common/money';
import { MAX_DISCOUNT_BP } from '#common/pricing';
import type { QuoteResult } from '#core/services/partners.service';
import { amountMinor, oneOf, percentBp, positiveInteger, required } from '../flags';
import type { CliContext } from '../main';
import { callOrThrow, withKontor } from '../open';
import { table } from '../output';
import { UsageError } from '../usage';

export const PARTNER_USAGE =
  'usage: kontor partner quote --partner ORG --product-kind KIND --quantity N [--payment client|partner] [--public-price AMOUNT] [--currency CHF|EUR] [--discount PCT] [--degressive PCT] [--json]';

export async function runPartner(ctx: CliContext): Promise<number> {
  if (ctx.args[0] !== 'quote' || ctx.args.length === 1) throw new UsageError(PARTNER_USAGE);
  return runQuote(ctx);
}

/**
 * `kontor partner quote`: partners.quote from the price book, or a what-if when any of
 * --public-price, --discount, --degressive is given (--currency picks the price book's
 * currency, and the currency of a given price).
 */
async function runQuote(ctx: CliContext): Promise<number> {
  const { values } = parseArgs({
    args: ctx.args.slice(1),
    options: {
      partner: { type: 'string' },
      'product-kind': { type: 'string' },
      quantity: { type: 'string' },
      payment: { type: 'string' },
      'public-price': { type: 'string' },
      currency: { type: 'string' },
      discount: { type: 'string' },
      degressive: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const partnerOrganizationId = required(ctx, 'partner', values.partner);
  const productKind = oneOf(
    ctx,
    'product-kind',
    required(ctx, 'product-kind', values['product-kind']),
    PRODUCT_KINDS,
  );
  const quantity = positiveInteger(ctx, 'quantity', required(ctx, 'quantity', values.quantity), 1_000_000);
  const payment = oneOf(ctx, 'payment', values.payment ?? 'partner', ['client', 'partner'] as const);
  const currency =
    values.currency === undefined
      ? undefined
      : oneOf(ctx, 'currency', values.currency.toUpperCase(), CURRENCIES);
  const input = {
    partnerOrganizationId,
    productKind,
    quantity,
    payment,
    currency,
    publicPriceMinor:
      values['public-price'] === undefined
        ? undefined
        : amountMinor(ctx, 'public-price', values['public-price']),
    discountBp:
      values.discount === undefined
        ? undefined
        : percentBp(ctx, 'discount', values.discount, MAX_DISCOUNT_BP / 100),
    degressiveBp:
      values.degressive === undefined ? undefined : percentBp(ctx, 'degressive', values.degressive, 100),
  };
  return withKontor(ctx, async (kontor) => {
    const quote = await callOrThrow(kontor, ctx, 'partners.quote', input);
    if (values.json) ctx.out(JSON.stringify(quote, null, 2));
    else ctx.out(quoteTable(quote));
    return 0;
  });
}

const percent = (bp: number) => `${minorToDecimal(bp)} %`;

/**
 * Per unit and in total, in the order the price is built (seeds: the degressive rate applies
 * to what remains after the partner discount). Each total is computed from the total public
 * price, not from the rounded unit price (domain/pricing.ts), so it may differ from unit ×
 * quantity by a few minor units: both are shown as computed.
 */
export function quoteTable(q: QuoteResult): string {
  const money = (minor: number) => minorToDecimal(minor, q.currency);
  type Line = [string, (b: QuoteResult['unit']) => string];
  const lines: Line[] =
    q.case === 'discount'
      ? [
          ['Public price', (b) => money(b.publicMinor)],
          [`Discount ${percent(q.discountBp)}`, (b) => money(-b.discountMinor)],
          ['After discount', (b) => money(b.publicMinor - b.discountMinor)],
          [`Degressive ${percent(q.degressiveBp)}`, (b) => money(-b.degressiveMinor)],
          ['Price paid', (b) => money(b.paidMinor)],
          ['Cashback', (b) => money(b.cashbackMinor)],
        ]
      : // The payer pays the public price less the (public) volume rate; the partner's discount
        // only sets its preferential price, and the difference is its cashback.
        [
          ['Public price', (b) => money(b.publicMinor)],
          [`Degressive ${percent(q.degressiveBp)}`, (b) => money(-b.degressiveMinor)],
          ['Price paid', (b) => money(b.paidMinor)],
          [`Partner price (discount ${percent(q.discountBp)})`, (b) => money(b.preferentialMinor)],
          ['Cashback', (b) => money(b.cashbackMinor)],
        ];
  const rows = lines.map(([label, cell]) => [label, cell(q.unit), cell(q.total)]);
  // Right-aligned amounts: pad each amount column to its widest cell.
  for (const col of [1, 2]) {
    const width = Math.max(...rows.map((r) => (r[col] as string).length), col === 1 ? 8 : 5);
    for (const r of rows) r[col] = (r[col] as string).padStart(width);
  }
  const header = [
    '',
    'PER UNIT'.padStart((rows[0]?.[1] ?? '').length),
    'TOTAL'.padStart((rows[0]?.[2] ?? '').length),
  ];
  const caseText = {
    discount: 'the partner pays its preferential price (discount)',
    cashback: 'the client’s payment methods pay; the partner earns cashback',
    none: 'no partner discount or cashback',
  }[q.case];
  const rates = `discount ${percent(q.discountBp)}, degressive ${percent(q.degressiveBp)}`;
  return `${q.quantity} × ${q.productKind}, ${q.currency}, ${rates}: ${caseText}\n${table([header, ...rows])}`;
}
