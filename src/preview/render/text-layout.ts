import { emojiSvg, emojiWidth } from './emoji';
import type { FontMetrics, TextFace } from './font-metrics';
import type { MrkdwnLine, Run, TextStyle } from './parse-mrkdwn';

/**
 * Lays parsed text out in a box of a given width: words wrap where they would overflow
 * (a word wider than the box is cut), every piece is placed at an x the renderer measured
 * with the same font files resvg draws with, so the picture wraps the same on any machine.
 */

export interface TextOptions {
  size: number;
  colour: string;
  /** Bold everything (headers, button labels). */
  bold?: boolean;
}

export interface LaidOutText {
  width: number;
  height: number;
  svg: string;
}

export const COLOURS = {
  text: '#1d1c1d',
  muted: '#616061',
  link: '#1264a3',
  mentionTint: '#e8f5fa',
  code: '#e01e5a',
  codeTint: '#f8f8f8',
  codeBorder: '#dddddd',
  border: '#dddddd',
  quoteBar: '#dddddd',
};

const FAMILY = 'DejaVu Sans';
const MONO = 'DejaVu Sans Mono';
const QUOTE_INDENT = 14;

interface Atom {
  kind: 'word' | 'space' | 'emoji';
  text: string;
  style: TextStyle;
  width: number;
}

export const lineHeightOf = (size: number) => Math.round(size * 1.47);

export const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const fmt = (n: number) => String(Number(n.toFixed(2)));

function faceOf(style: TextStyle, bold: boolean): TextFace {
  if (style.code) return 'mono';
  const b = (bold && !style.muted) || style.bold;
  if (b && style.italic) return 'boldItalic';
  if (b) return 'bold';
  return style.italic ? 'italic' : 'regular';
}

const codeSize = (size: number) => size * 0.84;

function measure(fonts: FontMetrics, text: string, style: TextStyle, opts: TextOptions): number {
  return fonts[faceOf(style, !!opts.bold)].width(text, style.code ? codeSize(opts.size) : opts.size);
}

function atomsOf(runs: Run[], fonts: FontMetrics, opts: TextOptions): Atom[] {
  const atoms: Atom[] = [];
  for (const run of runs) {
    if ('emoji' in run) {
      const w = emojiWidth(run.emoji, opts.size);
      if (w !== null) {
        atoms.push({ kind: 'emoji', text: run.emoji, style: run.style, width: w });
        continue;
      }
      const text = `:${run.emoji}:`;
      atoms.push({ kind: 'word', text, style: run.style, width: measure(fonts, text, run.style, opts) });
      continue;
    }
    for (const piece of run.text.split(/( +)/)) {
      if (!piece) continue;
      const kind = piece.startsWith(' ') ? 'space' : 'word';
      atoms.push({ kind, text: piece, style: run.style, width: measure(fonts, piece, run.style, opts) });
    }
  }
  return atoms;
}

/** Cuts a word wider than the box into pieces that fit. */
function cutWord(atom: Atom, max: number, fonts: FontMetrics, opts: TextOptions): Atom[] {
  const pieces: Atom[] = [];
  let current = '';
  for (const ch of atom.text) {
    if (current && measure(fonts, current + ch, atom.style, opts) > max) {
      pieces.push({ ...atom, text: current, width: measure(fonts, current, atom.style, opts) });
      current = '';
    }
    current += ch;
  }
  if (current) pieces.push({ ...atom, text: current, width: measure(fonts, current, atom.style, opts) });
  return pieces;
}

function wrap(atoms: Atom[], max: number, fonts: FontMetrics, opts: TextOptions): Atom[][] {
  const lines: Atom[][] = [[]];
  let x = 0;
  let pendingSpace: Atom | null = null;
  for (const atom of atoms.flatMap((a) => (a.kind === 'word' && a.width > max ? cutWord(a, max, fonts, opts) : [a]))) {
    if (atom.kind === 'space') {
      pendingSpace = atom;
      continue;
    }
    const line = lines[lines.length - 1]!;
    const spaceWidth = line.length && pendingSpace ? pendingSpace.width : 0;
    if (line.length && x + spaceWidth + atom.width > max) {
      lines.push([atom]);
      x = atom.width;
    } else {
      if (spaceWidth && pendingSpace) line.push(pendingSpace);
      line.push(atom);
      x += spaceWidth + atom.width;
    }
    pendingSpace = null;
  }
  return lines;
}

const sameStyle = (a: TextStyle, b: TextStyle) =>
  !!a.bold === !!b.bold &&
  !!a.italic === !!b.italic &&
  !!a.strike === !!b.strike &&
  !!a.code === !!b.code &&
  !!a.link === !!b.link &&
  !!a.mention === !!b.mention &&
  !!a.muted === !!b.muted;

function drawLine(line: Atom[], x0: number, top: number, opts: TextOptions): { svg: string; width: number } {
  const lh = lineHeightOf(opts.size);
  const baseline = top + lh / 2 + opts.size * 0.36;
  const out: string[] = [];
  const back: string[] = [];
  let x = x0;
  let i = 0;
  while (i < line.length) {
    const first = line[i]!;
    if (first.kind === 'emoji') {
      out.push(emojiSvg(first.text, x + opts.size * 0.05, baseline, opts.size));
      x += first.width;
      i++;
      continue;
    }
    let j = i;
    let text = '';
    let width = 0;
    while (j < line.length && line[j]!.kind !== 'emoji' && sameStyle(line[j]!.style, first.style)) {
      text += line[j]!.text;
      width += line[j]!.width;
      j++;
    }
    const s = first.style;
    const size = s.code ? codeSize(opts.size) : opts.size;
    const colour = s.code ? COLOURS.code : s.link || s.mention ? COLOURS.link : s.muted ? COLOURS.muted : opts.colour;
    if (s.code) {
      back.push(
        `<rect x="${fmt(x - 2)}" y="${fmt(baseline - size * 1.02)}" width="${fmt(width + 4)}" height="${fmt(size * 1.4)}" rx="3" fill="${COLOURS.codeTint}" stroke="${COLOURS.codeBorder}"/>`,
      );
    }
    if (s.mention) {
      back.push(
        `<rect x="${fmt(x - 1)}" y="${fmt(baseline - size * 0.98)}" width="${fmt(width + 2)}" height="${fmt(size * 1.3)}" rx="3" fill="${COLOURS.mentionTint}"/>`,
      );
    }
    // resvg kerns pairs the advance widths do not know of; textLength pins the run to the measured width.
    const weight = (opts.bold && !s.muted) || s.bold ? ' font-weight="bold"' : '';
    const italic = s.italic && !s.code ? ' font-style="italic"' : '';
    out.push(
      `<text x="${fmt(x)}" y="${fmt(baseline)}" font-family="${s.code ? MONO : FAMILY}" font-size="${fmt(size)}"${weight}${italic} fill="${colour}" textLength="${fmt(width)}" lengthAdjust="spacing" xml:space="preserve">${escapeXml(text)}</text>`,
    );
    if (s.strike) {
      out.push(
        `<line x1="${fmt(x)}" x2="${fmt(x + width)}" y1="${fmt(baseline - size * 0.3)}" y2="${fmt(baseline - size * 0.3)}" stroke="${colour}" stroke-width="1"/>`,
      );
    }
    x += width;
    i = j;
  }
  return { svg: back.join('') + out.join(''), width: x - x0 };
}

/** Lays `lines` out within `maxWidth`; the SVG is positioned with its top-left at (0, 0). */
export function layoutText(lines: MrkdwnLine[], maxWidth: number, fonts: FontMetrics, opts: TextOptions): LaidOutText {
  const lh = lineHeightOf(opts.size);
  const svg: string[] = [];
  let y = 0;
  let widest = 0;
  let quoteStart: number | null = null;
  const closeQuote = () => {
    if (quoteStart !== null) {
      svg.push(
        `<rect x="0" y="${fmt(quoteStart + 2)}" width="4" height="${fmt(y - quoteStart - 4)}" rx="2" fill="${COLOURS.quoteBar}"/>`,
      );
    }
    quoteStart = null;
  };
  for (const line of lines) {
    if (line.quote && quoteStart === null) quoteStart = y;
    if (!line.quote) closeQuote();
    const indent = line.quote ? QUOTE_INDENT : 0;
    for (const wrapped of wrap(atomsOf(line.runs, fonts, opts), maxWidth - indent, fonts, opts)) {
      const drawn = drawLine(wrapped, indent, y, opts);
      svg.push(drawn.svg);
      widest = Math.max(widest, indent + drawn.width);
      y += lh;
    }
  }
  closeQuote();
  return { width: widest, height: y, svg: svg.join('') };
}

/** Width of one unwrapped line of plain text (labels of buttons and menus). */
export function textWidth(text: string, fonts: FontMetrics, opts: TextOptions): number {
  return measure(fonts, text, {}, opts);
}
