import { z } from 'zod';
import { fail } from '#common/errors';

// zod's e-mail rule (the HTML5 "valid e-mail address" shape, ASCII): what a person types in a
// To field. An address outside it is refused before anything is queued, naming the address.
const Email = z.email();

export function checkAddress(address: string): string {
  const trimmed = address.trim();
  if (!Email.safeParse(trimmed).success) fail('mail_address_invalid', { address: trimmed });
  return trimmed;
}
