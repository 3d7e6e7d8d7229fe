// "Send" on a payment reminder, against a real SMTP server on loopback: the reminder template in
// the document's language (German for Zürich), the amount the reminder asks (due + fees), the
// reminder's PDF attached and read back; another language when asked (message and PDF); a payer
// without an e-mail, or an organization that does not see the invoice, is refused, nothing queued.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentFormatter } from '#core/export/pdf/format';
import { environmentSecrets } from '#core/services/mail/secrets';
import { CH_QR_IBAN, issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { count, type TestKontor, useTempSpace } from '../helpers/kontor';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';

const space = useTempSpace('kontor-reminder-mail-');
const PASSWORD = 'smtp-Mahnung-7';
let k: TestKontor;
let smtp: TestSmtp;
let invoice: { id: string; grossMinor: number; number: string | null };
let silent: { id: string };

async function payer(name: string, email: string | null): Promise<string> {
  const org = await k.ok('organizations.create', { kind: 'company', name, country: 'CH', currency: 'CHF' });
  await k.ok('addresses.create', {
    organizationId: org.id,
    label: 'Buchhaltung',
    recipient: name,
    line1: 'Bahnhofstrasse 12',
    postalCode: '8001',
    city: 'Zürich',
    country: 'CH',
    email,
  });
  return org.id;
}

beforeAll(async () => {
  smtp = await startTestSmtp({ user: 'mahnungen', password: PASSWORD });
  k = space.kontor({
    now: '2026-01-05T08:00:00.000Z',
    secrets: environmentSecrets({ KONTOR_SMTP_PASSWORD: PASSWORD }),
  });
  await setUpProvider(k, { name: 'Treuhand Zürich AG', iban: CH_QR_IBAN });
  invoice = await issueInvoice(k, await payer('Käserei Müller AG', 'buchhaltung@kaeserei-mueller.ch'), [
    line(50_000),
  ]);
  silent = await issueInvoice(k, await payer('Ohne Post GmbH', null), [line(20_000)]);
  await k.ok('reminders.run', { date: '2026-02-14' });
  await k.ok('reminders.run', { date: '2026-03-01' });
  await k.ok('mail.saveSettings', {
    smtp: {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      user: 'mahnungen',
      fromAddress: 'mahnungen@treuhand-zuerich.ch',
      fromName: 'Treuhand Zürich AG',
    },
  });
});

afterAll(async () => {
  await smtp.stop();
});

describe('sending a reminder', () => {
  it('sends the second reminder with its PDF, in German, asking due + fees', async () => {
    const sent = await k.ok('reminders.send', { reminderId: `rm:${invoice.id}:2` });
    expect(sent.status).toBe('sent');
    expect(sent.kind).toBe('reminder');
    const mail = await smtp.parse(smtp.received.length - 1);
    expect(smtp.received.at(-1)?.to).toEqual(['buchhaltung@kaeserei-mueller.ch']);
    expect(mail.subject).toBe(`Zahlungserinnerung: Rechnung ${invoice.number} von Treuhand Zürich AG`);
    expect(mail.text).toContain(documentFormatter('de', 'CHF').money(invoice.grossMinor + 2_000));
    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf');
    expect(pdf?.filename).toBe(`reminder-2-${invoice.number}.pdf`);
    const file = path.join(space.dir(), 'reminder.pdf');
    fs.writeFileSync(file, pdf?.content ?? Buffer.alloc(0));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('2. Mahnung');
    expect(text).toContain('Mahngebühr (2. Mahnung)');
  });

  it('writes the message and the PDF in the language asked for (reminders.send’s locale)', async () => {
    const sent = await k.ok('reminders.send', { reminderId: `rm:${invoice.id}:2`, locale: 'fr' });
    expect(sent.status).toBe('sent');
    const mail = await smtp.parse(smtp.received.length - 1);
    expect(mail.subject).toBe(`Rappel : facture ${invoice.number} de Treuhand Zürich AG`);
    expect(mail.text).toContain(documentFormatter('fr', 'CHF').money(invoice.grossMinor + 2_000));
    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf');
    const file = path.join(space.dir(), 'rappel.pdf');
    fs.writeFileSync(file, pdf?.content ?? Buffer.alloc(0));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('2e rappel de paiement');
    expect(text).toContain('Frais de rappel (2e rappel)');
    expect(text).not.toContain('Mahnung');
  });

  it('is refused to an organization that does not see the invoice, and queues nothing', async () => {
    const before = count(k.raw, 'mail_outbox');
    const other = await k.ok('organizations.create', {
      kind: 'company',
      name: 'Fremd AG',
      country: 'CH',
      currency: 'CHF',
    });
    await k.fails(
      'reminders.send',
      { reminderId: `rm:${invoice.id}:2`, actingOrganizationId: other.id },
      'not_visible',
    );
    expect(count(k.raw, 'mail_outbox')).toBe(before);
  });

  it('refuses a payer without an e-mail, in words, and queues nothing', async () => {
    const before = count(k.raw, 'mail_outbox');
    const error = await k.fails('reminders.send', { reminderId: `rm:${silent.id}:1` }, 'mail_no_recipient', {
      locale: 'fr',
    });
    expect(error.message).toContain('adresse');
    expect(count(k.raw, 'mail_outbox')).toBe(before);
  });
});
