import type { z } from 'zod';
import type { Ctx } from '../services/context';

export interface MethodDef<I extends z.ZodType = z.ZodType, R = unknown> {
  input: I;
  run: (ctx: Ctx, input: z.output<I>) => R | Promise<R>;
  /** Read-only methods can run while a restore or a migration is in hand; mutations announce a change. */
  mutates: boolean;
  summary: string;
}

export function query<I extends z.ZodType, R>(
  input: I,
  summary: string,
  run: (ctx: Ctx, input: z.output<I>) => R | Promise<R>,
): MethodDef<I, R> {
  return { input, run, mutates: false, summary };
}

export function mutation<I extends z.ZodType, R>(
  input: I,
  summary: string,
  run: (ctx: Ctx, input: z.output<I>) => R | Promise<R>,
): MethodDef<I, R> {
  return { input, run, mutates: true, summary };
}

export type ApiSection = Record<string, MethodDef>;
