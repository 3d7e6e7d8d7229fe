import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { Column } from '#core/export/csv/columns';
import { CSV_PROFILES, writeCsv, writeCsvFile } from '#core/export/csv/csv-writer';

interface Line {
  n: number;
  name: string;
  issuedOn: string | null;
  amountMinor: number;
  vatBp: number;
}
const columns: Column<Line>[] = [
  { key: 'n', header: { en: 'No', fr: 'N°', de: 'Nr.' }, type: 'integer', value: (r) => r.n },
  { key: 'name', header: { en: 'Name', fr: 'Nom', de: 'Name' }, type: 'text', value: (r) => r.name },
  {
    key: 'issuedOn',
    header: { en: 'Date', fr: 'Date', de: 'Datum' },
    type: 'date',
    value: (r) => r.issuedOn,
  },
  {
    key: 'amount',
    header: { en: 'Amount', fr: 'Montant', de: 'Betrag' },
    type: 'money',
    value: (r) => r.amountMinor,
  },
  {
    key: 'vat',
    header: { en: 'VAT %', fr: 'TVA %', de: 'MWST %' },
    type: 'percent_bp',
    value: (r) => r.vatBp,
  },
];

function* lines(count: number, onDone?: () => void): Generator<Line> {
  try {
    for (let n = 1; n <= count; n++) {
      yield { n, name: `Client ${n}`, issuedOn: '2025-03-01', amountMinor: -123_450 + n, vatBp: 810 };
    }
  } finally {
    onDone?.();
  }
}

async function collect(write: (out: PassThrough) => Promise<unknown>): Promise<Buffer> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (b: Buffer) => parts.push(b));
  await write(out);
  return Buffer.concat(parts);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'kontor-csv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('CSV profiles', () => {
  const row: Line = { n: 7, name: 'Zoë', issuedOn: '2025-03-01', amountMinor: -123_450, vatBp: 810 };

  it.each([
    ['spreadsheet', 'No,Name,Date,Amount,VAT %\r\n7,Zoë,2025-03-01,-1234.50,8.10\r\n', false],
    ['excel-fr', 'N°;Nom;Date;Montant;TVA %\r\n7;Zoë;2025-03-01;-1234,50;8,10\r\n', true],
    ['excel-ch', 'Nr.;Name;Datum;Betrag;MWST %\r\n7;Zoë;2025-03-01;-1234.50;8.10\r\n', true],
    ['excel-de', 'Nr.;Name;Datum;Betrag;MWST %\r\n7;Zoë;2025-03-01;-1234,50;8,10\r\n', true],
    ['excel-it', 'No;Name;Date;Amount;VAT %\r\n7;Zoë;2025-03-01;-1234,50;8,10\r\n', true],
  ] as const)('%s', async (profile, expected, bom) => {
    const locale =
      profile === 'excel-fr' ? 'fr' : profile === 'excel-ch' || profile === 'excel-de' ? 'de' : 'en';
    const bytes = await collect((out) => writeCsv([row], columns, profile, out, { locale }));
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(bom);
    expect(bytes.toString('utf8').replace(/^\ufeff/, '')).toBe(expected);
  });

  it('every profile has a label in en, fr, de and it', () => {
    for (const profile of Object.values(CSV_PROFILES)) {
      expect(Object.keys(profile.label).sort()).toEqual(['de', 'en', 'fr', 'it']);
    }
  });

  it('writes an empty cell for null and refuses a date that is not ISO', async () => {
    const text = (
      await collect((out) => writeCsv([{ ...row, issuedOn: null }], columns, 'spreadsheet', out))
    ).toString();
    expect(text.split('\r\n')[1]).toBe('7,Zoë,,-1234.50,8.10');
    await expect(
      collect((out) => writeCsv([{ ...row, issuedOn: '01.03.2025' }], columns, 'spreadsheet', out)),
    ).rejects.toThrow(/ISO date/);
  });

  it('keeps a row whose only field is empty (a blank line would be skipped by readers)', async () => {
    const one: Column<{ v: string }>[] = [
      { key: 'v', header: { en: 'V', fr: 'V', de: 'V' }, type: 'text', value: (r) => r.v },
    ];
    const text = (
      await collect((out) => writeCsv([{ v: '' }, { v: 'x' }], one, 'spreadsheet', out))
    ).toString();
    expect(text).toBe('V\r\n""\r\nx\r\n');
  });
});

describe('streaming', () => {
  it('reads an async source and reports progress', async () => {
    async function* source() {
      yield* lines(1000);
    }
    const seen: number[] = [];
    const bytes = await collect((out) =>
      writeCsv(source(), columns, 'excel-de', out, { onProgress: (n) => seen.push(n), sliceMs: 0 }),
    );
    expect(bytes.toString().split('\r\n')).toHaveLength(1002);
    expect(seen.at(-1)).toBe(1000);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('waits for a slow destination instead of buffering the whole export', async () => {
    let maxBuffered = 0;
    let received = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, done) {
        received += chunk.length;
        maxBuffered = Math.max(maxBuffered, slow.writableLength);
        setTimeout(done, 1);
      },
    });
    const result = await writeCsv(lines(50_000), columns, 'spreadsheet', slow);
    await new Promise<void>((resolve) => slow.end(resolve));
    expect(result.rows).toBe(50_000);
    expect(received).toBeGreaterThan(2_000_000);
    // One chunk at most sits in the stream's buffer (a chunk is flushed at 1 MB of text).
    expect(maxBuffered).toBeLessThan(2.5 * 1024 * 1024);
  });

  it('lets timers run while it writes (no long block of the event loop)', async () => {
    let ticks = 0;
    let longestGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks++;
    }, 1);
    const sink = new Writable({ write: (_c, _e, done) => done() });
    const started = performance.now();
    await writeCsv(lines(200_000), columns, 'excel-fr', sink);
    const elapsed = performance.now() - started;
    clearInterval(timer);
    // The writer yields after every 10 ms of work, so timers fire all along (a writer that
    // never yields lets them fire once or twice); the gap bound is loose because a loaded,
    // shared machine adds its own scheduling delays (the benchmark reports the real figures).
    expect(ticks).toBeGreaterThan(Math.max(5, elapsed / 100));
    expect(longestGap).toBeLessThan(500);
  });

  it('stops on abort, closes the source, and leaves no file behind', async () => {
    const controller = new AbortController();
    let sourceClosed = false;
    const file = path.join(tmp, 'aborted.csv');
    const promise = writeCsvFile(
      file,
      lines(5_000_000, () => (sourceClosed = true)),
      columns,
      'excel-ch',
      {
        signal: controller.signal,
        onProgress: (n) => {
          if (n > 20_000) controller.abort();
        },
      },
    );
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
    expect(sourceClosed).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.part`)).toBe(false);
  });

  it('writes a file atomically', async () => {
    const file = path.join(tmp, 'ok.csv');
    const { rows } = await writeCsvFile(file, lines(3), columns, 'excel-fr', { locale: 'fr' });
    expect(rows).toBe(3);
    const text = readFileSync(file, 'utf8');
    expect(
      text.startsWith('\ufeffN°;Nom;Date;Montant;TVA %\r\n1;Client 1;2025-03-01;-1234,49;8,10\r\n'),
    ).toBe(true);
  });

  it('rejects when the destination fails', async () => {
    const broken = new Writable({
      highWaterMark: 1,
      write: (_c, _e, done) => done(new Error('disk full')),
    });
    broken.on('error', () => {});
    await expect(writeCsv(lines(100_000), columns, 'spreadsheet', broken)).rejects.toThrow(
      /disk full|closed/,
    );
  });
});
