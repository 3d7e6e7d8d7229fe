// "Send" by e-mail, against a real SMTP server on loopback (smtp-server): what arrives is read
// back with mailparser — recipients, the subject in the document's language, UTF-8 names, the
// PDF (its text through pdftotext), the login with the password from the environment — and
// the outbox's behaviour when the server is down, refuses an address, or is up again.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateError } from '#common/i18n/errors';
import { documentFormatter } from '#core/export/pdf/format';
import { environmentSecrets } from '#core/services/mail/secrets';
import { issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { count, inspect, REPO_ROOT, type TestKontor, useTempSpace } from '../helpers/kontor';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';

const space = useTempSpace('kontor-mail-');
const execFileAsync = promisify(execFile);
const PASSWORD = 'smtp-Geheimnis-42';

let k: TestKontor;
let smtp: TestSmtp;
let kaeserei: string;
let noEmail: string;

function pdfText(bytes: Buffer): string {
  const file = path.join(space.dir(), 'attachment.pdf');
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

async function payer(name: string, email: string | null): Promise<string> {
  const org = await k.ok('organizations.create', { kind: 'company', name, country: 'CH', currency: 'CHF' });
  await k.ok('addresses.create', {
    organizationId: org.id,
    label: 'Buchhaltung',
    recipient: name,
    line1: 'Bahnhofstrasse 12',
    // Zürich: its documents (and so its messages) are in German.
    postalCode: '8001',
    city: 'Zürich',
    country: 'CH',
    email,
  });
  return org.id;
}

beforeAll(async () => {
  smtp = await startTestSmtp({ user: 'rechnungen', password: PASSWORD, refuse: /@refused\.example$/ });
  k = space.kontor({ secrets: environmentSecrets({ KONTOR_SMTP_PASSWORD: PASSWORD }) });
  await setUpProvider(k, { name: 'Treuhand Zürich AG' });
  kaeserei = await payer('Käserei Müller AG', 'buchhaltung@kaeserei-mueller.ch');
  noEmail = await payer('Ohne Post GmbH', null);
});

afterAll(async () => {
  await smtp.stop();
});

async function configure(port = smtp.port) {
  return k.ok('mail.saveSettings', {
    smtp: {
      host: '127.0.0.1',
      port,
      security: 'none',
      user: 'rechnungen',
      fromAddress: 'rechnungen@treuhand-zuerich.ch',
      fromName: 'Treuhand Zürich AG',
      replyTo: 'buchhaltung@treuhand-zuerich.ch',
    },
  });
}

describe('sending an invoice', () => {
  it('refuses to send before a server is set up, and says where to set it', async () => {
    const invoice = await issueInvoice(k, kaeserei, [line(180_000)]);
    const error = await k.fails('mail.send', { id: invoice.id }, 'mail_not_configured', { locale: 'de' });
    expect(error.message).toContain('Einstellungen → E-Mail');
    expect(count(k.raw, 'mail_outbox')).toBe(0);
  });

  it('keeps the password out of the database: here it comes from KONTOR_SMTP_PASSWORD', async () => {
    const settings = await configure();
    expect(settings.password).toEqual({
      source: 'environment',
      present: true,
      variable: 'KONTOR_SMTP_PASSWORD',
    });
    const error = await k.fails(
      'mail.saveSettings',
      { smtp: settings.smtp ?? fail(), password: 'typed-in-the-page' },
      'mail_password_in_environment',
      { locale: 'fr' },
    );
    expect(error.message).toContain('KONTOR_SMTP_PASSWORD');
    expect(error.message).toContain('variable d’environnement');
  });

  it('sends the PDF to the billing e-mail, in German, with UTF-8 names intact, logged in with the password', async () => {
    const invoice = await issueInvoice(k, kaeserei, [line(252_777)]);
    const preview = await k.ok('mail.preview', { id: invoice.id });
    expect(preview.to).toEqual(['buchhaltung@kaeserei-mueller.ch']);
    expect(preview.subject).toBe(`Rechnung ${invoice.number} von Treuhand Zürich AG`);
    expect(preview.body).toContain('Guten Tag Käserei Müller AG');
    expect(preview.attachments[0]?.mime).toBe('application/pdf');

    const before = smtp.received.length;
    const sent = await k.ok('mail.send', { id: invoice.id });
    expect(sent.status).toBe('sent');
    expect(smtp.received.length).toBe(before + 1);
    const received = smtp.received.at(-1);
    expect(received?.to).toEqual(['buchhaltung@kaeserei-mueller.ch']);
    expect(received?.from).toBe('rechnungen@treuhand-zuerich.ch');
    expect(received?.user).toBe('rechnungen');
    expect(smtp.logins.at(-1)).toEqual({ user: 'rechnungen', password: PASSWORD });

    // Headers travel as 7-bit encoded words; the parsed message has the umlauts back.
    const raw = received?.raw.toString('latin1') ?? '';
    const subjectHeader = raw.split(/\r\n(?![ \t])/).find((h) => h.startsWith('Subject:')) ?? '';
    expect(subjectHeader).toMatch(/=\?UTF-8\?/i);
    expect(subjectHeader).not.toMatch(/[^\x20-\x7e\r\n\t]/);
    const mail = await smtp.parse(smtp.received.length - 1);
    expect(mail.subject).toBe(`Rechnung ${invoice.number} von Treuhand Zürich AG`);
    expect(mail.from?.value[0]).toEqual({
      name: 'Treuhand Zürich AG',
      address: 'rechnungen@treuhand-zuerich.ch',
    });
    expect(mail.replyTo?.value[0]?.address).toBe('buchhaltung@treuhand-zuerich.ch');
    expect(mail.text).toContain('Käserei Müller AG');
    // The amount as the PDF writes it (VAT included): Swiss grouping for CHF.
    expect(mail.text).toContain(documentFormatter('de', 'CHF').money(invoice.grossMinor));
    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf');
    expect(pdf?.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfText(pdf?.content ?? Buffer.alloc(0))).toContain(invoice.number ?? '?');

    // The activity says it in words: the number, to whom, what; no id.
    const activity = await k.ok('activity.list', { action: 'mail.sent' });
    const row = activity.rows.find((r) => r.after?.number === invoice.number);
    expect(row?.after).toMatchObject({
      to: 'buchhaltung@kaeserei-mueller.ch',
      subject: `Rechnung ${invoice.number} von Treuhand Zürich AG`,
    });
    expect(JSON.stringify(row?.after)).not.toContain(invoice.id);
  });

  it('sends a credit note with its own template and the person’s edits', async () => {
    const invoice = await issueInvoice(k, kaeserei, [line(10_000)]);
    const note = await k.ok('invoices.creditNote', { invoiceId: invoice.id, notes: 'Doppelt verrechnet' });
    const issued = note.status === 'draft' ? await k.ok('invoices.issue', { id: note.id }) : note;
    const preview = await k.ok('mail.preview', { id: issued.id });
    expect(preview.subject).toBe(`Gutschrift ${issued.number} von Treuhand Zürich AG`);
    const sent = await k.ok('mail.send', {
      id: issued.id,
      to: ['chef@kaeserei-mueller.ch'],
      cc: ['buchhaltung@kaeserei-mueller.ch'],
      body: 'Grüezi Herr Müller — hier die Gutschrift.',
    });
    expect(sent.status).toBe('sent');
    const mail = await smtp.parse(smtp.received.length - 1);
    expect(smtp.received.at(-1)?.to).toEqual(['chef@kaeserei-mueller.ch', 'buchhaltung@kaeserei-mueller.ch']);
    expect(mail.text?.trim()).toBe('Grüezi Herr Müller — hier die Gutschrift.');
  });

  it('refuses a bad address with a translated sentence and queues nothing', async () => {
    const invoice = await issueInvoice(k, kaeserei, [line(5_000)]);
    const queued = count(k.raw, 'mail_outbox');
    const error = await k.fails(
      'mail.send',
      { id: invoice.id, to: ['müller at kaeserei'] },
      'mail_address_invalid',
      {
        locale: 'fr',
      },
    );
    expect(error.message).toBe(
      '« müller at kaeserei » n’est pas une adresse e-mail (elle devrait ressembler à nom@exemple.ch). Rien n’a été envoyé.',
    );
    // A subject carrying a line break would inject headers: refused at the door.
    await k.fails(
      'mail.send',
      { id: invoice.id, subject: 'Rechnung\r\nBcc: all@example.com' },
      'invalid_input',
    );
    expect(count(k.raw, 'mail_outbox')).toBe(queued);
  });

  it('records a recipient the server refuses as not sent, with its reason in words', async () => {
    const invoice = await issueInvoice(k, kaeserei, [line(6_000)]);
    const sent = await k.ok('mail.send', { id: invoice.id, to: ['niemand@refused.example'] });
    expect(sent.status).toBe('failed');
    expect(sent.problem?.code).toBe('mail_recipient_refused');
    const reason = translateError(sent.problem?.code ?? '', sent.problem?.params ?? {}, 'de');
    expect(reason).toContain('niemand@refused.example');
    expect(reason).toContain('No such mailbox');
  });

  it('waits in the outbox while the server is down and goes out once it is back', async () => {
    const invoice = await issueInvoice(k, kaeserei, [line(7_000)]);
    await smtp.stop();
    const before = smtp.received.length;
    const queued = await k.ok('mail.send', { id: invoice.id });
    expect(queued.status).toBe('queued');
    expect(queued.problem?.code).toBe('mail_server_unreachable');
    expect(translateError('mail_server_unreachable', queued.problem?.params ?? {}, 'en')).toContain(
      `127.0.0.1:${smtp.port}`,
    );
    // Not due yet: a round now tries nothing.
    await smtp.start();
    expect(await k.ok('mail.deliver', {})).toEqual({ sent: 0, waiting: 0, failed: 0 });
    k.clock.advance(31_000);
    expect(await k.ok('mail.deliver', {})).toEqual({ sent: 1, waiting: 0, failed: 0 });
    expect(smtp.received.length).toBe(before + 1);
    const [row] = await k.ok('mail.outbox', { documentId: invoice.id });
    expect(row).toMatchObject({ status: 'sent', attempts: 2, problem: null });
  });

  it('sends every unsent document of a period, reporting the one without an address', async () => {
    k.clock.advance(86_400_000);
    const a = await issueInvoice(k, kaeserei, [line(11_000)]);
    const b = await issueInvoice(k, noEmail, [line(12_000)]);
    const day = a.issuedOn ?? '';
    const dry = await k.ok('mail.sendUnsent', { issuedFrom: day, dryRun: true });
    expect(dry.wouldSend.sort()).toEqual([a.number, b.number].sort());
    const report = await k.ok('mail.sendUnsent', { issuedFrom: day });
    expect(report.queued.map((m) => [m.documentLabel, m.status])).toEqual([[a.number, 'sent']]);
    expect(report.skipped).toMatchObject([{ number: b.number, code: 'mail_no_recipient' }]);
    // Sent once: a second run finds only the one still without an address.
    const again = await k.ok('mail.sendUnsent', { issuedFrom: day, dryRun: true });
    expect(again.wouldSend).toEqual([b.number]);
  });

  it('sends a payment reminder with its PDF, from the reminder template', async () => {
    const invoice = await issueInvoice(k, kaeserei, [line(45_000)]);
    await k.ok('reminders.run', { date: '2026-06-30', organizationId: kaeserei });
    const reminderId = `rm:${invoice.id}:1`;
    const preview = await k.ok('mail.preview', { reminderId });
    expect(preview.subject).toBe(`Zahlungserinnerung: Rechnung ${invoice.number} von Treuhand Zürich AG`);
    expect(preview.to).toEqual(['buchhaltung@kaeserei-mueller.ch']);
    const sent = await k.ok('mail.send', { reminderId });
    expect(sent).toMatchObject({ status: 'sent', kind: 'reminder', documentId: invoice.id });
    const mail = await smtp.parse(smtp.received.length - 1);
    expect(mail.subject).toBe(preview.subject);
    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf');
    expect(pdf?.filename).toBe(`reminder-1-${invoice.number}.pdf`);
    const text = pdfText(pdf?.content ?? Buffer.alloc(0));
    expect(text).toContain(invoice.number ?? '?');
    expect(text).toContain('1. Mahnung');
    // A reminder mailed is not the invoice itself sent: the invoice still counts as unsent.
    const unsent = await k.ok('mail.sendUnsent', { issuedFrom: invoice.issuedOn ?? '', dryRun: true });
    expect(unsent.wouldSend).toContain(invoice.number);
  });

  it('sends a statement of account: every open invoice and the total open, in the customer’s language', async () => {
    const preview = await k.ok('mail.preview', { statementFor: kaeserei });
    expect(preview.subject).toBe('Kontoübersicht von Treuhand Zürich AG');
    expect(preview.to).toEqual(['buchhaltung@kaeserei-mueller.ch']);
    const open = (
      await k.ok('invoices.list', {
        organizationId: kaeserei,
        statuses: ['unpaid', 'partially_paid'],
        limit: 500,
      })
    ).rows;
    expect(open.length).toBeGreaterThan(3);
    const sent = await k.ok('mail.send', { statementFor: kaeserei });
    expect(sent).toMatchObject({
      status: 'sent',
      kind: 'statement',
      documentId: null,
      organizationId: kaeserei,
    });
    const mail = await smtp.parse(smtp.received.length - 1);
    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf');
    const text = pdfText(pdf?.content ?? Buffer.alloc(0));
    expect(text).toContain('Kontoübersicht');
    for (const row of open) expect(text).toContain(row.number ?? '?');
    const total = open.reduce((sum, r) => sum + r.grossMinor - r.paidMinor, 0);
    // pdftotext gives the formatter's no-break space back as a plain one.
    expect(text.replace(/\s/g, ' ')).toContain(
      documentFormatter('de', 'CHF').money(total).replace(/\s/g, ' '),
    );
    // The activity line is the organization's.
    const activity = await k.ok('activity.list', { action: 'mail.sent', organizationId: kaeserei });
    expect(activity.rows[0]).toMatchObject({ entity: 'organizations', entityId: kaeserei });
  });

  it('refuses to send a draft', async () => {
    const draft = await k.ok('invoices.create', { organizationId: kaeserei, lines: [line(1_000)] });
    await k.fails('mail.send', { id: draft.id }, 'mail_draft');
  });
});

describe('templates', () => {
  it('refuses a misspelt placeholder, naming it, and uses the edited template', async () => {
    const error = await k.fails(
      'mail.saveTemplate',
      { kind: 'invoice', locale: 'de', subject: 'Rechnung {nummer}', body: 'x' },
      'mail_template_placeholder',
      { locale: 'de' },
    );
    expect(error.message).toContain('{nummer}');
    await k.ok('mail.saveTemplate', {
      kind: 'invoice',
      locale: 'de',
      subject: 'Ihre Rechnung {number} über {amount}',
      body: 'Fällig am {dueDate}.',
    });
    const invoice = await issueInvoice(k, kaeserei, [line(180_000)]);
    const preview = await k.ok('mail.preview', { id: invoice.id });
    expect(preview.subject).toBe(
      `Ihre Rechnung ${invoice.number} über ${documentFormatter('de', 'CHF').money(invoice.grossMinor)}`,
    );
    const listed = await k.ok('mail.templates', {});
    expect(listed.templates.find((t) => t.kind === 'invoice' && t.locale === 'de')?.custom).toBe(true);
    await k.ok('mail.resetTemplate', { kind: 'invoice', locale: 'de' });
    expect((await k.ok('mail.preview', { id: invoice.id })).subject).toBe(
      `Rechnung ${invoice.number} von Treuhand Zürich AG`,
    );
  });
});

describe('kontor send', () => {
  it('sends an invoice by number from the command line, the password from the environment', async () => {
    await configure();
    const invoice = await issueInvoice(k, kaeserei, [line(9_900)]);
    const before = smtp.received.length;
    // Asynchronously: the SMTP server answering the CLI runs in this very process.
    const run = async (args: string[], password = PASSWORD) => {
      try {
        const { stdout, stderr } = await execFileAsync(
          process.execPath,
          [path.join(REPO_ROOT, 'bin', 'kontor.js'), '--db', k.file, ...args],
          { encoding: 'utf8', env: { ...process.env, KONTOR_DB: '', KONTOR_SMTP_PASSWORD: password } },
        );
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    };
    const sent = await run(['send', invoice.number ?? '', '--to', 'cli@kaeserei-mueller.ch']);
    expect(sent, sent.stdout + sent.stderr).toMatchObject({ code: 0 });
    expect(sent.stdout).toContain(`sent ${invoice.number} to cli@kaeserei-mueller.ch`);
    expect(smtp.received.length).toBe(before + 1);
    expect(smtp.received.at(-1)?.to).toEqual(['cli@kaeserei-mueller.ch']);

    const wrong = await run(['--locale', 'de', 'send', invoice.number ?? '', '--json'], 'falsch');
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout).problem.code).toBe('mail_auth_failed');

    const bad = await run(['--locale', 'de', 'send', invoice.number ?? '', '--to', 'kein-postfach']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('«kein-postfach» ist keine E-Mail-Adresse');
  }, 60_000);

  it('never writes the password into the database file', () => {
    inspect(k.file, (db) => db.pragma('wal_checkpoint(TRUNCATE)'));
    expect(fs.readFileSync(k.file).includes(Buffer.from(PASSWORD))).toBe(false);
  });
});

function fail(): never {
  throw new Error('no SMTP settings');
}
