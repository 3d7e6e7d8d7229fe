import { formatHlc, parseHlc } from '#db/sync/hlc';
import { issuerCodeOf, type NumberedKind, numbering, SERIES_PREFIX } from '#common/invoice-numbering';
import { decode, fieldsOf, key, type PushBatch, type RowState } from './push-state';

// Numbers at sync: an organization that lets the hub number its invoices gets the next number
// of its one continuous series when an issued invoice without one reaches the hub.

/** The series code of an organization's one continuous series numbered by the hub. */
export const HUB_SERIES_CODE = '000000';

/** The issuer's invoice code as the hub knows it (its own field, or inside its first write). */
async function issuerCode(b: PushBatch, issuerId: string): Promise<string> {
  const inBatch = b.rows.get(key('organizations', issuerId));
  if (inBatch) {
    const code = fieldsOf(inBatch).invoice_code;
    return issuerCodeOf({ id: issuerId, invoiceCode: typeof code === 'string' ? code : null });
  }
  const stored = await b.sql.all<{ column_name: string; value: string | null }>(
    "SELECT column_name, value FROM hub_fields WHERE table_name = 'organizations' AND row_id = ? AND column_name IN ('invoice_code', '*')",
    [issuerId],
  );
  const own = stored.find((r) => r.column_name === 'invoice_code');
  const star = stored.find((r) => r.column_name === '*');
  const starCode = star ? (decode(star.value) as { invoice_code?: unknown } | null)?.invoice_code : undefined;
  const chosen = own ? decode(own.value) : starCode;
  return issuerCodeOf({ id: issuerId, invoiceCode: typeof chosen === 'string' ? chosen : null });
}

export async function numberAtSync(b: PushBatch, state: RowState) {
  const f = fieldsOf(state);
  if (f.status === 'draft' || f.status === undefined || (f.number !== null && f.number !== undefined)) return;
  const issuer = typeof f.issuer_organization_id === 'string' ? f.issuer_organization_id : null;
  if (!issuer) return;
  const setting = await b.sql.all<{ numbering: string }>(
    'SELECT numbering FROM hub_org_settings WHERE organization_id = ?',
    [issuer],
  );
  if (setting[0]?.numbering !== 'at_sync') return;
  const kind = (String(f.kind) in SERIES_PREFIX ? f.kind : 'invoice') as NumberedKind;
  const year = String(f.issued_on ?? '').slice(0, 4) || String(new Date(b.now).getUTCFullYear());
  // The counter keeps the name it had before numbers carried the issuer's code: its
  // sequence runs on, so the references minted from it never repeat.
  const name = `series:${issuer}:${SERIES_PREFIX[kind]}-${year}-${HUB_SERIES_CODE}`;
  await b.sql.run('INSERT INTO hub_counters (name, value) VALUES (?, 0) ON CONFLICT (name) DO NOTHING', [
    name,
  ]);
  const got = await b.sql.all<{ value: number }>(
    `SELECT value FROM hub_counters WHERE name = ?${b.forUpdate}`,
    [name],
  );
  const sequence = Number(got[0]?.value ?? 0) + 1;
  await b.sql.run('UPDATE hub_counters SET value = ? WHERE name = ?', [sequence, name]);
  // The hub's own timestamp, after every write of the row so far.
  const latest = [...state.fields.values()].reduce((m, x) => (x.hlc > m ? x.hlc : m), '');
  const last = latest ? parseHlc(latest) : { wallMs: 0, counter: 0 };
  const hubHlc =
    b.now > last.wallMs
      ? formatHlc({ wallMs: b.now, counter: 0, deviceId: 'hub' })
      : formatHlc({ wallMs: last.wallMs, counter: last.counter + 1, deviceId: 'hub' });
  const { series, number } = numbering(
    kind,
    await issuerCode(b, issuer),
    Number(year),
    HUB_SERIES_CODE,
    sequence,
  );
  for (const [column, value] of [
    ['series', series],
    ['sequence', sequence],
    ['number', number],
  ] as const) {
    const seq = await b.position();
    const text = JSON.stringify(value);
    state.fields.set(column, { value: text, hlc: hubHlc, seq });
    b.log.push({
      seq,
      table: 'invoices',
      rowId: state.rowId,
      column,
      value: text,
      hlc: hubHlc,
      deviceId: 'hub',
    });
  }
  state.dirty = true;
}
