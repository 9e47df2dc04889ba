import type { FontMetrics } from './font-metrics';
import { parsePlainText } from './parse-mrkdwn';
import { COLOURS, escapeXml, fmt, layoutText } from './text-layout';

/**
 * Interactive elements (buttons, menus, pickers, inputs) as Slack draws them: outlined
 * boxes with the chosen value or a grey placeholder. Each is drawn with its top-left at
 * (0, 0); `width` is the natural width, or the box width when `fill` is given (inputs).
 */

export interface Drawn {
  width: number;
  height: number;
  svg: string;
}

export interface RenderContext {
  fonts: FontMetrics;
  users: Record<string, string>;
  channels: Record<string, string>;
}

// Block Kit JSON is walked as data: the renderer takes whatever a builder returned.
// biome-ignore lint/suspicious/noExplicitAny: loosely typed Block Kit objects
export type Json = any;

const CONTROL_HEIGHT = 34;
const LABEL_SIZE = 14;
const BORDER = '#bbbabb';

const plainLabel = (t: Json): string => (t && typeof t.text === 'string' ? t.text : '');

function label(text: string, ctx: RenderContext, colour: string, bold: boolean, emoji = true): Drawn {
  return layoutText(parsePlainText(text, emoji), 10_000, ctx.fonts, { size: LABEL_SIZE, colour, bold });
}

const box = (w: number, h: number, fill = '#ffffff', stroke = BORDER) =>
  `<rect x="0.5" y="0.5" width="${fmt(w - 1)}" height="${fmt(h - 1)}" rx="4" fill="${fill}" stroke="${stroke}"/>`;

const place = (d: Drawn, x: number, y: number) => `<g transform="translate(${fmt(x)} ${fmt(y)})">${d.svg}</g>`;

const chevron = (x: number, h: number) =>
  `<path d="M${fmt(x)} ${fmt(h / 2 - 2)} l4 4 l4 -4" fill="none" stroke="${COLOURS.muted}" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/>`;

function button(el: Json, ctx: RenderContext): Drawn {
  const fill = el.style === 'primary' ? '#007a5a' : el.style === 'danger' ? '#e01e5a' : '#ffffff';
  const colour = el.style ? '#ffffff' : COLOURS.text;
  const text = label(plainLabel(el.text), ctx, colour, true);
  const width = Math.ceil(text.width + 28);
  const stroke = el.style ? fill : BORDER;
  return {
    width,
    height: CONTROL_HEIGHT,
    svg: box(width, CONTROL_HEIGHT, fill, stroke) + place(text, 14, (CONTROL_HEIGHT - text.height) / 2),
  };
}

function overflow(): Drawn {
  const dots = [11, 17, 23].map((cx) => `<circle cx="${cx}" cy="17" r="1.8" fill="${COLOURS.text}"/>`).join('');
  return { width: CONTROL_HEIGHT, height: CONTROL_HEIGHT, svg: box(CONTROL_HEIGHT, CONTROL_HEIGHT) + dots };
}

/** A box with a value (or grey placeholder), an optional icon on the left and a chevron for menus. */
function field(
  value: string | null,
  placeholder: string,
  ctx: RenderContext,
  opts: { fill?: number; height?: number; icon?: 'calendar' | 'clock' | 'person'; menu?: boolean },
): Drawn {
  const shown = value ?? placeholder;
  const text = label(shown || ' ', ctx, value === null ? COLOURS.muted : COLOURS.text, false);
  const iconWidth = opts.icon ? 24 : 0;
  const chevronWidth = opts.menu ? 26 : 0;
  const width = opts.fill ?? Math.ceil(12 + iconWidth + text.width + chevronWidth + 12);
  const height = opts.height ?? CONTROL_HEIGHT;
  const top = opts.height ? 8 : (height - text.height) / 2;
  return {
    width,
    height,
    svg:
      box(width, height) +
      (opts.icon ? iconSvg(opts.icon, 12, top + 3, value !== null) : '') +
      place(text, 12 + iconWidth, top) +
      (opts.menu ? chevron(width - 22, height) : ''),
  };
}

function iconSvg(icon: 'calendar' | 'clock' | 'person', x: number, y: number, chosen: boolean): string {
  const c = COLOURS.muted;
  if (icon === 'calendar') {
    return `<g transform="translate(${x} ${y})" fill="none" stroke="${c}" stroke-width="1.4"><rect x="0.7" y="2" width="14" height="12.5" rx="2"/><path d="M0.7 6 h14 M4.5 0.5 v3 M11 0.5 v3"/></g>`;
  }
  if (icon === 'clock') {
    return `<g transform="translate(${x} ${y})" fill="none" stroke="${c}" stroke-width="1.4"><circle cx="7.5" cy="7.5" r="7"/><path d="M7.5 3.5 v4 h3"/></g>`;
  }
  const fill = chosen ? '#4a8bb5' : '#cfcfcf';
  return `<g transform="translate(${x} ${y - 1})"><rect width="17" height="17" rx="4" fill="${fill}"/><circle cx="8.5" cy="6.5" r="3" fill="#fff"/><path d="M3 15 a5.5 4.5 0 0 1 11 0 z" fill="#fff"/></g>`;
}

function optionText(el: Json): string | null {
  if (el.initial_option) return plainLabel(el.initial_option.text);
  if (Array.isArray(el.initial_options) && el.initial_options.length) {
    return el.initial_options.map((o: Json) => plainLabel(o.text)).join(', ');
  }
  return null;
}

const userName = (ctx: RenderContext, id: string) => ctx.users[id] ?? id;

function choices(el: Json, ctx: RenderContext, radio: boolean, fill?: number): Drawn {
  const chosen = new Set<string>(
    radio ? [el.initial_option?.value] : (el.initial_options ?? []).map((o: Json) => o.value),
  );
  const parts: string[] = [];
  let y = 0;
  let width = 0;
  for (const option of el.options ?? []) {
    const text = label(plainLabel(option.text), ctx, COLOURS.text, false);
    const on = chosen.has(option.value);
    const mark = radio
      ? `<circle cx="8" cy="${y + 10}" r="7.5" fill="${on ? '#1264a3' : '#fff'}" stroke="${on ? '#1264a3' : BORDER}"/>${on ? `<circle cx="8" cy="${y + 10}" r="3" fill="#fff"/>` : ''}`
      : `<rect x="0.5" y="${y + 2.5}" width="15" height="15" rx="3" fill="${on ? '#1264a3' : '#fff'}" stroke="${on ? '#1264a3' : BORDER}"/>${on ? `<path d="M4 ${y + 10} l3 3 l5 -6" fill="none" stroke="#fff" stroke-width="2"/>` : ''}`;
    parts.push(mark, place(text, 26, y));
    width = Math.max(width, 26 + text.width);
    y += Math.max(text.height, 20) + 8;
  }
  return { width: fill ?? width, height: Math.max(y - 8, 0), svg: parts.join('') };
}

/** One element; `fill` makes boxes take the full width, as in a modal's input block. */
export function renderElement(el: Json, ctx: RenderContext, fill?: number): Drawn {
  const placeholder = plainLabel(el.placeholder);
  switch (el.type) {
    case 'button':
      return button(el, ctx);
    case 'overflow':
      return overflow();
    case 'static_select':
    case 'external_select':
    case 'multi_static_select':
    case 'multi_external_select':
      return field(optionText(el), placeholder || 'Select an item', ctx, { fill, menu: true });
    case 'users_select':
      return field(el.initial_user ? userName(ctx, el.initial_user) : null, placeholder || 'Select a person', ctx, {
        fill,
        menu: true,
        icon: 'person',
      });
    case 'multi_users_select': {
      const users: string[] = el.initial_users ?? [];
      return field(
        users.length ? users.map((u) => userName(ctx, u)).join(', ') : null,
        placeholder || 'Select people',
        ctx,
        {
          fill,
          menu: true,
        },
      );
    }
    case 'conversations_select':
    case 'channels_select': {
      const id = el.initial_conversation ?? el.initial_channel;
      return field(id ? `#${ctx.channels[id] ?? id}` : null, placeholder || 'Select a channel', ctx, {
        fill,
        menu: true,
      });
    }
    case 'datepicker':
      return field(el.initial_date ?? null, placeholder || 'Select a date', ctx, {
        fill,
        icon: 'calendar',
        menu: true,
      });
    case 'timepicker':
      return field(el.initial_time ?? null, placeholder || 'Select time', ctx, { fill, icon: 'clock', menu: true });
    case 'plain_text_input':
      return field(el.initial_value ?? null, placeholder, ctx, { fill, height: el.multiline ? 92 : undefined });
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input':
      return field(el.initial_value ?? null, placeholder, ctx, { fill });
    case 'radio_buttons':
      return choices(el, ctx, true, fill);
    case 'checkboxes':
      return choices(el, ctx, false, fill);
    case 'image':
      return imagePlaceholder(el.alt_text ?? '', 40, 40);
    default:
      return field(null, `[${String(el.type)}]`, ctx, { fill });
  }
}

/** Pictures are not fetched (no network): a tinted box with a picture sign. */
export function imagePlaceholder(altText: string, width: number, height: number): Drawn {
  const cx = width / 2;
  const cy = height / 2;
  const s = Math.min(width, height) / 4;
  return {
    width,
    height,
    svg:
      `<rect x="0" y="0" width="${fmt(width)}" height="${fmt(height)}" rx="6" fill="#eef1f4"><title>${escapeXml(altText)}</title></rect>` +
      `<path d="M${fmt(cx - s)} ${fmt(cy + s * 0.7)} l${fmt(s * 0.7)} ${fmt(-s)} l${fmt(s * 0.5)} ${fmt(s * 0.6)} l${fmt(s * 0.3)} ${fmt(-s * 0.3)} l${fmt(s * 0.5)} ${fmt(s * 0.7)} z" fill="#b5c2cf"/>` +
      `<circle cx="${fmt(cx + s * 0.5)}" cy="${fmt(cy - s * 0.5)}" r="${fmt(s * 0.25)}" fill="#b5c2cf"/>`,
  };
}

export { place };
