import type { MethodOutput } from '../../api/client';

export type Partnership = MethodOutput<'partners.list'>[number];
export type Dashboard = MethodOutput<'partners.dashboard'>;
export type Notice = Dashboard['notices'][number];
export type QuoteResult = MethodOutput<'partners.quote'>;

export const ACCESS = ['limited', 'complete'] as const;
export const PAYMENT = ['client', 'partner'] as const;
export const STATUSES = ['invited', 'active', 'refused', 'withdrawn', 'ended'] as const;
export type Access = (typeof ACCESS)[number];
export type Payment = (typeof PAYMENT)[number];
export type Status = (typeof STATUSES)[number];

/** A calendar day as yyyy-mm-dd in UTC, for date inputs and API periods. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The current month's first and last day: the export's default period. */
export function thisMonth(now = new Date()): { from: string; to: string } {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0));
  return { from: isoDay(from), to: isoDay(to) };
}
