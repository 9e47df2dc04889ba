/**
 * The emoji the app's views use, drawn as small flat icons (DejaVu has no colour emoji, and
 * a picture must not depend on an emoji font the machine may lack). Each draws in a box of
 * `size` px whose top-left corner is (x, y). A shortcode not listed here is shown as text.
 */

type Icon = (x: number, y: number, s: number) => string;

const f = (n: number) => Number(n.toFixed(2));

const roundedSquare = (x: number, y: number, s: number, fill: string) =>
  `<rect x="${f(x + s * 0.06)}" y="${f(y + s * 0.06)}" width="${f(s * 0.88)}" height="${f(s * 0.88)}" rx="${f(s * 0.18)}" fill="${fill}"/>`;

const circle = (cx: number, cy: number, r: number, fill: string) =>
  `<circle cx="${f(cx)}" cy="${f(cy)}" r="${f(r)}" fill="${fill}"/>`;

const path = (x: number, y: number, s: number, d: string, attrs: string) =>
  `<path transform="translate(${f(x)} ${f(y)}) scale(${f(s / 20)})" d="${d}" ${attrs}/>`;

const ICONS: Record<string, Icon> = {
  white_check_mark: (x, y, s) =>
    roundedSquare(x, y, s, '#3da35d') +
    path(
      x,
      y,
      s,
      'M5 10.5 L8.5 14 L15 6.5',
      'fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"',
    ),
  x: (x, y, s) =>
    path(
      x,
      y,
      s,
      'M4.5 4.5 L15.5 15.5 M15.5 4.5 L4.5 15.5',
      'stroke="#dd2e44" stroke-width="3.4" stroke-linecap="round"',
    ),
  warning: (x, y, s) =>
    path(x, y, s, 'M10 1.8 L19 17.6 Q19.4 18.6 18.3 18.6 L1.7 18.6 Q0.6 18.6 1 17.6 Z', 'fill="#ffcc4d"') +
    path(x, y, s, 'M10 6.5 L10 12.2 M10 15.2 L10 15.4', 'stroke="#231f20" stroke-width="2.3" stroke-linecap="round"'),
  bell: (x, y, s) =>
    path(
      x,
      y,
      s,
      'M10 2 C6 2 4.6 5.2 4.6 8.4 L4.6 12.2 L2.6 15 L17.4 15 L15.4 12.2 L15.4 8.4 C15.4 5.2 14 2 10 2 Z',
      'fill="#ffac33"',
    ) + path(x, y, s, 'M7.6 16 A2.4 2.4 0 0 0 12.4 16 Z', 'fill="#f4900c"'),
  new: (x, y, s) =>
    `<rect x="${f(x)}" y="${f(y + s * 0.12)}" width="${f(s * 1.5)}" height="${f(s * 0.76)}" rx="${f(s * 0.15)}" fill="#3b88c3"/>` +
    `<text x="${f(x + s * 0.75)}" y="${f(y + s * 0.69)}" font-family="DejaVu Sans" font-weight="bold" font-size="${f(s * 0.42)}" fill="#fff" text-anchor="middle">NEW</text>`,
  zzz: (x, y, s) =>
    `<text x="${f(x)}" y="${f(y + s * 0.85)}" font-family="DejaVu Sans" font-weight="bold" font-size="${f(s * 0.55)}" fill="#5dadec">z<tspan dy="${f(-s * 0.2)}">z</tspan><tspan dy="${f(-s * 0.2)}">z</tspan></text>`,
  hourglass_flowing_sand: (x, y, s) =>
    path(x, y, s, 'M4 2 L16 2 M4 18 L16 18', 'stroke="#8a5a44" stroke-width="2.2" stroke-linecap="round"') +
    path(
      x,
      y,
      s,
      'M5.5 3 L14.5 3 L10 10 L14.5 17 L5.5 17 L10 10 Z',
      'fill="#dce9f2" stroke="#99aab5" stroke-width="1"',
    ) +
    path(x, y, s, 'M7.5 16.5 L12.5 16.5 L10 12.5 Z M8.2 5 L11.8 5 L10 8 Z', 'fill="#ffac33"'),
  rotating_light: (x, y, s) =>
    path(x, y, s, 'M5 13 L5 9 A5 5 0 0 1 15 9 L15 13 Z', 'fill="#dd2e44"') +
    `<rect x="${f(x + s * 0.15)}" y="${f(y + s * 0.66)}" width="${f(s * 0.7)}" height="${f(s * 0.22)}" rx="${f(s * 0.05)}" fill="#66757f"/>`,
  tada: (x, y, s) =>
    path(x, y, s, 'M2.5 18 L7 6 L14 13 Z', 'fill="#ffac33"') +
    path(
      x,
      y,
      s,
      'M11 3 L12 5 M15 5 L13.5 7 M17 9 L14.8 9.6',
      'stroke="#dd2e44" stroke-width="1.6" stroke-linecap="round"',
    ) +
    `<circle cx="${f(x + s * 0.8)}" cy="${f(y + s * 0.2)}" r="${f(s * 0.07)}" fill="#55acee"/>`,
  alarm_clock: (x, y, s) =>
    path(
      x,
      y,
      s,
      'M3.5 5 L6 2.5 M16.5 5 L14 2.5 M6 17.5 L4.5 19 M14 17.5 L15.5 19',
      'stroke="#dd2e44" stroke-width="2" stroke-linecap="round"',
    ) +
    `<circle cx="${f(x + s / 2)}" cy="${f(y + s * 0.55)}" r="${f(s * 0.36)}" fill="#dd2e44"/><circle cx="${f(x + s / 2)}" cy="${f(y + s * 0.55)}" r="${f(s * 0.28)}" fill="#fff"/>` +
    path(
      x,
      y,
      s,
      'M10 7.5 L10 11 L12.5 12.5',
      'fill="none" stroke="#31373d" stroke-width="1.6" stroke-linecap="round"',
    ),
  large_orange_circle: (x, y, s) =>
    `<circle cx="${f(x + s / 2)}" cy="${f(y + s / 2)}" r="${f(s * 0.42)}" fill="#f4900c"/>`,
  red_circle: (x, y, s) => `<circle cx="${f(x + s / 2)}" cy="${f(y + s / 2)}" r="${f(s * 0.42)}" fill="#dd2e44"/>`,
  large_yellow_circle: (x, y, s) =>
    `<circle cx="${f(x + s / 2)}" cy="${f(y + s / 2)}" r="${f(s * 0.42)}" fill="#fdcb58"/>`,
  bulb: (x, y, s) =>
    path(x, y, s, 'M10 1.5 A6 6 0 0 1 14 12 L13 14 L7 14 L6 12 A6 6 0 0 1 10 1.5 Z', 'fill="#ffd983"') +
    path(
      x,
      y,
      s,
      'M7.5 15.5 L12.5 15.5 M8 17.8 L12 17.8',
      'stroke="#99aab5" stroke-width="1.8" stroke-linecap="round"',
    ),
  grey_question: (x, y, s) =>
    path(
      x,
      y,
      s,
      'M6.5 6.5 A3.5 3.5 0 1 1 11.5 9.5 Q10 10.5 10 12.5 M10 16 L10 16.2',
      'fill="none" stroke="#99aab5" stroke-width="2.6" stroke-linecap="round"',
    ),
  no_bell: (x, y, s) =>
    ICONS.bell!(x, y, s) + path(x, y, s, 'M3 3 L17 17', 'stroke="#dd2e44" stroke-width="2.2" stroke-linecap="round"'),
  sunny: (x, y, s) =>
    path(
      x,
      y,
      s,
      'M10 1 L10 3.5 M10 16.5 L10 19 M1 10 L3.5 10 M16.5 10 L19 10 M3.6 3.6 L5.4 5.4 M14.6 14.6 L16.4 16.4 M3.6 16.4 L5.4 14.6 M14.6 5.4 L16.4 3.6',
      'stroke="#ffac33" stroke-width="1.8" stroke-linecap="round"',
    ) + circle(x + s / 2, y + s / 2, s * 0.25, '#ffac33'),
  sunrise: (x, y, s) =>
    roundedSquare(x, y, s, '#88c9f9') +
    `<circle cx="${f(x + s / 2)}" cy="${f(y + s * 0.66)}" r="${f(s * 0.22)}" fill="#ffcc4d"/>` +
    `<rect x="${f(x + s * 0.06)}" y="${f(y + s * 0.66)}" width="${f(s * 0.88)}" height="${f(s * 0.28)}" fill="#5c913b"/>`,
  heavy_minus_sign: (x, y, s) =>
    path(x, y, s, 'M4 10 L16 10', 'stroke="#31373d" stroke-width="3.2" stroke-linecap="round"'),
};

/** Width an emoji takes in a line of `size` px text, or null when it is shown as text. */
export function emojiWidth(name: string, size: number): number | null {
  if (!ICONS[name]) return null;
  return name === 'new' ? size * 1.75 : size * 1.2;
}

/** SVG of the emoji sitting on a line whose text baseline is at `baseline`. */
export function emojiSvg(name: string, x: number, baseline: number, size: number): string {
  const box = size * 1.1;
  return ICONS[name]!(x, baseline - box * 0.84, box);
}
