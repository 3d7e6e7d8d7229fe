import { z } from 'zod';
import { isCountryCode } from './countries';
import { CURRENCIES } from './money';

export const Id = z.string().min(1).max(64);
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected yyyy-mm-dd')
  .refine(
    (s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    },
    { message: 'not a calendar date' },
  );
export const Country = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .refine(isCountryCode, { message: 'unknown country code' });
export const CurrencyCode = z.enum(CURRENCIES);
export const Color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour like #2563eb');
export const Name = z.string().trim().min(1).max(200);
export const PageLimit = z.number().int().min(1).max(1000).default(200);

/**
 * The organization a call acts as (a partner, a client): the answer holds only what it may
 * see (core/services/visibility.ts). Absent: the whole book, the firm's accountant view.
 */
export const ActingOrganizationId = Id.optional();
