import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emojiWidth } from '../../src/preview/render/emoji';
import { loadFontMetrics } from '../../src/preview/render/font-metrics';
import { parseMrkdwn } from '../../src/preview/render/parse-mrkdwn';
import { svgToPng } from '../../src/preview/render/png';
import { renderSurfaceSvg } from '../../src/preview/render/surface';
import { layoutText, lineHeightOf } from '../../src/preview/render/text-layout';

const fonts = loadFontMetrics();
const ctx = { fonts, users: { U1: 'Sara Nair' }, channels: { C1: 'sales' }, appName: 'CRM', messageTime: '10:00' };

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('mrkdwn as the pictures read it', () => {
  it('reads bold, italic, strike, code, links, mentions, dates and emoji', () => {
    const [line] = parseMrkdwn(
      '*Evil* _new_ ~old~ `C-1` <https://x.example|the site> <@U1> <#C1> <!date^1795788000^{date_short}|2026-11-27> :warning:',
      ctx,
    );
    const runs = line!.runs.filter((r) => !('text' in r) || r.text.trim() !== '');
    expect(runs).toEqual([
      { text: 'Evil', style: { bold: true } },
      { text: 'new', style: { italic: true } },
      { text: 'old', style: { strike: true } },
      { text: 'C-1', style: { code: true } },
      { text: 'the site', style: { link: true } },
      { text: '@Sara Nair', style: { mention: true } },
      { text: '#sales', style: { mention: true } },
      { text: '2026-11-27', style: {} },
      { emoji: 'warning', style: {} },
    ]);
  });

  it('leaves delimiters inside words alone and shows escaped text as text, never as a mention', () => {
    const [line] = parseMrkdwn('snake_case_name 2*3*4 &lt;!channel&gt; &amp; Co');
    expect(line!.runs).toEqual([{ text: 'snake_case_name 2*3*4 <!channel> & Co', style: {} }]);
  });

  it('marks quoted lines', () => {
    expect(parseMrkdwn('*Notes*\n> first').map((l) => l.quote)).toEqual([false, true]);
  });
});

describe('text layout', () => {
  it('wraps at the width it is given and grows a line at a time', () => {
    const lines = parseMrkdwn('word '.repeat(40).trim());
    const wide = layoutText(lines, 2000, fonts, { size: 15, colour: '#000' });
    const narrow = layoutText(lines, 200, fonts, { size: 15, colour: '#000' });
    expect(wide.height).toBe(lineHeightOf(15));
    expect(narrow.height).toBeGreaterThan(5 * lineHeightOf(15));
    expect(narrow.width).toBeLessThanOrEqual(200);
  });

  it('cuts a word wider than the box instead of overflowing', () => {
    const laid = layoutText(parseMrkdwn('x'.repeat(200)), 120, fonts, { size: 15, colour: '#000' });
    expect(laid.width).toBeLessThanOrEqual(120);
    expect(laid.height).toBeGreaterThan(lineHeightOf(15));
  });
});

describe('a surface as SVG and PNG', () => {
  const message = {
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: '*&lt;!channel&gt; Evil &amp; Co* owes <@U1> a call' } },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Done' }, style: 'primary' }] },
      { type: 'rich_text', elements: [] },
    ],
  };

  it('draws the text Slack would show, escaped for SVG, and names a block it does not know', () => {
    const svg = renderSurfaceSvg('message', message, ctx);
    expect(texts(svg)).toEqual(
      expect.arrayContaining(['&lt;!channel&gt; Evil &amp; Co', '@Sara Nair', 'Done', '[rich_text block]']),
    );
    expect(svg).not.toContain('<!channel>');
  });

  it('is a pure function: the same JSON gives the same SVG and the same PNG bytes', () => {
    const a = renderSurfaceSvg('message', message, ctx);
    expect(renderSurfaceSvg('message', structuredClone(message), ctx)).toBe(a);
    expect(svgToPng(a).equals(svgToPng(a))).toBe(true);
  });

  it('frames a modal with its title and footer buttons, and a Home tab at its full width', () => {
    const modal = renderSurfaceSvg(
      'modal',
      {
        type: 'modal',
        title: { type: 'plain_text', text: 'Change stage' },
        submit: { type: 'plain_text', text: 'Save' },
        close: { type: 'plain_text', text: 'Cancel' },
        blocks: [
          {
            type: 'input',
            label: { type: 'plain_text', text: 'Note' },
            optional: true,
            element: { type: 'plain_text_input', multiline: true },
          },
        ],
      },
      ctx,
    );
    expect(texts(modal)).toEqual(expect.arrayContaining(['Change stage', 'Save', 'Cancel', 'Note', ' (optional)']));
    const optional = /<text([^>]*)> \(optional\)<\/text>/.exec(modal)![1]!;
    expect(optional).toContain('fill="#616061"');
    expect(optional).not.toContain('bold');
    const home = svgToPng(renderSurfaceSvg('home', { type: 'home', blocks: [] }, ctx));
    // PNG IHDR: width at byte 16; the Home frame is 860 px drawn at 1.5x.
    expect(home.readUInt32BE(16)).toBe(1290);
  });
});

describe('emoji', () => {
  it("draws every emoji shortcode the app's views write, so no picture shows one as :text:", () => {
    const views = join(__dirname, '..', '..', 'src', 'slack', 'views');
    const used = new Set(
      readdirSync(views).flatMap((f) =>
        [...readFileSync(join(views, f), 'utf8').matchAll(/:([a-z][a-z0-9_]+):/g)].map((m) => m[1]!),
      ),
    );
    expect(used).toContain('warning');
    expect([...used].filter((name) => emojiWidth(name, 15) === null)).toEqual([]);
    expect(emojiWidth('not_an_emoji_we_draw', 15)).toBeNull();
  });
});
