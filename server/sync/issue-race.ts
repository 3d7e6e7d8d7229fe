import crypto from 'node:crypto';
import type { ChangeResult } from '#common/sync/protocol';
import { parseJson } from './stored-json';

// Issuing is a command whose result is final (SYNC.md, HUB.md "Issued documents"):
// - An issue is a group of one device write of an invoice whose status leaves draft; it
//   carries the whole document (every field, its lines, no tombstone) under one HLC.
// - The first issue of an invoice the hub receives wins, whatever the clocks say: it applies
//   whole, over any draft edit or delete however new its timestamp.
// - A later issue of the same invoice loses: refused (`invoice_issue_lost`, with both numbers)
//   and its number, consumed on its device, becomes a void of its series (invoice_voids),
//   written by the hub for every device that sees the invoice.
// - Any other change to an issued invoice is refused (`invoice_issued_immutable`), older or
//   newer: a draft edit or delete that lost to an issue comes back to its author visibly.
// Devices apply the same rule (db/sync/issue-apply.ts): what the hub relays is the winner.

export interface Part {
  index: number;
  column: string;
  value: string | null;
}

export interface CurrentField {
  value: string | null;
  hlc: string;
}

export type InvoiceVerdict =
  | { kind: 'normal' }
  | { kind: 'issue' }
  | { kind: 'superseded' }
  | { kind: 'refuse'; result: ChangeResult; voided: VoidRow | null };

export interface VoidRow {
  id: string;
  created_at: string;
  hlc: string;
  issuer_organization_id: string;
  organization_id: string;
  invoice_id: string;
  kind: string;
  series: string;
  sequence: number;
  number: string;
  voided_on: string;
  reason: 'issue_lost_race';
  winning_number: string | null;
  device_id: string;
}

const decode = parseJson;

const issued = (status: unknown) => typeof status === 'string' && status !== 'draft';

/** A stable id for the void of one number: the same lost issue sent twice voids it once. */
export function voidId(issuerId: string, number: string): string {
  const h = crypto.createHash('sha256').update(`void\u0000${issuerId}\u0000${number}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * How the hub takes one device write of one invoice. `logged` says whether this exact change
 * (column at this HLC) is already in the hub's log: a replay, never a new write.
 */
export async function judgeInvoiceGroup(input: {
  rowId: string;
  hlc: string;
  deviceId: string;
  parts: readonly Part[];
  current: ReadonlyMap<string, CurrentField>;
  logged: (column: string) => Promise<boolean>;
  hubHlc: string;
  now: number;
}): Promise<InvoiceVerdict> {
  const { parts, current, hlc } = input;
  const mine = new Map(parts.map((p) => [p.column, decode(p.value)]));
  const isIssue = issued(mine.get('status'));
  const statusNow = decode(current.get('status')?.value);
  if (!issued(statusNow)) return isIssue ? { kind: 'issue' } : { kind: 'normal' };

  // Issued on the hub already: only a replay of what it holds goes through.
  const fresh: Part[] = [];
  for (const p of parts) {
    const cur = current.get(p.column);
    if (cur && cur.hlc === hlc) continue;
    if (await input.logged(p.column)) continue;
    fresh.push(p);
  }
  if (fresh.length === 0) return { kind: 'normal' };
  const winningNumber = decode(current.get('number')?.value);
  if (isIssue) {
    const number = mine.get('number');
    const series = mine.get('series');
    const sequence = mine.get('sequence');
    const issuer = mine.get('issuer_organization_id') ?? decode(current.get('issuer_organization_id')?.value);
    const payer = mine.get('organization_id') ?? decode(current.get('organization_id')?.value);
    const kind = mine.get('kind') ?? decode(current.get('kind')?.value);
    const voided =
      typeof number === 'string' &&
      typeof series === 'string' &&
      typeof sequence === 'number' &&
      typeof issuer === 'string' &&
      typeof payer === 'string' &&
      number !== winningNumber
        ? {
            id: voidId(issuer, number),
            created_at: new Date(input.now).toISOString(),
            hlc: input.hubHlc,
            issuer_organization_id: issuer,
            organization_id: payer,
            invoice_id: input.rowId,
            kind: typeof kind === 'string' ? kind : 'invoice',
            series,
            sequence,
            number,
            voided_on: String(mine.get('issued_on') ?? new Date(input.now).toISOString().slice(0, 10)),
            reason: 'issue_lost_race' as const,
            winning_number: typeof winningNumber === 'string' ? winningNumber : null,
            device_id: input.deviceId,
          }
        : null;
    if (number === winningNumber && typeof number === 'string') return { kind: 'normal' };
    return {
      kind: 'refuse',
      result: {
        outcome: 'rejected',
        hubSeq: null,
        reason: 'invoice_issue_lost',
        detail: {
          invoiceId: input.rowId,
          number: typeof number === 'string' ? number : '',
          winningNumber: typeof winningNumber === 'string' ? winningNumber : '',
        },
      },
      voided,
    };
  }
  // A draft edit or delete after (or, by the clocks, before) the issue: the issue stands.
  const changed = fresh.filter(
    (p) => JSON.stringify(decode(p.value)) !== JSON.stringify(decode(current.get(p.column)?.value)),
  );
  if (changed.length === 0) return { kind: 'superseded' };
  if (changed.some((p) => p.column === 'status'))
    return {
      kind: 'refuse',
      result: {
        outcome: 'rejected',
        hubSeq: null,
        reason: 'invoice_status_backwards',
        detail: { from: statusNow, to: mine.get('status') ?? null },
      },
      voided: null,
    };
  return {
    kind: 'refuse',
    result: {
      outcome: 'rejected',
      hubSeq: null,
      reason: 'invoice_issued_immutable',
      detail: {
        columns: changed.map((p) => p.column),
        winningNumber: typeof winningNumber === 'string' ? winningNumber : '',
        invoiceId: input.rowId,
      },
    },
    voided: null,
  };
}
