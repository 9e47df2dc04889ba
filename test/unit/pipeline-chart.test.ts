import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { demoDigestFigures } from '../../src/charts/demo-digest';
import {
  buildPipelineChartSpec,
  CHART_FONT_FILES,
  CHART_RESVG_OPTIONS,
  MAX_CHART_ROUTES,
  pipelineChartRows,
  pipelineChartSvg,
  renderPipelineChart,
} from '../../src/charts/pipeline-chart';
import { MAX_ALT_TEXT, pipelineChartAltText, pipelineChartData } from '../../src/charts/pipeline-chart-data';
import { STAGES } from '../../src/common/stages';
import type { DigestFigures } from '../../src/domain/digest-figures';

const options = { stageLabels: {}, timeZone: 'Asia/Dubai' };

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Pixels clearly darker than the white background. */
function darkPixels(svg: string, font: ConstructorParameters<typeof Resvg>[1]): number {
  const { pixels } = new Resvg(svg, font).render();
  let n = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3]! > 0 && pixels[i]! < 128) n += 1;
  return n;
}

describe('pipeline chart rendering', () => {
  it('draws the demo week as a PNG with its alt text', async () => {
    const { png, altText } = await renderPipelineChart(pipelineChartData(demoDigestFigures(), options));
    const { width, height } = pngSize(png);
    expect(width).toBeGreaterThan(1200);
    expect(height).toBeGreaterThan(600);
    expect(altText).toMatch(
      /^Bar charts of the CRM pipeline by stage for Mon 23 Nov, 09:00 – Mon 30 Nov, 09:00 \(Asia\/Dubai\)/,
    );
    expect(altText).toContain(
      'Lead: 412 leads, $1,523,456.78; previously 375 leads, $1,424,691.35 (+37, +$98,765.43).',
    );
    expect(altText).toContain('Negotiation: 31 leads, $512,339.01 (2 incomplete: GBP not converted)');
  });

  it('sets its text in the DejaVu Sans files shipped in node_modules, with system fonts off', async () => {
    for (const file of CHART_FONT_FILES) {
      expect(file).toMatch(/node_modules[\\/]dejavu-fonts-ttf[\\/]ttf[\\/]DejaVuSans(-Bold)?\.ttf$/);
      expect(existsSync(file)).toBe(true);
    }
    const svg = await pipelineChartSvg(pipelineChartData(demoDigestFigures(), options));
    expect(svg).toContain('font-family="DejaVu Sans"');
    // Text only: what the fonts draw, and what nothing draws without them.
    const textOnly =
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="30" font-family="DejaVu Sans" font-size="24">Lead حساب</text></svg>';
    expect(darkPixels(textOnly, CHART_RESVG_OPTIONS)).toBeGreaterThan(200);
    expect(darkPixels(textOnly, { font: { loadSystemFonts: false }, background: 'white' })).toBe(0);
  });

  it('on a first digest shows today only and says there is nothing to compare with', async () => {
    const first: DigestFigures = {
      ...demoDigestFigures(),
      comparedWith: null,
      pipeline: demoDigestFigures().pipeline.map((s) => ({ ...s, countChange: null, usdChange: null })),
    };
    const data = pipelineChartData(first, options);
    const rows = pipelineChartRows(data);
    expect(new Set(rows.stages.map((r) => r.series))).toEqual(new Set(['Now (no previous digest)']));
    expect(rows.stages).toHaveLength(STAGES.length);
    expect(pipelineChartAltText(data)).toContain('(no previous digest to compare with)');
    pngSize((await renderPipelineChart(data)).png);
  });

  it('with no stage changes says so in the picture and in words', async () => {
    const quiet: DigestFigures = { ...demoDigestFigures(), movements: { total: 0, latest: [], paths: [] } };
    const data = pipelineChartData(quiet, options);
    const spec = buildPipelineChartSpec(data) as any;
    expect(spec.vconcat[1].data.values).toEqual([{ text: 'No lead changed stage in this period.' }]);
    expect(pipelineChartAltText(data)).toMatch(/No stage changes in the period\.$/);
    pngSize((await renderPipelineChart(data)).png);
  });

  it('draws the most travelled routes and one bar for the rest, adding up to the total', () => {
    const paths = Array.from({ length: 30 }, (_, i) => ({
      fromStage: STAGES[i % 6]!.slug,
      toStage: STAGES[(i + 1) % 6]!.slug,
      count: 30 - i,
    }));
    const figures: DigestFigures = {
      ...demoDigestFigures(),
      movements: { total: paths.reduce((n, p) => n + p.count, 0), latest: [], paths },
    };
    const { routes } = pipelineChartRows(pipelineChartData(figures, options));
    expect(routes).toHaveLength(MAX_CHART_ROUTES);
    expect(routes.at(-1)!.route).toBe(`${30 - MAX_CHART_ROUTES + 1} other routes`);
    expect(routes.reduce((n, r) => n + r.count, 0)).toBe(figures.movements.total);
  });

  it('keeps the alt text within Slack’s 1,000 characters, naming fewer routes and counting the rest', () => {
    const stageLabels = Object.fromEntries(STAGES.map((s) => [s.slug, `Quite a long label: ${s.slug}`]));
    const paths = Array.from({ length: 30 }, (_, i) => ({
      fromStage: STAGES[i % 6]!.slug,
      toStage: STAGES[(i + 2) % 6]!.slug,
      count: 1,
    }));
    const figures: DigestFigures = { ...demoDigestFigures(), movements: { total: 30, latest: [], paths } };
    const alt = pipelineChartAltText(pipelineChartData(figures, { stageLabels, timeZone: 'UTC' }));
    expect(alt.length).toBeLessThanOrEqual(MAX_ALT_TEXT);
    expect(alt).toContain('Stage changes in the period: 30');
    expect(alt).toMatch(/; \d+ more routes\)\.$/);
  });

  it('escapes markup in admin-chosen stage labels instead of breaking the SVG', async () => {
    const data = pipelineChartData(demoDigestFigures(), {
      stageLabels: { lead: '<b>Leads & "friends"</b>' },
      timeZone: 'UTC',
    });
    const svg = await pipelineChartSvg(data);
    expect(svg).toContain('&lt;b&gt;Leads &amp; "friends"&lt;/b&gt;');
    pngSize((await renderPipelineChart(data)).png);
  });
});
