import { renderBlocks, textObject } from './blocks';
import { type Drawn, type Json, place, type RenderContext, renderElement } from './elements';
import { COLOURS, escapeXml, fmt, layoutText } from './text-layout';

/**
 * A whole surface as SVG, in Slack's frame: the Home tab under the app's name and tabs, a
 * message beside the app's avatar, a modal as a card with its title and footer buttons.
 * A pure function of the Block Kit JSON (and the names mentions read as): the same input
 * gives the same bytes.
 */

export type SurfaceKind = 'home' | 'modal' | 'message';

export interface SurfaceOptions extends RenderContext {
  appName: string;
  /** Shown beside a message's sender, e.g. "10:00". */
  messageTime: string;
}

const HOME_WIDTH = 860;
const MESSAGE_WIDTH = 760;
const MODAL_WIDTH = 540;
const FONT = 'DejaVu Sans';

function svgDocument(width: number, height: number, background: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${fmt(width)}" height="${fmt(height)}" viewBox="0 0 ${fmt(width)} ${fmt(height)}"><rect width="100%" height="100%" fill="${background}"/>${body}</svg>\n`;
}

function appAvatar(ctx: SurfaceOptions, size: number): string {
  const initials = escapeXml(ctx.appName.slice(0, 3).toUpperCase());
  return (
    `<rect width="${size}" height="${size}" rx="${fmt(size * 0.22)}" fill="#4a154b"/>` +
    `<text x="${fmt(size / 2)}" y="${fmt(size * 0.62)}" font-family="${FONT}" font-weight="bold" font-size="${fmt(size * 0.32)}" fill="#ffffff" text-anchor="middle">${initials}</text>`
  );
}

function plain(text: string, ctx: SurfaceOptions, size: number, colour: string, bold = false): Drawn {
  return layoutText([{ quote: false, runs: [{ text, style: {} }] }], 10_000, ctx.fonts, { size, colour, bold });
}

function home(view: Json, ctx: SurfaceOptions): string {
  const pad = 24;
  const blocks = renderBlocks(view.blocks ?? [], ctx, HOME_WIDTH - 2 * pad);
  const name = plain(ctx.appName, ctx, 17, COLOURS.text, true);
  const tabs = ['Home', 'Messages', 'About'];
  const tabParts: string[] = [];
  let x = pad;
  for (const tab of tabs) {
    const t = plain(tab, ctx, 14, tab === 'Home' ? COLOURS.text : COLOURS.muted, tab === 'Home');
    tabParts.push(place(t, x, 58));
    if (tab === 'Home') {
      tabParts.push(`<rect x="${fmt(x)}" y="84" width="${fmt(t.width)}" height="3" rx="1.5" fill="#007a5a"/>`);
    }
    x += t.width + 28;
  }
  const top = 108;
  const height = top + blocks.height + pad;
  const chrome =
    `<g transform="translate(${pad} 14)">${appAvatar(ctx, 32)}</g>` +
    place(name, pad + 42, 16) +
    tabParts.join('') +
    `<line x1="0" x2="${HOME_WIDTH}" y1="87.5" y2="87.5" stroke="${COLOURS.border}"/>`;
  return svgDocument(HOME_WIDTH, height, '#ffffff', chrome + place(blocks, pad, top));
}

function message(payload: Json, ctx: SurfaceOptions): string {
  const pad = 20;
  const left = pad + 36 + 10;
  const blocks = renderBlocks(payload.blocks ?? [], ctx, MESSAGE_WIDTH - left - pad);
  const name = plain(ctx.appName, ctx, 15, COLOURS.text, true);
  const badge = plain('APP', ctx, 10, COLOURS.muted, true);
  const time = plain(ctx.messageTime, ctx, 12, COLOURS.muted);
  const badgeX = left + name.width + 6;
  const top = pad + 26;
  const header =
    place(name, left, pad - 2) +
    `<rect x="${fmt(badgeX)}" y="${pad + 2}" width="${fmt(badge.width + 8)}" height="15" rx="3" fill="#e8e8e8"/>` +
    place(badge, badgeX + 4, pad + 1) +
    place(time, badgeX + badge.width + 16, pad);
  const height = top + blocks.height + pad;
  return svgDocument(
    MESSAGE_WIDTH,
    height,
    '#ffffff',
    `<g transform="translate(${pad} ${pad})">${appAvatar(ctx, 36)}</g>${header}${place(blocks, left, top)}`,
  );
}

function modal(view: Json, ctx: SurfaceOptions): string {
  const margin = 16;
  const pad = 24;
  const inner = MODAL_WIDTH - 2 * margin;
  const title = textObject(view.title, ctx, inner - 2 * pad - 30, 19, COLOURS.text, true);
  const blocks = renderBlocks(view.blocks ?? [], ctx, inner - 2 * pad);
  const buttons = [
    view.close ? renderElement({ type: 'button', text: view.close }, ctx) : null,
    view.submit ? renderElement({ type: 'button', text: view.submit, style: 'primary' }, ctx) : null,
  ].filter((b): b is Drawn => b !== null);
  const headerHeight = title.height + 2 * 18;
  const bodyTop = headerHeight + pad;
  const footerTop = bodyTop + blocks.height + pad;
  const footerHeight = buttons.length ? 34 + 2 * 16 : 0;
  const cardHeight = footerTop + footerHeight;
  const parts = [
    `<rect x="0.5" y="0.5" width="${inner - 1}" height="${fmt(cardHeight - 1)}" rx="10" fill="#ffffff" stroke="#c9c9c9"/>`,
    place(title, pad, 18),
    `<path d="M${inner - pad - 12} ${headerHeight / 2 - 6} l12 12 M${inner - pad} ${headerHeight / 2 - 6} l-12 12" stroke="${COLOURS.muted}" stroke-width="1.8" stroke-linecap="round"/>`,
    `<line x1="0" x2="${inner}" y1="${fmt(headerHeight + 0.5)}" y2="${fmt(headerHeight + 0.5)}" stroke="${COLOURS.border}"/>`,
    place(blocks, pad, bodyTop),
  ];
  if (buttons.length) {
    parts.push(
      `<line x1="0" x2="${inner}" y1="${fmt(footerTop + 0.5)}" y2="${fmt(footerTop + 0.5)}" stroke="${COLOURS.border}"/>`,
    );
    let x = inner - pad;
    for (const b of [...buttons].reverse()) {
      x -= b.width;
      parts.push(place(b, x, footerTop + 16));
      x -= 10;
    }
  }
  return svgDocument(
    MODAL_WIDTH,
    cardHeight + 2 * margin,
    '#f1f1f1',
    `<g transform="translate(${margin} ${margin})">${parts.join('')}</g>`,
  );
}

/** The SVG of one surface: a Home or modal view object, or a message's `{ blocks }`. */
export function renderSurfaceSvg(kind: SurfaceKind, payload: Json, ctx: SurfaceOptions): string {
  if (kind === 'home') return home(payload, ctx);
  if (kind === 'modal') return modal(payload, ctx);
  return message(payload, ctx);
}
