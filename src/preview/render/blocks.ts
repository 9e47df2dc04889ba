import { type Drawn, imagePlaceholder, type Json, place, type RenderContext, renderElement } from './elements';
import { parseMrkdwn, parsePlainText } from './parse-mrkdwn';
import { COLOURS, fmt, layoutText } from './text-layout';

/**
 * The Block Kit blocks the app uses (header, section with text/fields/accessory, context,
 * divider, actions, input, image), each drawn into a given width with its top-left at
 * (0, 0). A block type the renderer does not know is named in grey, never dropped silently.
 */

const TEXT_SIZE = 15;
const CONTEXT_SIZE = 12.5;
const GAP = 8;

export function textObject(t: Json, ctx: RenderContext, width: number, size: number, colour: string, bold = false) {
  const lines =
    t?.type === 'mrkdwn'
      ? parseMrkdwn(String(t.text ?? ''), { users: ctx.users, channels: ctx.channels })
      : parsePlainText(String(t?.text ?? ''), t?.emoji !== false);
  return layoutText(lines, width, ctx.fonts, { size, colour, bold });
}

function header(block: Json, ctx: RenderContext, width: number): Drawn {
  const text = textObject(block.text, ctx, width, 19, COLOURS.text, true);
  return { width, height: text.height + 4, svg: place(text, 0, 4) };
}

function section(block: Json, ctx: RenderContext, width: number): Drawn {
  const accessory = block.accessory ? renderElement(block.accessory, ctx) : null;
  const textWidth = accessory ? width - accessory.width - 16 : width;
  const parts: string[] = [];
  let y = 0;
  if (block.text) {
    const text = textObject(block.text, ctx, textWidth, TEXT_SIZE, COLOURS.text);
    parts.push(text.svg);
    y = text.height;
  }
  const fields: Json[] = block.fields ?? [];
  if (fields.length) {
    if (y) y += GAP;
    const column = (textWidth - 16) / 2;
    for (let i = 0; i < fields.length; i += 2) {
      const row = fields.slice(i, i + 2).map((f) => textObject(f, ctx, column, TEXT_SIZE, COLOURS.text));
      row.forEach((cell, k) => {
        parts.push(place(cell, k * (column + 16), y));
      });
      y += Math.max(...row.map((c) => c.height)) + GAP;
    }
    y -= GAP;
  }
  if (accessory) parts.push(place(accessory, width - accessory.width, 0));
  return { width, height: Math.max(y, accessory?.height ?? 0), svg: parts.join('') };
}

/** Context elements sit side by side while they fit; one that does not starts a new row. */
function context(block: Json, ctx: RenderContext, width: number): Drawn {
  const parts: string[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const el of block.elements ?? []) {
    const natural =
      el.type === 'image'
        ? imagePlaceholder(el.alt_text ?? '', 18, 18)
        : textObject(el, ctx, 100_000, CONTEXT_SIZE, COLOURS.muted);
    if (x > 0 && x + natural.width > width) {
      x = 0;
      y += rowHeight + 2;
      rowHeight = 0;
    }
    const drawn = natural.width > width - x ? textObject(el, ctx, width - x, CONTEXT_SIZE, COLOURS.muted) : natural;
    parts.push(place(drawn, x, y));
    x += drawn.width + 8;
    rowHeight = Math.max(rowHeight, drawn.height);
  }
  return { width, height: y + rowHeight, svg: parts.join('') };
}

function divider(width: number): Drawn {
  return {
    width,
    height: 9,
    svg: `<line x1="0" x2="${fmt(width)}" y1="4.5" y2="4.5" stroke="${COLOURS.border}" stroke-width="1"/>`,
  };
}

/** A row of elements that wraps onto the next row when full, as Slack does. */
function actions(block: Json, ctx: RenderContext, width: number): Drawn {
  const parts: string[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const el of block.elements ?? []) {
    const drawn = renderElement(el, ctx);
    if (x > 0 && x + drawn.width > width) {
      x = 0;
      y += rowHeight + GAP;
      rowHeight = 0;
    }
    parts.push(place(drawn, x, y));
    x += drawn.width + GAP;
    rowHeight = Math.max(rowHeight, drawn.height);
  }
  return { width, height: y + rowHeight, svg: parts.join('') };
}

function input(block: Json, ctx: RenderContext, width: number): Drawn {
  const lines = parsePlainText(String(block.label?.text ?? ''), true);
  if (block.optional) lines[lines.length - 1]!.runs.push({ text: ' (optional)', style: { muted: true } });
  const labelText = layoutText(lines, width, ctx.fonts, { size: TEXT_SIZE, colour: COLOURS.text, bold: true });
  const element = renderElement(block.element, ctx, width);
  const parts = [labelText.svg, place(element, 0, labelText.height + 6)];
  let height = labelText.height + 6 + element.height;
  if (block.hint) {
    const hint = textObject(block.hint, ctx, width, CONTEXT_SIZE, COLOURS.muted);
    parts.push(place(hint, 0, height + 4));
    height += 4 + hint.height;
  }
  return { width, height, svg: parts.join('') };
}

function image(block: Json, ctx: RenderContext, width: number): Drawn {
  const parts: string[] = [];
  let y = 0;
  if (block.title) {
    const title = textObject(block.title, ctx, width, CONTEXT_SIZE, COLOURS.muted);
    parts.push(title.svg);
    y = title.height + 4;
  }
  const picture = imagePlaceholder(block.alt_text ?? '', Math.min(width, 360), 200);
  parts.push(place(picture, 0, y));
  return { width, height: y + picture.height, svg: parts.join('') };
}

export function renderBlock(block: Json, ctx: RenderContext, width: number): Drawn {
  switch (block.type) {
    case 'header':
      return header(block, ctx, width);
    case 'section':
      return section(block, ctx, width);
    case 'context':
      return context(block, ctx, width);
    case 'divider':
      return divider(width);
    case 'actions':
      return actions(block, ctx, width);
    case 'input':
      return input(block, ctx, width);
    case 'image':
      return image(block, ctx, width);
    default:
      return textObject({ type: 'plain_text', text: `[${String(block.type)} block]` }, ctx, width, 13, COLOURS.muted);
  }
}

/** Blocks one under the other, with Slack's spacing (inputs get more room, as in a modal). */
export function renderBlocks(blocks: Json[], ctx: RenderContext, width: number): Drawn {
  const parts: string[] = [];
  let y = 0;
  blocks.forEach((block, i) => {
    if (i > 0) y += block.type === 'input' ? 18 : block.type === 'header' ? 14 : 10;
    const drawn = renderBlock(block, ctx, width);
    parts.push(place(drawn, 0, y));
    y += drawn.height;
  });
  return { width, height: y, svg: parts.join('') };
}
