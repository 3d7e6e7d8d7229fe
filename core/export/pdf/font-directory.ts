// Where the TTF files of Kontor's PDF fonts are (see fonts.ts). Apart from fonts.ts so that the
// desktop main process can point it elsewhere at start (packaged apps keep assets in their own
// place) without loading pdfkit and fontkit, which come in with the first PDF.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let directory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'assets', 'fonts');

export function setFontDirectory(dir: string): void {
  directory = dir;
}

export function fontDirectory(): string {
  return directory;
}
