// Minimal types for fontkit 2 (pdfkit's font engine; it ships no declarations). Only what
// fonts.ts uses: pdfkit ≥ 0.20 accepts an already-parsed fontkit Font in registerFont().
declare module 'fontkit' {
  export interface Subset {
    /** Glyph ids of the original font, in the order they were included. */
    glyphs: number[];
    includeGlyph(glyph: number): number;
    encode(): Uint8Array;
  }
  export interface Font {
    createSubset(): Subset;
    readonly postscriptName: string;
    readonly familyName: string;
    readonly unitsPerEm: number;
    hasGlyphForCodePoint(codePoint: number): boolean;
    layout(text: string): unknown;
  }
  export function create(data: Uint8Array, postscriptName?: string): Font;
}
