// The mail settings' security option against a real SMTP server (smtp-server) on loopback that
// speaks TLS with a self-signed certificate made here by openssl: STARTTLS on a plain port and
// implicit TLS. A certificate this computer does not trust is refused with a translated
// sentence, before the password or the message leave, and the message is not retried (the same
// certificate would come back); allowed in the settings, it goes out encrypted. A server that
// offers no STARTTLS when the settings ask for it gets neither the password nor the message.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateError } from '#common/i18n/errors';
import { environmentSecrets } from '#core/services/mail/secrets';
import { issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { count, type TestKontor, useTempSpace } from '../helpers/kontor';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';

const space = useTempSpace('kontor-mail-tls-');
const PASSWORD = 'tls-Geheimnis-7';

let k: TestKontor;
let starttls: TestSmtp;
let implicit: TestSmtp;
let plain: TestSmtp;
let payer: string;

/** A self-signed certificate for 127.0.0.1, as a small firm's own mail server might have. */
function selfSigned(dir: string): { key: Buffer; cert: Buffer } {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=mail.treuhand.test',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}

beforeAll(async () => {
  const pair = selfSigned(space.dir());
  starttls = await startTestSmtp({ user: 'rechnungen', password: PASSWORD, tls: { ...pair, implicit: false } });
  implicit = await startTestSmtp({ user: 'rechnungen', password: PASSWORD, tls: { ...pair, implicit: true } });
  plain = await startTestSmtp({ user: 'rechnungen', password: PASSWORD });
  k = space.kontor({ secrets: environmentSecrets({ KONTOR_SMTP_PASSWORD: PASSWORD }) });
  await setUpProvider(k, { name: 'Treuhand Zürich AG' });
  const org = await k.ok('organizations.create', { kind: 'company', name: 'Käserei Müller AG', country: 'CH', currency: 'CHF' });
  await k.ok('addresses.create', {
    organizationId: org.id,
    label: 'Buchhaltung',
    recipient: 'Käserei Müller AG',
    line1: 'Bahnhofstrasse 12',
    postalCode: '8001',
    city: 'Zürich',
    country: 'CH',
    email: 'buchhaltung@kaeserei-mueller.ch',
  });
  payer = org.id;
});

afterAll(async () => {
  await Promise.all([starttls?.stop(), implicit?.stop(), plain?.stop()]);
});

function configure(security: 'starttls' | 'tls', port: number, allowUntrustedCertificate?: boolean) {
  return k.ok('mail.saveSettings', {
    smtp: {
      host: '127.0.0.1',
      port,
      security,
      user: 'rechnungen',
      fromAddress: 'rechnungen@treuhand-zuerich.ch',
      ...(allowUntrustedCertificate === undefined ? {} : { allowUntrustedCertificate }),
    },
  });
}

describe('an untrusted certificate', () => {
  for (const [label, server, security] of [
    ['STARTTLS on a plain port', () => starttls, 'starttls'],
    ['implicit TLS', () => implicit, 'tls'],
  ] as const) {
    it(`is refused over ${label}, in words, before the password or the message leave`, async () => {
      const smtp = server();
      await configure(security, smtp.port);
      const invoice = await issueInvoice(k, payer, [line(12_000)]);
      const sent = await k.ok('mail.send', { id: invoice.id });
      // Not "queued": retrying would meet the same certificate; the person has to decide.
      expect(sent.status).toBe('failed');
      expect(sent.problem?.code).toBe('mail_certificate_untrusted');
      const params = sent.problem?.params ?? {};
      expect(params.reason).toMatch(/self-signed/i);
      const en = translateError('mail_certificate_untrusted', params, 'en');
      expect(en).toContain(`127.0.0.1:${smtp.port}`);
      expect(en).toContain('Settings → E-mail');
      expect(translateError('mail_certificate_untrusted', params, 'fr')).toContain('auto-signé');
      expect(translateError('mail_certificate_untrusted', params, 'de')).toContain('selbst signierten Zertifikat');
      expect(smtp.logins).toEqual([]);
      expect(smtp.received).toEqual([]);
      // Nothing is due later either.
      k.clock.advance(3_600_000);
      expect(await k.ok('mail.deliver', {})).toEqual({ sent: 0, waiting: 0, failed: 0 });
    });
  }
});

describe('allowed in the settings', () => {
  it('keeps the choice, and refuses anything but a yes or no for it', async () => {
    const saved = await configure('starttls', starttls.port, true);
    expect(saved.smtp?.allowUntrustedCertificate).toBe(true);
    const before = await k.ok('mail.settings', {});
    const hostile = await k.call('mail.saveSettings', { smtp: { ...before.smtp, allowUntrustedCertificate: 'yes' } });
    expect(hostile).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await k.ok('mail.settings', {})).toEqual(before);
  });

  for (const [label, server, security] of [
    ['STARTTLS on a plain port', () => starttls, 'starttls'],
    ['implicit TLS', () => implicit, 'tls'],
  ] as const) {
    it(`sends over ${label}, encrypted, the login after the switch to TLS`, async () => {
      const smtp = server();
      await configure(security, smtp.port, true);
      const invoice = await issueInvoice(k, payer, [line(34_000)]);
      const sent = await k.ok('mail.send', { id: invoice.id });
      expect(sent.status).toBe('sent');
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]?.secure).toBe(true);
      expect(smtp.received[0]?.to).toEqual(['buchhaltung@kaeserei-mueller.ch']);
      // The server refuses a login before TLS (allowInsecureAuth off): this one came after.
      expect(smtp.logins).toEqual([{ user: 'rechnungen', password: PASSWORD }]);
      const mail = await smtp.parse(0);
      expect(mail.subject).toBe(`Rechnung ${invoice.number} von Treuhand Zürich AG`);
      const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf');
      expect(pdf?.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    });
  }
});

describe('STARTTLS asked for, a server that does not offer it', () => {
  it('gets neither the password nor the message in clear, and the person is told why', async () => {
    await configure('starttls', plain.port, true);
    const invoice = await issueInvoice(k, payer, [line(5_600)]);
    const queuedBefore = count(k.raw, 'mail_outbox');
    const sent = await k.ok('mail.send', { id: invoice.id });
    expect(sent.status).toBe('failed');
    expect(sent.problem?.code).toBe('mail_tls_failed');
    expect(translateError('mail_tls_failed', sent.problem?.params ?? {}, 'de')).toContain(
      'keine sichere Verbindung',
    );
    expect(plain.logins).toEqual([]);
    expect(plain.received).toEqual([]);
    expect(count(k.raw, 'mail_outbox')).toBe(queuedBefore + 1);
  });
});

describe('"Test the connection" in Settings → E-mail', () => {
  it('tries the typed settings as a send would — TLS, certificate, login — and sends nothing, saves nothing', async () => {
    const saved = await k.ok('mail.settings', {});
    const logins = starttls.logins.length;
    const received = starttls.received.length;
    const typed = {
      host: '127.0.0.1',
      port: starttls.port,
      security: 'starttls' as const,
      user: 'rechnungen',
      fromAddress: 'rechnungen@treuhand-zuerich.ch',
    };
    const untrusted = await k.ok('mail.checkServer', { smtp: typed });
    expect(untrusted).toEqual({
      server: `127.0.0.1:${starttls.port}`,
      problem: { code: 'mail_certificate_untrusted', params: expect.objectContaining({ host: `127.0.0.1:${starttls.port}` }) },
    });
    expect(starttls.logins.length).toBe(logins);

    const works = await k.ok('mail.checkServer', { smtp: { ...typed, allowUntrustedCertificate: true } });
    expect(works).toEqual({ server: `127.0.0.1:${starttls.port}`, problem: null });
    expect(starttls.logins.slice(logins)).toEqual([{ user: 'rechnungen', password: PASSWORD }]);

    // A password typed in the page but not saved yet (the desktop's keychain) is the one tried.
    const wrong = await k.ok('mail.checkServer', {
      smtp: { ...typed, allowUntrustedCertificate: true },
      password: 'falsch',
    });
    expect(wrong.problem?.code).toBe('mail_auth_failed');
    expect(translateError('mail_auth_failed', wrong.problem?.params ?? {}, 'fr')).toContain('Réglages → E-mail');

    expect(starttls.received.length).toBe(received);
    expect(await k.ok('mail.settings', {})).toEqual(saved);
    // A from address that is not one is refused with its own sentence, as on saving.
    await k.fails('mail.checkServer', { smtp: { ...typed, fromAddress: 'rechnungen at treuhand' } }, 'mail_address_invalid');
  });
});
