// "Test the connection" in Settings → E-mail: the settings as typed (saved or not) and the
// password this machine holds, tried the way a send goes — connect, TLS, login — with nothing
// sent. The person learns of a wrong port, password or an untrusted certificate there, not
// when the first invoice stays in the outbox.
import type { z } from 'zod';
import type { CheckMailServer } from '#common/mail.schema';
import type { Ctx } from '../context';
import { checkAddress } from './addresses';
import { secretsOf } from './settings';
import { classifyFailure, smtpSender } from './transport';

export interface MailServerCheck {
  /** host:port, as the sentences name it. */
  server: string;
  /** null: connected, secured as asked and logged in. */
  problem: { code: string; params: Record<string, string | number> } | null;
}

export async function checkMailServer(
  ctx: Ctx,
  input: z.output<typeof CheckMailServer>,
): Promise<MailServerCheck> {
  const { smtp } = input;
  checkAddress(smtp.fromAddress);
  const server = `${smtp.host}:${smtp.port}`;
  const sender = smtpSender(smtp, input.password || secretsOf(ctx).get('smtpPassword'));
  try {
    await sender.verify();
    return { server, problem: null };
  } catch (error) {
    const failure = classifyFailure(error, smtp);
    return { server, problem: { code: failure.code, params: failure.params } };
  } finally {
    sender.close();
  }
}
