// The e-mail step of an accountant's day (issue 14, "send by e-mail to the test SMTP server,
// message read back"): the firm's mail server entered in Settings → E-mail through the page,
// the issued invoice sent from its Send dialog to a real SMTP server on loopback, and the
// message read back there — its subject, recipient, text in the customer's language with its
// umlauts intact, and the PDF attachment's bytes and transfer encoding. The activity says it.
import { expect } from 'vitest';
import de from '../../renderer/src/i18n/de.json';
import en from '../../renderer/src/i18n/en.json';
import fr from '../../renderer/src/i18n/fr.json';
import mailDe from '../../renderer/src/i18n/mail.de.json';
import mailEn from '../../renderer/src/i18n/mail.en.json';
import mailFr from '../../renderer/src/i18n/mail.fr.json';
import type { DayStep } from './accountant-day.steps';
import { expectCount, expectText } from './harness';

/** The customer's billing e-mail (entered with its address); the message goes there unasked. */
export const BILLING_EMAIL = 'buchhaltung@kaeserei-mueller.ch';
export const SMTP_USER = 'rechnungen';
/** The web host reads the SMTP password from KONTOR_SMTP_PASSWORD, as the CLI does. */
export const SMTP_PASSWORD = 'Tages-Passwort';
const FROM = 'rechnungen@treuhand-muster.ch';

/** "Mail server saved" in the UI's language. */
function savedText(locale: string): string {
  return (locale.startsWith('de') ? mailDe : locale.startsWith('fr') ? mailFr : mailEn).settings.saved;
}

/** The activity line the person reads, from the catalog of the UI's language. */
function activityLine(locale: string, values: Record<string, string>): string {
  const catalog = locale.startsWith('de') ? de : locale.startsWith('fr') ? fr : en;
  return catalog.activity.mailSent.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');
}

export const MAIL_STEP: DayStep = {
  name: 'sent by e-mail through the firm’s SMTP server, and read back there with its PDF',
  async run({ s, day, smtp, locale }) {
    const { page } = s;
    const before = smtp.received.length;
    await page.goto(`${s.host.url}#/settings`);
    await page.getByTestId('settings-mail').click();
    await page.getByTestId('mail-host').fill('127.0.0.1');
    // A TLS choice offers to accept the firm's own self-signed certificate, off by default.
    await page.getByTestId('mail-security').selectOption('starttls');
    expect(await page.getByTestId('mail-allow-untrusted').isChecked()).toBe(false);
    await page.getByTestId('mail-allow-untrusted').scrollIntoViewIfNeeded();
    await s.shot('mail-security-starttls');
    await page.getByTestId('mail-security').selectOption('none');
    await expectCount(page.getByTestId('mail-allow-untrusted'), 0);
    // After the security choice, which puts that choice's usual port in the field.
    await page.getByTestId('mail-port').fill(String(smtp.port));
    await page.getByTestId('mail-user').fill(SMTP_USER);
    await page.getByTestId('mail-from-address').fill(FROM);
    await page.getByTestId('mail-from-name').fill(day.firmName);
    await expectText(page.getByTestId('mail-password-environment'), 'KONTOR_SMTP_PASSWORD');
    const hint = (await page.getByTestId('mail-password-environment').textContent()) ?? '';
    expect(hint.split('KONTOR_SMTP_PASSWORD').length - 1, `the variable named once: ${hint}`).toBe(1);
    // Tried before saving: connected and logged in, nothing sent.
    const logins = smtp.logins.length;
    await page.getByTestId('mail-settings-check').click();
    await expectText(page.locator('.toast'), `127.0.0.1:${smtp.port}`);
    expect(smtp.logins.slice(logins)).toEqual([{ user: SMTP_USER, password: SMTP_PASSWORD }]);
    expect(smtp.received.length).toBe(before);
    await s.shot('mail-settings');
    await page.getByTestId('mail-settings-save').click();
    // That toast, not the connection test's still on screen.
    await page
      .locator('.toast')
      .filter({ hasText: savedText(locale) })
      .waitFor();
    // Read until stored: a toast of the same words from an earlier save can still be on screen.
    await expect
      .poll(() => s.kontor.router.invoke('mail.settings', {}), { timeout: 10_000, interval: 100 })
      .toMatchObject({ ok: true, value: { smtp: { host: '127.0.0.1', port: smtp.port, security: 'none' } } });

    await page.goto(`${s.host.url}#/org/${day.customerId}/invoices/${day.invoiceId}`);
    await page.getByTestId('mail-outbox-empty').waitFor();
    await page.getByTestId('invoice-send-mail').click();
    const dialog = page.getByTestId('send-mail-dialog');
    await dialog.getByTestId('send-mail-to').waitFor();
    expect(await dialog.getByTestId('send-mail-to').inputValue()).toBe(BILLING_EMAIL);
    // A Zürich customer: the message is in German whatever the accountant's UI speaks.
    const subject = `Rechnung ${day.invoiceNumber} von ${day.firmName}`;
    expect(await dialog.getByTestId('send-mail-subject').inputValue()).toBe(subject);
    await expectText(dialog.getByTestId('send-mail-attachments'), `${day.invoiceNumber}.pdf`);
    await s.shot('send-dialog');
    await dialog.getByTestId('send-mail-submit').click();
    await expectCount(page.getByTestId('send-mail-dialog'), 0);
    await page.locator('[data-testid="mail-outbox-row"][data-status="sent"]').waitFor();
    await s.shot('mail-sent');

    expect(smtp.received.length).toBe(before + 1);
    const raw = smtp.received[before];
    expect(raw?.to).toEqual([BILLING_EMAIL]);
    expect(raw?.user).toBe(SMTP_USER);
    const mail = await smtp.parse(before);
    expect(mail.subject).toBe(subject);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : []).toEqual([
      BILLING_EMAIL,
    ]);
    expect(mail.from?.value[0]).toMatchObject({ address: FROM, name: day.firmName });
    // The umlauts of the greeting survive the text part's encoding.
    expect(mail.text).toContain(`Guten Tag ${day.customerName}`);
    const pdfs = mail.attachments.filter((a) => a.contentType === 'application/pdf');
    expect(pdfs).toHaveLength(1);
    const pdf = pdfs[0];
    expect(pdf?.filename).toBe(`${day.invoiceNumber}.pdf`);
    expect(pdf?.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf?.size).toBeGreaterThan(10_000);
    // Binary in base64, 76-character lines: what every mail server passes unchanged.
    expect(pdf?.headers.get('content-transfer-encoding')).toBe('base64');
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/mixed' });

    await page.goto(`${s.host.url}#/org/${day.customerId}/activity`);
    await expectText(
      page.getByTestId('activity-row').filter({ hasText: BILLING_EMAIL }),
      activityLine(locale, { number: day.invoiceNumber, to: BILLING_EMAIL, subject }),
    );
    await s.shot('activity-mail-sent');
  },
};
