import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Advance widths of the DejaVu fonts shipped by the `dejavu-fonts-ttf` package, read from
 * the TrueType tables (cmap, hhea, hmtx), so the renderer can wrap text exactly where resvg
 * will draw it, with the same files and never a system font.
 */

export type TextFace = 'regular' | 'bold' | 'italic' | 'boldItalic' | 'mono';

const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export const FACE_FILES: Record<TextFace, string> = {
  regular: join(FONT_DIR, 'DejaVuSans.ttf'),
  bold: join(FONT_DIR, 'DejaVuSans-Bold.ttf'),
  italic: join(FONT_DIR, 'DejaVuSans-Oblique.ttf'),
  boldItalic: join(FONT_DIR, 'DejaVuSans-BoldOblique.ttf'),
  mono: join(FONT_DIR, 'DejaVuSansMono.ttf'),
};

/** Widths of one font file: code point -> advance in em. */
export class FaceMetrics {
  private readonly view: DataView;
  private readonly unitsPerEm: number;
  private readonly hmtx: number;
  private readonly hMetrics: number;
  private readonly cmap: number;
  private readonly cache = new Map<number, number>();

  constructor(bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const head = this.table('head');
    this.unitsPerEm = this.view.getUint16(head + 18);
    this.hMetrics = this.view.getUint16(this.table('hhea') + 34);
    this.hmtx = this.table('hmtx');
    this.cmap = this.unicodeSubtable(this.table('cmap'));
  }

  /** Width of `text` at `size` px. */
  width(text: string, size: number): number {
    let em = 0;
    for (const ch of text) em += this.advance(ch.codePointAt(0)!);
    return em * size;
  }

  private advance(codePoint: number): number {
    let em = this.cache.get(codePoint);
    if (em === undefined) {
      const glyph = Math.min(this.glyphOf(codePoint), this.hMetrics - 1);
      em = this.view.getUint16(this.hmtx + glyph * 4) / this.unitsPerEm;
      this.cache.set(codePoint, em);
    }
    return em;
  }

  private table(tag: string): number {
    const count = this.view.getUint16(4);
    for (let i = 0; i < count; i++) {
      const record = 12 + i * 16;
      const name = String.fromCharCode(...[0, 1, 2, 3].map((k) => this.view.getUint8(record + k)));
      if (name === tag) return this.view.getUint32(record + 8);
    }
    throw new Error(`font has no ${tag} table`);
  }

  /** The Windows Unicode BMP subtable (format 4), which every DejaVu face has. */
  private unicodeSubtable(cmap: number): number {
    const count = this.view.getUint16(cmap + 2);
    for (let i = 0; i < count; i++) {
      const record = cmap + 4 + i * 8;
      const sub = cmap + this.view.getUint32(record + 4);
      if (
        this.view.getUint16(record) === 3 &&
        this.view.getUint16(record + 2) === 1 &&
        this.view.getUint16(sub) === 4
      ) {
        return sub;
      }
    }
    throw new Error('font has no Unicode BMP cmap');
  }

  private glyphOf(codePoint: number): number {
    if (codePoint > 0xffff) return 0;
    const v = this.view;
    const sub = this.cmap;
    const segments = v.getUint16(sub + 6) / 2;
    const ends = sub + 14;
    const starts = ends + segments * 2 + 2;
    const deltas = starts + segments * 2;
    const ranges = deltas + segments * 2;
    for (let i = 0; i < segments; i++) {
      if (codePoint > v.getUint16(ends + i * 2)) continue;
      const start = v.getUint16(starts + i * 2);
      if (codePoint < start) return 0;
      const delta = v.getInt16(deltas + i * 2);
      const rangeOffset = v.getUint16(ranges + i * 2);
      if (rangeOffset === 0) return (codePoint + delta) & 0xffff;
      const glyph = v.getUint16(ranges + i * 2 + rangeOffset + (codePoint - start) * 2);
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  }
}

export type FontMetrics = Record<TextFace, FaceMetrics>;

/** Reads the five faces once; the renderer measures with them and resvg draws with the same files. */
export function loadFontMetrics(): FontMetrics {
  const load = (face: TextFace) => new FaceMetrics(readFileSync(FACE_FILES[face]));
  return {
    regular: load('regular'),
    bold: load('bold'),
    italic: load('italic'),
    boldItalic: load('boldItalic'),
    mono: load('mono'),
  };
}
