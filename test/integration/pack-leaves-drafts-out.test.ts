// Issue 14, "Never lose work": a period pack included drafts — PDFs without a number,
// watermarked DRAFT/BROUILLON — beside the issued documents. A pack holds issued documents only,
// in its PDFs and its spreadsheets; a filter that selects only drafts is refused, in words.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDraft, createPayer, issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-pack-drafts-');

describe('a period pack', () => {
  it('holds the issued documents and none of the drafts', async () => {
    const k = space.kontor();
    await setUpProvider(k);
    const payer = await createPayer(k);
    const issued = await issueInvoice(k, payer.id, [line(12_000)]);
    await createDraft(k, payer.id, [line(5_000)]);
    await createDraft(k, payer.id, [line(7_000)]);
    const out = path.join(space.dir(), 'pack');
    const result = await k.ok('exports.pack', {
      out,
      profile: 'spreadsheet',
      locale: 'en',
      filters: { organizationIds: [], statuses: [], kinds: [] },
    });
    const pdfs = fs.readdirSync(path.join(out, 'pdf')).filter((f) => f.endsWith('.pdf'));
    expect(pdfs).toEqual([`${issued.number}.pdf`]);
    expect(result.manifest.invoices).toBe(1);
    const csv = fs.readFileSync(path.join(out, 'invoices.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain(issued.number);

    // Asking for drafts and paid ones packs the paid ones (none here) and still no draft.
    const mixed = await k.ok('exports.pack', {
      out: path.join(space.dir(), 'mixed'),
      profile: 'spreadsheet',
      locale: 'en',
      filters: { organizationIds: [], statuses: ['draft', 'unpaid'], kinds: [] },
    });
    expect(mixed.manifest.invoices).toBe(1);
  });

  it('refuses a filter of drafts only, saying why, and writes nothing', async () => {
    const k = space.kontor();
    await setUpProvider(k);
    const payer = await createPayer(k);
    await createDraft(k, payer.id, [line(5_000)]);
    const out = path.join(space.dir(), 'drafts');
    const refused = await k.fails(
      'exports.pack',
      { out, profile: 'spreadsheet', locale: 'fr', filters: { organizationIds: [], statuses: ['draft'], kinds: [] } },
      'pack_only_drafts',
      { locale: 'fr' },
    );
    expect(refused.message).toContain('brouillons');
    expect(fs.existsSync(out)).toBe(false);
  });
});
