// A renewal line names its period in the document's own date format (issue 12; README "First
// day": the invoice's language, CHF in <language>-CH, EUR in the language's country): 01.12.2026
// in Swiss and German documents, 01/12/2026 in French and Italian euro invoices — never the ISO
// 2026-12-01 the run used to write. The billed invoice's line is the planned one.
import { beforeAll, describe, expect, it } from 'vitest';
import { runRenewals } from '#core/services/billing/run';
import { createPayer, setUpProvider } from '../helpers/invoices';
import { type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-renewal-line-dates-');
const DATE = '2026-11-20';
let k: TestKontor;
const payers: Record<string, string> = {};

async function product(organizationId: string, name: string) {
  await k.ok('products.create', {
    organizationId,
    kind: 'domain',
    name,
    publicPriceMinor: 2_000,
    billingFrequency: 'annual',
    nextRenewalOn: '2026-12-01',
    autoRenew: false,
  });
}

beforeAll(async () => {
  k = space.kontor({ now: '2026-11-20T08:00:00.000Z' });
  await setUpProvider(k);
  // Lausanne: French, CHF (fr-CH); Paris: French, EUR (fr-FR); Berlin: German, EUR (de-DE);
  // Italy: Italian, EUR (it-IT); a Swiss payer that chose English (en-CH).
  payers.lausanne = (await createPayer(k, { name: 'Vaudoise Hébergement SA' })).id;
  payers.paris = (await createPayer(k, { name: 'Éditions Lutèce SARL', country: 'FR' })).id;
  payers.berlin = (await createPayer(k, { name: 'Spree Verlag GmbH', country: 'DE' })).id;
  payers.rome = (await createPayer(k, { name: 'Tevere Srl', country: 'IT' })).id;
  payers.english = (await createPayer(k, { name: 'Lakeside Labs SA' })).id;
  await k.ok('organizations.update', { id: payers.english, documentLocale: 'en' });
  for (const [key, id] of Object.entries(payers)) await product(id, `${key}.example`);
});

describe('renewal line dates', () => {
  it('are written in each invoice’s document format', async () => {
    const plan = await k.ok('renewals.preview', { date: DATE });
    const lineOf = (payerId: string) => plan.groups.find((g) => g.payerId === payerId)?.lines[0]?.description;
    expect(lineOf(payers.lausanne!)).toBe('lausanne.example · 01.12.2026 – 30.11.2027');
    expect(lineOf(payers.paris!)).toBe('paris.example · 01/12/2026 – 30/11/2027');
    expect(lineOf(payers.berlin!)).toBe('berlin.example · 01.12.2026 – 30.11.2027');
    expect(lineOf(payers.rome!)).toBe('rome.example · 01/12/2026 – 30/11/2027');
    expect(lineOf(payers.english!)).toBe('english.example · 01.12.2026 – 30.11.2027');
    expect(plan.groups.find((g) => g.payerId === payers.paris)?.locale).toBe('fr');
  });

  it('are the billed invoice’s line, and its claim’s', async () => {
    const { id: jobId } = await k.ok('renewals.run', { date: DATE, organizationId: payers.lausanne });
    let job = await k.ok('jobs.get', { jobId });
    while (job?.state === 'running') {
      await new Promise((r) => setTimeout(r, 10));
      job = await k.ok('jobs.get', { jobId });
    }
    expect(job?.state).toBe('done');
    const line = k.raw
      .prepare(
        `SELECT l.description, i.locale, r.line_description AS claimed FROM invoice_lines l
         JOIN invoices i ON i.id = l.invoice_id JOIN renewals r ON r.invoice_id = i.id
         WHERE i.organization_id = ?`,
      )
      .get(payers.lausanne);
    expect(line).toEqual({
      description: 'lausanne.example · 01.12.2026 – 30.11.2027',
      locale: 'fr',
      claimed: 'lausanne.example · 01.12.2026 – 30.11.2027',
    });
  });

  // The run used to work the invoice's language out again when writing it: a payer whose
  // language changed after the plan (another window, the CLI beside the app) got a German
  // invoice whose lines were dated the French way. The invoice takes the plan's language.
  it.each([
    ['the batch path', 'paris', false],
    ['the one-by-one path', 'rome', true],
  ] as const)(
    'keep the invoice’s language when the payer’s changes after the plan (%s)',
    async (_, payer, oneByOne) => {
      const id = payers[payer] as string;
      const report = await runRenewals(
        k.kontor.ctx(),
        { date: DATE, organizationId: id },
        {
          oneByOne,
          onProgress: (done) => {
            if (done === 0)
              k.raw.prepare("UPDATE organizations SET document_locale = 'de' WHERE id = ?").run(id);
          },
        },
      );
      expect(report.invoices).toHaveLength(1);
      const billed = k.raw
        .prepare(
          'SELECT l.description, i.locale FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE i.id = ?',
        )
        .get(report.invoices[0]?.invoiceId);
      expect(billed).toEqual({
        description: `${payer}.example · 01/12/2026 – 30/11/2027`,
        locale: payer === 'paris' ? 'fr' : 'it',
      });
    },
  );
});
