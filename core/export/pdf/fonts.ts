// The fonts of Kontor's PDF documents: Kontor Sans Regular and Bold, a Latin subset of
// Liberation Sans 2.1.5 (see assets/fonts/README.md). Liberation Sans is metric-compatible
// with Arial and is one of the four typefaces the Swiss QR-bill allows on its payment part,
// so one family serves the whole document.
//
// Speed: pdfkit parses a font given as bytes again for every document. It also accepts an
// already-parsed fontkit Font (pdfkit ≥ 0.20), so the files are read and parsed once per
// process and every document shares the parsed fonts (fontkit's glyph cache warms up once).
// Sharing is safe: pdfkit keeps its per-document state (subset, widths, layout cache) in its
// own EmbeddedFont wrapper, and rendering is synchronous.
//
// The other per-document cost is the font subset pdfkit embeds: fontkit re-encodes a TrueType
// subset of the glyphs the document used, in the order it met them. Every document therefore
// starts by "using" the same common glyphs in the same order (PRESEED: Basic Latin, Latin-1,
// Latin Extended-A and usual punctuation), which makes nearly every document's subset the same,
// and the encoded subset is cached by its glyph list. Documents with rarer characters (ș, ẞ…)
// add glyphs after the preseed: still correct, cached under their own key.
import fs from 'node:fs';
import path from 'node:path';
import { create, type Font, type Subset } from 'fontkit';
import PDFDocument from 'pdfkit';
import { fontDirectory } from './font-directory';

// The registered names are the fonts' PostScript names: pdfkit files the default font under its
// PostScript name, so selecting FONT_REGULAR by name finds it without opening it a second time.
export const FONT_REGULAR = 'KontorSans-Regular';
export const FONT_BOLD = 'KontorSans-Bold';
/** For swissqrbill, which selects `${fontName}` and `${fontName}-Bold`. */
export const FONT_FAMILY = 'KontorSans';

const FILES = { regular: 'KontorSans-Regular.ttf', bold: 'KontorSans-Bold.ttf' } as const;

interface LoadedFonts {
  /** Where they were read from: setFontDirectory (font-directory.ts) makes them read again. */
  directory: string;
  bytes: { regular: Buffer; bold: Buffer };
  parsed: { regular: Font; bold: Font };
}

let loaded: LoadedFonts | null = null;

/** Characters every document embeds, in this order (see the module comment). */
export const PRESEED_TEXT = (() => {
  const ranges: [number, number][] = [
    [0x20, 0x7e],
    [0xa0, 0xff],
    [0x100, 0x17f],
  ];
  let text = '';
  for (const [lo, hi] of ranges) for (let cp = lo; cp <= hi; cp++) text += String.fromCodePoint(cp);
  // Usual punctuation: dashes, quotes, bullet, ellipsis, ‹ ›, €.
  return `${text}\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u2026\u2039\u203a\u20ac`;
})();

const SUBSET_CACHE_SIZE = 32;
const subsetStats = { hits: 0, misses: 0 };

/** Caches fontkit's encoded subsets of `font` by their glyph list. */
function cacheSubsets(font: Font): void {
  const cache = new Map<string, Uint8Array>();
  const createSubset = font.createSubset.bind(font);
  font.createSubset = (): Subset => {
    const subset = createSubset();
    const encode = subset.encode.bind(subset);
    subset.encode = (): Uint8Array => {
      const key = subset.glyphs.join(',');
      let bytes = cache.get(key);
      if (bytes) {
        subsetStats.hits++;
        return bytes;
      }
      subsetStats.misses++;
      bytes = encode();
      if (cache.size >= SUBSET_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(key, bytes);
      return bytes;
    };
    return subset;
  };
}

function load(): LoadedFonts {
  const directory = fontDirectory();
  if (loaded?.directory === directory) return loaded;
  const read = (file: string): Buffer => {
    const full = path.join(directory, file);
    try {
      return fs.readFileSync(full);
    } catch (cause) {
      throw new Error(`Kontor's PDF font is missing: ${full}`, { cause });
    }
  };
  const bytes = { regular: read(FILES.regular), bold: read(FILES.bold) };
  const parsed = { regular: create(bytes.regular), bold: create(bytes.bold) };
  cacheSubsets(parsed.regular);
  cacheSubsets(parsed.bold);
  loaded = { directory, bytes, parsed };
  return loaded;
}

/** Subset cache counters, for the benchmark. */
export function fontSubsetStats(): { hits: number; misses: number } {
  return { ...subsetStats };
}

/** The TTF bytes, read once per process. */
export function fontBytes(): { regular: Buffer; bold: Buffer } {
  return load().bytes;
}

/** The parsed fonts, parsed once per process. */
export function parsedFonts(): { regular: Font; bold: Font } {
  return load().parsed;
}

/** Characters of `text` the document font cannot show (each once, in order). */
export function unsupportedCharacters(text: string): string[] {
  const font = parsedFonts().regular;
  const missing = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp >= 0x20 && !font.hasGlyphForCodePoint(cp)) missing.add(ch);
  }
  return [...missing];
}

// ── pdfkit internals (guarded) ──────────────────────────────────────────────────────────────
// Two speed-ups reach into pdfkit's per-document font object (`doc._font`, an EmbeddedFont):
// the preseed above, and a word-layout cache shared by all documents. pdfkit caches the
// shaped layout of every word per document; the results depend only on the (shared) fontkit
// font, and pdfkit never mutates a cached run, so one cache per font serves every document.
// Both are feature-tested: with another pdfkit version documents stay right, only slower
// (`pdfkitSpeedUps()` says whether they are active; a unit test checks it).

interface PdfkitEmbeddedFont {
  encode?: (text: string) => unknown;
  subset?: { glyphs?: unknown };
  layoutCache?: Record<string, unknown>;
}

const LAYOUT_CACHE_LIMIT = 50_000;
const layoutCaches = new Map<string, { entries: Record<string, unknown>; documents: number }>();
let speedUps = { preseed: false, sharedLayoutCache: false };

function sharedLayoutCache(name: string): Record<string, unknown> {
  let cache = layoutCaches.get(name);
  // Names and addresses make the cache grow: start afresh now and then.
  if (cache && ++cache.documents % 500 === 0 && Object.keys(cache.entries).length > LAYOUT_CACHE_LIMIT)
    cache = undefined;
  if (!cache) {
    cache = { entries: Object.create(null) as Record<string, unknown>, documents: 0 };
    layoutCaches.set(name, cache);
  }
  return cache.entries;
}

function prepareFont(doc: PDFKit.PDFDocument, name: string): void {
  doc.font(name);
  const font = (doc as unknown as { _font?: PdfkitEmbeddedFont })._font;
  if (!font) return;
  const sharedLayout = font.layoutCache !== undefined && typeof font.layoutCache === 'object';
  if (sharedLayout) font.layoutCache = sharedLayoutCache(name);
  const preseed = typeof font.encode === 'function' && Array.isArray(font.subset?.glyphs);
  if (preseed) font.encode?.(PRESEED_TEXT);
  speedUps = { preseed, sharedLayoutCache: sharedLayout };
}

/** Whether the pdfkit speed-ups of this module are active (false: pdfkit changed; output is still right). */
export function pdfkitSpeedUps(): { preseed: boolean; sharedLayoutCache: boolean } {
  return { ...speedUps };
}

/**
 * Ends a document made by newPdfDocument. The font subsets, identical from one document to
 * the next, are written uncompressed (pdfkit would deflate them again for every document:
 * ~15 % of the time, for about 12 KB per file); page contents stay compressed.
 */
export function endPdfDocument(doc: PDFKit.PDFDocument): void {
  (doc as unknown as { compress: boolean }).compress = false;
  doc.end();
}

/**
 * A new pdfkit document whose default font is Kontor Sans (so pdfkit never loads Helvetica's
 * metrics), where FONT_REGULAR, FONT_BOLD (and FONT_FAMILY, for swissqrbill) are registered and
 * preseeded; FONT_REGULAR is the current font.
 */
export function newPdfDocument(options: PDFKit.PDFDocumentOptions = {}): PDFKit.PDFDocument {
  const { regular, bold } = parsedFonts();
  // pdfkit's types only list byte sources; passing a parsed fontkit Font is documented in its
  // changelog (0.20.0: "Accept already-parsed fontkit Font instances in doc.font() and registerFont").
  const doc = new PDFDocument({ ...options, font: regular as unknown as string });
  doc.registerFont(FONT_REGULAR, regular as unknown as Uint8Array);
  doc.registerFont(FONT_BOLD, bold as unknown as Uint8Array);
  doc.registerFont(FONT_FAMILY, regular as unknown as Uint8Array);
  prepareFont(doc, FONT_BOLD);
  prepareFont(doc, FONT_REGULAR);
  return doc;
}
