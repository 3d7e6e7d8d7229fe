// Reading a received e-invoice (core/import/einvoice): namespaces resolved by URI whatever the
// prefixes, amounts read exactly (a price finer than a cent stays exact, a total with three
// decimals breaks BR-DEC), document-level allowances kept and checked, nesting bounded.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KontorError } from '#common/errors';
import { readReceived } from '#core/import/einvoice/read';
import { validatorsDir } from '../helpers/en16931';

const ubl = () => fs.readFileSync(path.join(validatorsDir(), 'examples', 'UBL_example1.xml'), 'utf8');
const read = (xml: string) => readReceived(Buffer.from(xml), 'test.xml');

async function refusal(xml: string): Promise<KontorError> {
  try {
    await read(xml);
  } catch (e) {
    if (e instanceof KontorError) return e;
    throw e;
  }
  throw new Error('read without refusal');
}

describe('reading a received e-invoice', () => {
  it('reads the same document whatever prefixes bind the namespaces', async () => {
    const original = await read(ubl());
    const renamed = ubl()
      .replace(
        '<Invoice ',
        '<ubl:Invoice xmlns:ubl="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" ',
      )
      .replace('</Invoice>', '</ubl:Invoice>')
      .replaceAll('cac:', 'agg:')
      .replaceAll('xmlns:cac=', 'xmlns:agg=')
      .replaceAll('cbc:', 'basic:')
      .replaceAll('xmlns:cbc=', 'xmlns:basic=');
    expect(renamed).toContain('<basic:ID>');
    expect((await read(renamed)).invoice).toEqual(original.invoice);
  });

  it('keeps a price finer than a cent exact, and refuses a total with three decimals (BR-DEC-14)', async () => {
    const fine = await read(
      ubl().replace('<cbc:PriceAmount currencyID="EUR">9.95<', '<cbc:PriceAmount currencyID="EUR">9.9512<'),
    );
    expect(fine.invoice.lines[0]?.priceMinor).toBeCloseTo(995.12, 9);
    const coarse = await refusal(
      ubl().replace('>250.33</cbc:TaxInclusiveAmount>', '>250.330001</cbc:TaxInclusiveAmount>'),
    );
    expect(coarse.code).toBe('einvoice_rules_failed');
    expect(JSON.stringify(coarse.params.breaches)).toContain('BR-DEC-14');
  });

  it('keeps document-level allowances and checks the totals with them (BR-CO-13, BR-CO-15)', async () => {
    const withAllowance = ubl()
      .replace(
        '<cbc:TaxExclusiveAmount currencyID="EUR">229.60<',
        '<cbc:TaxExclusiveAmount currencyID="EUR">219.60<',
      )
      .replace(
        '<cbc:TaxInclusiveAmount currencyID="EUR">250.33<',
        '<cbc:TaxInclusiveAmount currencyID="EUR">240.33<',
      )
      .replace(
        '<cbc:PayableAmount currencyID="EUR">250.33<',
        '<cbc:AllowanceTotalAmount currencyID="EUR">10.00</cbc:AllowanceTotalAmount><cbc:PayableAmount currencyID="EUR">240.33<',
      );
    const read1 = await read(withAllowance);
    expect(read1.invoice.totals).toMatchObject({
      allowanceMinor: 1000,
      grossMinor: 24033,
      payableMinor: 24033,
    });
    // The same allowance without lowering BT-109 breaks BR-CO-13.
    const wrong = await refusal(withAllowance.replace('>219.60<', '>229.60<'));
    expect(JSON.stringify(wrong.params.breaches)).toContain('BR-CO-13');
  });

  it('refuses a document nested deeper than any invoice, and a root that is no invoice', async () => {
    const deep = `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">${'<a>'.repeat(200)}${'</a>'.repeat(200)}</Invoice>`;
    expect((await refusal(deep)).code).toBe('einvoice_malformed');
    const order = '<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"><ID>1</ID></Order>';
    expect((await refusal(order)).code).toBe('einvoice_unknown_syntax');
  });
});
