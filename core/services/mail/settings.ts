// The firm's outgoing mail: the SMTP server (device-local app_settings, like every setting of
// this machine: the server and its password belong to the machine that sends) and the message
// templates per document kind and language. The password never enters the database: it goes
// to the SecretStore the host gave (./secrets.ts).
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { appSettings } from '#db/schema/index';
import {
  DOCUMENT_LOCALES,
  type DocumentLocale,
  MAIL_DOCUMENT_KINDS,
  type MailDocumentKind,
} from '#common/enums';
import { fail } from '#common/errors';
import {
  DEFAULT_MAIL_TEMPLATES,
  MAIL_PLACEHOLDERS,
  type MailTemplate,
  unknownPlaceholders,
} from '#common/i18n/mail';
import {
  type MailTemplateKeyInput,
  type SaveMailSettings,
  type SaveMailTemplate,
  SmtpSettings,
} from '#common/mail.schema';
import type { Ctx } from '../context';
import { environmentSecrets, SECRET_VARIABLES, type SecretStore } from './secrets';
import { checkAddress } from './addresses';

const SMTP_KEY = 'mail.smtp';
const TEMPLATES_KEY = 'mail.templates';

export interface MailSettingsView {
  smtp: SmtpSettings | null;
  password: {
    source: SecretStore['kind'];
    present: boolean;
    /** Where the CLI and the web host read it from. */
    variable: string;
  };
}

export function secretsOf(ctx: Ctx): SecretStore {
  return ctx.host?.secrets ?? environmentSecrets();
}

function readSetting(ctx: Ctx, key: string): unknown {
  return ctx.db.select().from(appSettings).where(eq(appSettings.key, key)).get()?.value ?? null;
}

function writeSetting(ctx: Ctx, key: string, value: unknown): void {
  ctx.db
    .insert(appSettings)
    .values({ key, value })
    .onConflictDoUpdate({ target: appSettings.key, set: { value } })
    .run();
}

/** The stored SMTP settings, or null when none are (or what is stored no longer parses). */
export function smtpSettings(ctx: Ctx): SmtpSettings | null {
  const parsed = SmtpSettings.safeParse(readSetting(ctx, SMTP_KEY));
  return parsed.success ? parsed.data : null;
}

export function getMailSettings(ctx: Ctx): MailSettingsView {
  const secrets = secretsOf(ctx);
  return {
    smtp: smtpSettings(ctx),
    password: {
      source: secrets.kind,
      present: !!secrets.get('smtpPassword'),
      variable: SECRET_VARIABLES.smtpPassword,
    },
  };
}

export function saveMailSettings(ctx: Ctx, input: z.output<typeof SaveMailSettings>): MailSettingsView {
  checkAddress(input.smtp.fromAddress);
  if (input.smtp.replyTo) checkAddress(input.smtp.replyTo);
  // The password first: when the keychain refuses, no half-saved settings stay behind.
  if (input.password !== undefined) secretsOf(ctx).set('smtpPassword', input.password || null);
  writeSetting(ctx, SMTP_KEY, input.smtp);
  return getMailSettings(ctx);
}

type StoredTemplates = Partial<Record<MailDocumentKind, Partial<Record<DocumentLocale, MailTemplate>>>>;

function storedTemplates(ctx: Ctx): StoredTemplates {
  const value = readSetting(ctx, TEMPLATES_KEY);
  return value && typeof value === 'object' ? (value as StoredTemplates) : {};
}

export function mailTemplate(ctx: Ctx, kind: MailDocumentKind, locale: DocumentLocale): MailTemplate {
  return storedTemplates(ctx)[kind]?.[locale] ?? DEFAULT_MAIL_TEMPLATES[kind][locale];
}

export interface MailTemplateView extends MailTemplate {
  kind: MailDocumentKind;
  locale: DocumentLocale;
  /** Edited by the firm (false: the default, which follows new versions). */
  custom: boolean;
}

export function listMailTemplates(ctx: Ctx): {
  templates: MailTemplateView[];
  placeholders: readonly string[];
} {
  const stored = storedTemplates(ctx);
  const templates = MAIL_DOCUMENT_KINDS.flatMap((kind) =>
    DOCUMENT_LOCALES.map((locale) => {
      const own = stored[kind]?.[locale];
      return { kind, locale, ...(own ?? DEFAULT_MAIL_TEMPLATES[kind][locale]), custom: !!own };
    }),
  );
  return { templates, placeholders: MAIL_PLACEHOLDERS };
}

export function saveMailTemplate(ctx: Ctx, input: z.output<typeof SaveMailTemplate>): MailTemplateView {
  // A misspelt placeholder would reach the customer as "{nummer}": refused, naming it.
  const unknown = unknownPlaceholders(`${input.subject}\n${input.body}`);
  if (unknown.length > 0)
    fail('mail_template_placeholder', {
      names: unknown.map((n) => `{${n}}`).join(', '),
      known: MAIL_PLACEHOLDERS.map((n) => `{${n}}`).join(', '),
    });
  const stored = storedTemplates(ctx);
  stored[input.kind] = {
    ...stored[input.kind],
    [input.locale]: { subject: input.subject, body: input.body },
  };
  writeSetting(ctx, TEMPLATES_KEY, stored);
  return { kind: input.kind, locale: input.locale, subject: input.subject, body: input.body, custom: true };
}

export function resetMailTemplate(ctx: Ctx, input: MailTemplateKeyInput): MailTemplateView {
  const stored = storedTemplates(ctx);
  if (stored[input.kind]) delete stored[input.kind]?.[input.locale];
  writeSetting(ctx, TEMPLATES_KEY, stored);
  return { ...input, ...DEFAULT_MAIL_TEMPLATES[input.kind][input.locale], custom: false };
}
