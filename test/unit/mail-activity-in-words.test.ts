// A sent e-mail in the activity (core/services/mail/outbox.ts records it): read as the
// document's number, to whom and the subject, in en, fr and de — no id, no field code, no JSON.
import i18next, { type TFunction } from 'i18next';
import { createElement, Fragment } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ActivityRow } from '../../renderer/src/api/types';
import { actionLabel, summarize } from '../../renderer/src/features/activity/summary';
import de from '../../renderer/src/i18n/de.json';
import en from '../../renderer/src/i18n/en.json';
import { makeFormatters } from '../../renderer/src/i18n/format';
import fr from '../../renderer/src/i18n/fr.json';

const ID = '0190f5e2-7c1a-7b3e-9d4f-1a2b3c4d5e6f';
const ts: Record<string, TFunction> = {};
beforeAll(async () => {
  await i18next.init({
    resources: { en: { translation: en }, fr: { translation: fr }, de: { translation: de } },
    lng: 'en',
    interpolation: { escapeValue: false },
  });
  for (const lng of ['en', 'fr', 'de']) ts[lng] = i18next.getFixedT(lng);
});

describe.each(['en', 'fr', 'de'])('a sent e-mail in %s', (lng) => {
  it('reads as the number, the recipients and the subject', () => {
    const t = ts[lng] as TFunction;
    const row = {
      id: 'a1',
      at: '2026-03-15T09:30:00.000Z',
      action: 'mail.sent',
      entity: 'invoices',
      entityId: ID,
      organizationId: ID,
      productId: null,
      actorPersonId: null,
      before: null,
      after: {
        number: 'INV-2026-000042',
        to: 'buchhaltung@kaeserei-mueller.ch',
        subject: 'Rechnung INV-2026-000042 von Treuhand Zürich AG',
        attachments: 'INV-2026-000042.pdf',
      },
    } as unknown as ActivityRow;
    const ctx = {
      t,
      fmt: makeFormatters(`${lng}-CH`),
      currency: 'CHF' as const,
      personName: () => 'Anna',
      tagName: () => 'x',
    };
    const text = renderToStaticMarkup(createElement(Fragment, null, summarize(row, ctx)));
    expect(text).toContain('INV-2026-000042');
    expect(text).toContain('buchhaltung@kaeserei-mueller.ch');
    expect(text).toContain('Rechnung INV-2026-000042 von Treuhand Zürich AG');
    expect(text).not.toContain(ID);
    expect(text).not.toMatch(/[{}]|attachments|number/);
    expect(actionLabel(t, 'mail.sent')).toBe(
      { en: 'E-mail sent', fr: 'E-mail envoyé', de: 'E-Mail gesendet' }[lng],
    );
  });
});
