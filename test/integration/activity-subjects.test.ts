// Issue 14, defect 8/bullet "readable history": an activity entry names the record it is about
// by its number or name (the panel links it), never by its id.
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
    for (const r of invoiceRows) expect(r.subject).toBe(issued.number);
    const orgRow = page.rows.find((r) => r.entity === 'organizations' && r.entityId === payer.id);
    expect(orgRow?.subject).toBe('Käserei Subjekt AG');
  });
});
