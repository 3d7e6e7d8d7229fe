// Talking to the firm's SMTP server (nodemailer), and reading its failures: whether the message
// should wait and be tried again (the server cannot be reached, or says "later"), or was
// refused for good (a recipient, the message, the login) with a reason the person can act on.
import nodemailer, { type NodemailerError } from 'nodemailer';
import type { ErrorCode } from '#common/errors';
import type { SmtpSettings } from '#common/mail.schema';

export interface Envelope {
  from: string;
  to: string[];
}

export interface SmtpSender {
  send(envelope: Envelope, message: Buffer): Promise<{ response: string }>;
  /** Connects, secures and logs in as a send would, then says goodbye: nothing is sent. */
  verify(): Promise<void>;
  close(): void;
}

/**
 * One connection's worth of sending. Timeouts are short on purpose: a machine offline should
 * learn it in seconds and leave the message queued, not hold the Send dialog for minutes.
 */
export function smtpSender(smtp: SmtpSettings, password: string | null): SmtpSender {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    auth: smtp.user ? { user: smtp.user, pass: password ?? '' } : undefined,
    // Only when the person allowed it in Settings; otherwise Node checks the chain and the name.
    tls: smtp.allowUntrustedCertificate ? { rejectUnauthorized: false } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(envelope, message) {
      const info = await transport.sendMail({
        envelope: { from: envelope.from, to: envelope.to },
        raw: message,
      });
      return { response: info.response };
    },
    async verify() {
      await transport.verify();
    },
    close: () => transport.close(),
  };
}

export interface DeliveryFailure {
  /** true: wait and try again; false: refused for good, until the person changes something. */
  retry: boolean;
  code: Extract<ErrorCode, `mail_${string}`>;
  params: Record<string, string | number>;
}

/**
 * What Node's TLS says when it does not trust the server's certificate (OpenSSL's verify codes
 * and Node's name check). Such a failure waits for the person, not for a retry: the same
 * certificate comes back every time.
 */
const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The server's own words, one line and short: shown to the person beside the translated reason. */
function serverSaid(error: NodemailerError): string {
  return (error.response ?? error.message ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
}

export function classifyFailure(error: unknown, smtp: SmtpSettings): DeliveryFailure {
  const e = (error ?? {}) as NodemailerError;
  const host = `${smtp.host}:${smtp.port}`;
  if (UNTRUSTED_CERTIFICATE.has(e.originalCode ?? '') || UNTRUSTED_CERTIFICATE.has(e.code ?? ''))
    return {
      retry: false,
      code: 'mail_certificate_untrusted',
      // Node's own sentence ("self-signed certificate", "certificate has expired"), as the
      // other failures show the server's.
      params: { host, reason: (e.message ?? e.originalCode ?? '').replace(/\s+/g, ' ').trim().slice(0, 300) },
    };
  switch (e.code) {
    case 'EAUTH':
    case 'ENOAUTH':
      return { retry: false, code: 'mail_auth_failed', params: { host, response: serverSaid(e) } };
    case 'ETLS':
    case 'EREQUIRETLS':
      return { retry: false, code: 'mail_tls_failed', params: { host, response: serverSaid(e) } };
    case 'EENVELOPE':
      if (e.permanent !== false && e.rejected?.length)
        return {
          retry: false,
          code: 'mail_recipient_refused',
          params: { address: e.rejected.join(', '), response: serverSaid(e) },
        };
      break;
  }
  // "4xx: try later" and a dropped or refused connection wait; a 5xx is the server's final word.
  if (e.responseCode !== undefined && e.permanent)
    return { retry: false, code: 'mail_rejected', params: { response: serverSaid(e) } };
  if (e.responseCode !== undefined)
    return { retry: true, code: 'mail_deferred', params: { response: serverSaid(e) } };
  return {
    retry: true,
    code: 'mail_server_unreachable',
    params: { host, reason: e.originalCode ?? e.code ?? '' },
  };
}
