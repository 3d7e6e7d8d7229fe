// Reading a PDF back as a person and a bank app would: pdftotext for the text, pdftoppm + jsQR
// for the Swiss QR-bill's QR code (the payment part, the bottom 105 mm of the last page).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** pdftotext -layout, no-break spaces as plain spaces. */
export function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(
    /[\u00a0\u202f]/g,
    ' ',
  );
}

export function pdfPages(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

/** The QR-bill's payload lines (Swiss Payments Code), decoded from the rendered last page. */
export function decodeQrBill(file: string): string[] {
  const last = pdfPages(file);
  const prefix = path.join(path.dirname(file), `${path.basename(file, '.pdf')}-qr`);
  const top = Math.floor(((297 - 105) / 25.4) * 200);
  execFileSync('pdftoppm', [
    '-r',
    '200',
    '-png',
    '-f',
    String(last),
    '-l',
    String(last),
    '-y',
    String(top),
    '-H',
    String(Math.ceil((105 / 25.4) * 200)),
    '-W',
    '1654',
    '-singlefile',
    file,
    prefix,
  ]);
  const png = PNG.sync.read(fs.readFileSync(`${prefix}.png`));
  const code = jsQR(
    new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
    png.width,
    png.height,
  );
  if (!code) throw new Error(`no QR code found on the last page of ${file}`);
  return new TextDecoder('utf-8').decode(Uint8Array.from(code.binaryData)).split(/\r?\n/);
}
