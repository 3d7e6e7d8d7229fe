// Issue 14, defect 8/bullet "readable history": an activity entry names the record it is about
// by its number or name (the panel links it), never by its id. A draft has no number yet: it is
// named by its payer and still linked (the review found it nameless). One write is one entry:
// creating a draft with lines recorded three rows (insert, lines, totals), read as "Invoice
// drafted" more than once, and a page could end between them.
import { describe, expect, it } from 'vitest';
import { createPayer, line, setUpProvider } from '../helpers/invoices';
import { useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-activity-subjects-');

describe('activity entries name their record', () => {
  it('an invoice by its number once issued, an organization by its name', async () => {
    const k = space.kontor();
    await setUpProvider(k, { name: 'Treuhand Subjekt AG' });
    const payer = await createPayer(k, { name: 'Käserei Subjekt AG', city: 'Zürich' });
    const draft = await k.ok('invoices.create', { organizationId: payer.id, lines: [line(10_000)] });
    const issued = await k.ok('invoices.issue', { id: draft.id });
    const page = await k.ok('activity.list', { organizationId: payer.id, limit: 50 });
    const invoiceRows = page.rows.filter((r) => r.entity === 'invoices' && r.entityId === issued.id);
    expect(invoiceRows.length).toBeGreaterThan(0);
    for (const r of invoiceRows) expect(r).toMatchObject({ subject: issued.number, draft: false });
    const orgRow = page.rows.find((r) => r.entity === 'organizations' && r.entityId === payer.id);
    expect(orgRow?.subject).toBe('Käserei Subjekt AG');
  });

  it('a draft by its payer, as one entry per write: created once, each autosave once', async () => {
    const k = space.kontor();
    await setUpProvider(k, { name: 'Treuhand Entwurf AG' });
    const payer = await createPayer(k, { name: 'Bäckerei Entwurf GmbH', city: 'Bern' });
    // The editor's first save creates the draft with its lines; the next autosave changes them.
    const draft = await k.ok('invoices.create', { organizationId: payer.id, lines: [line(10_000)] });
    await k.ok('invoices.updateDraft', { id: draft.id, lines: [line(10_000), line(2_500)] });
    const page = await k.ok('activity.list', { organizationId: payer.id, limit: 50 });
    const rows = page.rows.filter((r) => r.entityId === draft.id);
    expect(rows.map((r) => r.action)).toEqual(['invoice.updated', 'invoice.created']);
    for (const r of rows) expect(r).toMatchObject({ subject: 'Bäckerei Entwurf GmbH', draft: true });
    const [updated, created] = rows;
    // The creation reads as one: nothing before, its lines and its totals after.
    expect(created?.before).toBeNull();
    expect(created?.after).toMatchObject({ status: 'draft', lines: 1, grossMinor: draft.grossMinor });
    // The autosave as one change of each field, from before the write to after it.
    expect(updated?.before).toMatchObject({ lines: 1, grossMinor: draft.grossMinor });
    expect(updated?.after).toMatchObject({ lines: 2 });
    expect(Number(updated?.after?.grossMinor)).toBeGreaterThan(draft.grossMinor);
  });

  it('a page never ends inside one write', async () => {
    const k = space.kontor();
    await setUpProvider(k, { name: 'Treuhand Seiten AG' });
    const payer = await createPayer(k, { name: 'Seiten AG', city: 'Basel' });
    for (let i = 0; i < 4; i++)
      await k.ok('invoices.create', { organizationId: payer.id, lines: [line(1_000 * (i + 1))] });
    const whole = (await k.ok('activity.list', { organizationId: payer.id, limit: 500 })).rows;
    // Every page size, 1 to 5: the pages put together are the single page, entry for entry.
    for (let limit = 1; limit <= 5; limit++) {
      const seen: typeof whole = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof k.ok<'activity.list'>>> = await k.ok('activity.list', {
          organizationId: payer.id,
          limit,
          cursor,
        });
        seen.push(...page.rows);
        cursor = page.nextCursor;
        if (cursor) expect(page.rows.length).toBeGreaterThan(0);
      } while (cursor);
      expect(seen, `limit ${limit}`).toEqual(whole);
    }
    expect(whole.filter((r) => r.action === 'invoice.created')).toHaveLength(4);
  });
});
