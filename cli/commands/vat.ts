import { createInterface } from 'node:readline';
import { checkSwissUid, checkTaxId, type VatCheck } from '#common/vat';
import type { CliContext } from '../main';
import { UsageError } from '../usage';

/** Checks one number, with or without a country prefix; CHE… is a Swiss UID. */
export function checkAny(number: string): VatCheck {
  const compact = number
    .trim()
    .toUpperCase()
    .replace(/[\s.-]/g, '');
  if (compact.startsWith('CHE')) return checkSwissUid(number);
  const prefix = compact.slice(0, 2);
  return checkTaxId(number, prefix === 'EL' ? 'GR' : prefix);
}

export async function runVat(ctx: CliContext): Promise<number> {
  const [sub, ...numbers] = ctx.args;
  if (sub !== 'check' || numbers.length === 0) throw new UsageError('usage: kontor vat check <number>… | -');
  let inputs = numbers;
  if (numbers.length === 1 && numbers[0] === '-') {
    inputs = [];
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
      if (line.trim()) inputs.push(line.trim());
    }
  }
  let allValid = true;
  for (const number of inputs) {
    const check = checkAny(number);
    if (check.valid) ctx.out(`valid ${check.normalized}`);
    else {
      allValid = false;
      ctx.out(`invalid ${check.reason}`);
    }
  }
  return allValid ? 0 : 1;
}
