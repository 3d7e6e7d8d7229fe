import { describe, expect, it } from 'vitest';
import type { Kontor } from '#core/kontor';
import { type Session, sessionForBlock } from './harness';
import { caller, hostingFirm, swissCompany } from './seed';

// Issue 14 review: at 1024 px the invoice editor folds each line onto two rows and hides the
// column heads (invoices.css), leaving its figures as unlabelled boxes — a quantity "1" and a
// price "100.00" told apart by nothing on screen. Every line control carries a visible label
// there, which its accessible name contains (WCAG 2.5.3 "label in name"), and nothing of a line
// lies outside the card; at 1440 the column heads label them.

interface World {
  customerId: string;
  draftId: string;
}

async function seed(kontor: Kontor, w: World): Promise<void> {
  const call = caller(kontor);
  await hostingFirm(call);
  w.customerId = await swissCompany(call, 'Käserei Müller AG', 'Bern', '3000');
  w.draftId = (
    await call<{ id: string }>('invoices.create', {
      organizationId: w.customerId,
      lines: [
        { description: 'Hébergement web 2026', quantityMilli: 1000, unitPriceMinor: 100_000 },
        { description: 'Nom de domaine', quantityMilli: 2000, unitPriceMinor: 1_500, discountBp: 1000 },
        {
          description: 'Support',
          quantityMilli: 3500,
          unitPriceMinor: 12_000,
          vatRateBp: 0,
          vatCategory: 'E',
          exemptionReason: 'Exonéré',
        },
      ],
    })
  ).id;
}

const CONTROLS = [
  'invoice-line-description',
  'invoice-line-quantity',
  'invoice-line-price',
  'invoice-line-discount',
  'invoice-line-vat',
  'invoice-line-unit',
  'invoice-line-category',
];

for (const v of [
  { width: 1024, height: 700, colorScheme: 'light', locale: 'fr-CH' },
  { width: 1024, height: 700, colorScheme: 'dark', locale: 'de-CH' },
  { width: 1440, height: 900, colorScheme: 'light', locale: 'en-GB' },
] as const) {
  describe(`the invoice editor's lines at ${v.width} px, ${v.locale}, ${v.colorScheme}`, () => {
    let s: Session;
    const w = {} as World;
    const name = `invoice-line-labels-${v.width}-${v.locale}-${v.colorScheme}`;
    sessionForBlock(
      name,
      v,
      (k) => seed(k, w),
      (opened) => {
        s = opened;
      },
    );

    it('labels every line control on screen, its accessible name containing that label', async () => {
      const { page } = s;
      await page.goto(`${s.host.url}#/org/${w.customerId}/invoices/${w.draftId}`);
      await page.getByTestId('invoice-line').nth(2).waitFor();
      const seen = await page.$$eval(
        '[data-testid="invoice-line"]',
        (lines, ids) =>
          lines.map((line) =>
            (ids as string[]).map((id) => {
              const control = line.querySelector<HTMLElement>(`[data-testid="${id}"]`);
              if (!control) return { id, missing: true };
              const box = control.getBoundingClientRect();
              // The text a sighted person reads as this control's label: a visible label
              // element tied to it, else the visible column head above its column.
              const own = control.closest('.inv-cell')?.querySelector<HTMLElement>('.inv-cell-label');
              const ownVisible = own && own.getBoundingClientRect().height > 0 ? own.textContent : null;
              // Read whole: a label cut to "QUANTI…" does not say which field it is.
              const cut = !!ownVisible && !!own && own.scrollWidth > own.clientWidth + 1;
              const inMainRow = !!control.closest('.inv-line');
              const head = [...document.querySelectorAll<HTMLElement>('.inv-line-head > span')].find((h) => {
                if (!inMainRow) return false;
                const r = h.getBoundingClientRect();
                return r.height > 0 && r.left <= box.left + 4 && r.right >= box.left + 4 && h.textContent;
              });
              const card = line.closest('.card')?.getBoundingClientRect();
              return {
                id,
                label: (ownVisible ?? head?.textContent ?? '').trim(),
                name: control.getAttribute('aria-label') ?? '',
                inCard: !!card && box.left >= card.left - 0.5 && box.right <= card.right + 0.5,
                cut,
              };
            }),
          ),
        CONTROLS,
      );
      await s.shot('lines');
      for (const line of seen)
        for (const c of line) {
          expect(c, JSON.stringify(c)).not.toHaveProperty('missing');
          const { label, name, inCard, cut } = c as {
            label: string;
            name: string;
            inCard: boolean;
            cut: boolean;
          };
          expect(cut, `${c.id}: its label read whole`).toBe(false);
          expect(label, `${c.id}: a visible label`).not.toBe('');
          expect(name.toLowerCase(), `${c.id}: its name contains its label`).toContain(
            label.toLowerCase().replace(/\s*\(.*\)$/, ''),
          );
          expect(inCard, `${c.id}: inside the card`).toBe(true);
        }
      await page.getByTestId('invoice-line-reason').scrollIntoViewIfNeeded();
      await s.shot('exempt-line');
      const scroll = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(scroll).toBeLessThanOrEqual(0);
    });
  });
}
