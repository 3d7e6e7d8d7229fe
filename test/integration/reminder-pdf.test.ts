// A reminder's PDF read back (issue 12, dunning): pdftotext finds the title of its level in the
// document's language, the invoice, what is still due, every fee and the total; the QR-bill's
// code, decoded from the rendered page, asks exactly the total under the invoice's own QR
// reference (so the bank import matches the payment to the invoice) with the reminder's message.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compactIdentifier } from '#common/payment-reference';
import { minorToDecimalString } from '#core/export/pdf/format';
import { CH_QR_IBAN, createPayer, issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { type TestKontor, useTempSpace } from '../helpers/kontor';
import { decodeQrBill, pdfText } from '../helpers/pdf-read';

const space = useTempSpace('kontor-reminder-pdf-');
let k: TestKontor;
let dir = '';
let invoice: { id: string; grossMinor: number; paymentReference: string | null; number: string | null };

beforeAll(async () => {
  k = space.kontor({ now: '2026-01-05T08:00:00.000Z' });
  dir = space.dir();
  await setUpProvider(k, { iban: CH_QR_IBAN });
  // A payer in Lausanne: its documents are in French.
  const payer = await createPayer(k, { name: 'Boulangerie Lémanique Sàrl' });
  invoice = await issueInvoice(k, payer.id, [line(12_345)]);
  await k.ok('payments.record', {
    invoiceId: invoice.id,
    amountMinor: 2_345,
    currency: 'CHF',
    method: 'bank_transfer',
    receivedOn: '2026-01-20',
  });
  await k.ok('reminders.run', { date: '2026-02-14' });
  await k.ok('reminders.run', { date: '2026-03-01' });
});

const save = (name: string, bytes: Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
};

describe('a reminder PDF', () => {
  it('reads as the second reminder in French, with the fee, and its QR-bill asks due + fees', async () => {
    const due = invoice.grossMinor - 2_345;
    const pdf = await k.bytes('reminders.pdf', { reminderId: `rm:${invoice.id}:2` });
    expect(pdf.mime).toBe('application/pdf');
    expect(pdf.fileName).toBe(`reminder-2-${invoice.number}.pdf`);
    const file = save('second.pdf', pdf.bytes);
    const text = pdfText(file);
    expect(text).toContain('2e rappel de paiement');
    expect(text).toContain(`Facture ${invoice.number}`);
    const chf = (minor: number) => `${minorToDecimalString(minor)} CHF`;
    expect(text).toMatch(new RegExp(`Payé ou crédité\\s+-${chf(2_345)}`));
    expect(text).toMatch(new RegExp(`Reste dû sur la facture\\s+${chf(due)}`));
    expect(text).toMatch(new RegExp(`Frais de rappel \\(2e rappel\\)\\s+${chf(2_000)}`));
    expect(text).toMatch(new RegExp(`Total à payer\\s+${chf(due + 2_000)}`));
    expect(text).toContain('sans TVA');
    expect(text).not.toContain('Frais de rappel (1e rappel)');
    const qr = decodeQrBill(file);
    expect(qr[0]).toBe('SPC');
    expect(qr[3]).toBe(compactIdentifier(CH_QR_IBAN));
    expect(qr[18]).toBe(minorToDecimalString(due + 2_000));
    expect(qr[19]).toBe('CHF');
    expect(qr[27]).toBe('QRR');
    expect(qr[28]).toBe(invoice.paymentReference);
    expect(qr[29]).toBe(`Rappel 2 · facture ${invoice.number}`);
  });

  it('prints in another language when asked, and the first reminder without a fee', async () => {
    const file = save(
      'first-de.pdf',
      (await k.bytes('reminders.pdf', { reminderId: `rm:${invoice.id}:1`, locale: 'de' })).bytes,
    );
    const text = pdfText(file);
    expect(text).toContain('1. Mahnung');
    expect(text).not.toContain('Mahngebühr');
    expect(decodeQrBill(file)[18]).toBe(minorToDecimalString(invoice.grossMinor - 2_345));
  });

  it('gives a sender its placeholders in the document language', async () => {
    const message = await k.ok('reminders.message', { reminderId: `rm:${invoice.id}:2` });
    expect(message).toMatchObject({
      locale: 'fr',
      subject: `Rappel de paiement : facture ${invoice.number}`,
      fileName: `reminder-2-${invoice.number}.pdf`,
      placeholders: { invoiceNumber: invoice.number, level: '2', reminderTitle: '2e rappel de paiement' },
    });
    expect(message.placeholders.totalAmount.replace(/\s/g, ' ')).toBe(
      `${minorToDecimalString(invoice.grossMinor - 2_345 + 2_000)} CHF`,
    );
  });

  it('refuses a reminder that does not exist, translated', async () => {
    const error = await k.fails('reminders.pdf', { reminderId: `rm:${invoice.id}:3` }, 'reminder_not_found', {
      locale: 'de',
    });
    expect(error.message).toMatch(/Mahnung/);
  });
});
