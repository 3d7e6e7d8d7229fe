// Checks of command-line values that speak the user's language: a bad flag is a usage error
// (exit 2) whose message comes from the same catalogue as the API's errors.
import { DOCUMENT_LOCALES, type DocumentLocale } from '#common/enums';
import type { ErrorCode, ErrorParams } from '#common/errors';
import { parseAmount } from '#common/money';
import { translateError } from '#common/i18n/errors';
import { resolveLocale } from '#common/i18n/locale';
import type { CliContext } from './main';
import { UsageError } from './usage';

export function usageError(ctx: CliContext, code: ErrorCode, params: ErrorParams = {}): UsageError {
  return new UsageError(translateError(code, params, resolveLocale(ctx.locale)));
}

export function required(ctx: CliContext, option: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw usageError(ctx, 'cli_option_missing', { option });
  return value.trim();
}

export function oneOf<T extends string>(
  ctx: CliContext,
  option: string,
  value: string,
  allowed: readonly T[],
): T {
  if (!(allowed as readonly string[]).includes(value))
    throw usageError(ctx, 'cli_option_invalid', { option, value, expected: allowed.join(', ') });
  return value as T;
}

/** Values given as repeated flags, commas allowed: `--client A --client B,C`. */
export function listOf(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

export function isoDate(ctx: CliContext, option: string, value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value))
    throw usageError(ctx, 'cli_option_invalid', { option, value, expected: 'yyyy-mm-dd' });
  return value;
}

export function positiveInteger(ctx: CliContext, option: string, value: string, max: number): number {
  const n = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= max))
    throw usageError(ctx, 'cli_option_invalid', { option, value, expected: `1–${max}` });
  return n;
}

/** An amount typed by a person, to exact minor units ("9.92", "1'234,50"); never negative. */
export function amountMinor(ctx: CliContext, option: string, value: string): number {
  const minor = parseAmount(value);
  if (minor === null || minor < 0) throw usageError(ctx, 'cli_amount_invalid', { option, value });
  return minor;
}

/** A percentage with at most two decimals ("20", "12.5", "7,75 %") to exact basis points. */
export function percentBp(ctx: CliContext, option: string, value: string, maxPercent: number): number {
  const match = /^(\d{1,3})(?:[.,](\d{1,2}))?\s*%?$/.exec(value.trim());
  const bp = match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : Number.NaN;
  if (!(bp >= 0 && bp <= maxPercent * 100))
    throw usageError(ctx, 'cli_percent_invalid', { option, value, max: maxPercent });
  return bp;
}

/**
 * The language a document or export is written in (`--locale-doc`): one of DOCUMENT_LOCALES,
 * refused otherwise (an unknown value once fell back to English without a word, and `it` was
 * dropped although documents speak Italian). Absent: undefined, the service's own rule decides.
 */
export function documentLocale(ctx: CliContext, value: string | undefined): DocumentLocale | undefined {
  return value === undefined ? undefined : oneOf(ctx, 'locale-doc', value, DOCUMENT_LOCALES);
}

/** `--locale-doc`, else the caller's own language when documents speak it, else English. */
export function documentLocaleOr(ctx: CliContext, value: string | undefined): DocumentLocale {
  const own = ctx.locale.slice(0, 2);
  return (
    documentLocale(ctx, value) ??
    ((DOCUMENT_LOCALES as readonly string[]).includes(own) ? (own as DocumentLocale) : 'en')
  );
}
