import { z } from 'zod';
import { Id, IsoDate } from './common.schema';
import { DOCUMENT_LOCALES, MAIL_DOCUMENT_KINDS, SMTP_SECURITY } from './enums';

/**
 * An e-mail address as typed: only its length is checked here, because a bad address must be
 * refused with its own sentence (mail_address_invalid, naming it) by the mail service rather
 * than as a generic invalid input.
 */
export const MailAddressText = z.string().trim().min(1).max(320);
/** One line: a subject with a line break would let a page inject mail headers. */
const OneLine = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !/[\r\n]/.test(s), { message: 'one line, no line break' });

/** The firm's outgoing mail server. The password is not here: it lives in the OS keychain or the environment. */
export const SmtpSettings = z.object({
  // A host name or an IP literal, nothing a URL could smuggle in.
  host: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.:\-[\]]+$/, 'a host name such as mail.example.ch'),
  port: z.number().int().min(1).max(65535),
  security: z.enum(SMTP_SECURITY),
  user: OneLine(200).nullish(),
  fromAddress: MailAddressText,
  fromName: OneLine(200).nullish(),
  replyTo: MailAddressText.nullish(),
  /**
   * Encrypt even when the server's certificate is not one this computer trusts (self-signed,
   * on the firm's own server). Off unless the person turns it on: such a connection no longer
   * proves it reaches that server. Absent means off.
   */
  allowUntrustedCertificate: z.boolean().optional(),
});
export type SmtpSettings = z.infer<typeof SmtpSettings>;

export const SaveMailSettings = z.object({
  smtp: SmtpSettings,
  /** A new password (kept in the keychain), null to forget it, absent to keep the one there is. */
  password: z.string().max(1000).nullish(),
});

/** The settings as typed in the page, tried before (or without) saving them. */
export const CheckMailServer = z.object({
  smtp: SmtpSettings,
  /** A password typed but not saved yet (the keychain's); absent: the one this machine holds. */
  password: z.string().max(1000).nullish(),
});

export const MailTemplateKey = z.object({
  kind: z.enum(MAIL_DOCUMENT_KINDS),
  locale: z.enum(DOCUMENT_LOCALES),
});
export const SaveMailTemplate = MailTemplateKey.extend({
  subject: OneLine(300).pipe(z.string().min(1)),
  body: z.string().max(20_000),
});
export type MailTemplateKeyInput = z.infer<typeof MailTemplateKey>;

const DocumentFields = {
  /** An issued invoice or credit note, by id… */
  id: Id.optional(),
  /** …or by its number (with its issuer when two share it)… */
  number: z.string().trim().min(1).max(64).optional(),
  issuerOrganizationId: Id.optional(),
  /** …or a payment reminder (reminders.*)… */
  reminderId: Id.optional(),
  /** …or the statement of account of this organization (what it owes today). */
  statementFor: Id.optional(),
};
const oneDocument = (v: { id?: string; number?: string; reminderId?: string; statementFor?: string }) =>
  [v.id, v.number, v.reminderId, v.statementFor].filter(Boolean).length === 1;
const ONE_DOCUMENT = {
  message: 'one document: its id, its number, a reminder id or an organization’s statement',
};

/** The message as the Send dialog shows it before sending (template filled in). */
export const PreviewMail = z.object(DocumentFields).refine(oneDocument, ONE_DOCUMENT);

/** Send one document: the template's message unless the person edited it. */
export const SendDocumentMail = z
  .object({
    ...DocumentFields,
    to: z.array(MailAddressText).max(20).optional(),
    cc: z.array(MailAddressText).max(20).optional(),
    subject: OneLine(300).optional(),
    body: z.string().max(20_000).optional(),
    /** Attach the e-invoice (XML, or Factur-X in place of the PDF) when the document has one. */
    attachEinvoice: z.boolean().default(true),
  })
  .refine(oneDocument, ONE_DOCUMENT);

/** Every issued invoice and credit note not yet sent from this device (a billing run's invoices). */
export const SendUnsent = z.object({
  organizationId: Id.optional(),
  issuedFrom: IsoDate.optional(),
  issuedTo: IsoDate.optional(),
  /** List what would be sent, send nothing. */
  dryRun: z.boolean().default(false),
});

export const ListOutbox = z.object({
  documentId: Id.optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
export const OutboxMessageRef = z.object({ id: Id });
