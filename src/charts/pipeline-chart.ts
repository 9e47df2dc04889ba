import { dirname, join } from 'node:path';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { formatUsd, UNREADABLE_ROW } from '../common/money';
import { type PipelineChartData, pipelineChartAltText, rhythmSentence } from './pipeline-chart-data';

/**
 * The digest's pipeline picture, drawn on the server: a Vega-Lite spec, compiled and laid
 * out headless by Vega to SVG, rasterised to PNG by resvg. Text is set in DejaVu Sans from
 * an npm package (broad script coverage, Arabic included), never from system fonts, so the
 * picture looks the same in the slim Docker image as on a laptop.
 */

export interface RenderedChart {
  png: Buffer;
  altText: string;
}

const FONT_FAMILY = 'DejaVu Sans';
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const CHART_FONT_FILES = [join(FONT_DIR, 'DejaVuSans.ttf'), join(FONT_DIR, 'DejaVuSans-Bold.ttf')];

const NOW_COLOUR = '#1d3557';
const BEFORE_COLOUR = '#a8c5e2';
const MOVE_COLOUR = '#e07a2f';
/** Routes drawn one by one; the rest share one bar, so the picture keeps its size. */
export const MAX_CHART_ROUTES = 8;
/** Pixels per CSS pixel of the spec: sharp on high-density screens, still a small file. */
const SCALE = 2;

export interface StageBarRow {
  stage: string;
  order: number;
  series: string;
  count: number;
  countText: string;
  /** Bar length only: the exact figure is `usdText` / `usdCents`. */
  usd: number;
  usdText: string;
  usdCents: string;
}

export interface RouteBarRow {
  route: string;
  order: number;
  count: number;
  countText: string;
}

/** The rows the picture is drawn from; tests compare them with the digest's text. */
export function pipelineChartRows(data: PipelineChartData): { stages: StageBarRow[]; routes: RouteBarRow[] } {
  const now = data.previousAt ? 'Now' : 'Now (no previous digest)';
  const before = `Previous digest (${data.previousAt})`;
  const stages: StageBarRow[] = [];
  data.stages.forEach((s, order) => {
    const mark = s.incompleteCount ? ' *' : '';
    if (s.previousCount !== null && s.previousUsdCents !== null) {
      stages.push(bar(s.label, order, before, s.previousCount, s.previousUsdCents, ''));
    }
    stages.push(bar(s.label, order, now, s.count, s.usdCents, mark));
  });
  const shown = data.movements.routes.slice(
    0,
    data.movements.routes.length > MAX_CHART_ROUTES ? MAX_CHART_ROUTES - 1 : MAX_CHART_ROUTES,
  );
  const routes: RouteBarRow[] = shown.map((r, order) => ({
    route: `${r.from} → ${r.to}`,
    order,
    count: r.count,
    countText: r.count.toLocaleString('en-US'),
  }));
  const others = data.movements.routes.slice(shown.length);
  if (others.length) {
    const count = others.reduce((n, r) => n + r.count, 0);
    routes.push({
      route: `${others.length} other routes`,
      order: shown.length,
      count,
      countText: count.toLocaleString('en-US'),
    });
  }
  return { stages, routes };
}

function bar(stage: string, order: number, series: string, count: number, usdCents: bigint, mark: string): StageBarRow {
  return {
    stage,
    order,
    series,
    count,
    countText: `${count.toLocaleString('en-US')}${mark}`,
    usd: Number(usdCents) / 100,
    usdText: `${formatUsd(usdCents)}${mark}`,
    usdCents: usdCents.toString(),
  };
}

/** From zero (or a negative figure: refunds can outweigh orders) with room right of the longest bar for its label. */
function domain(values: number[], headroom: number): [number, number] {
  const max = Math.max(0, ...values);
  return [Math.min(0, ...values), max === 0 ? 1 : max * headroom];
}

export function buildPipelineChartSpec(data: PipelineChartData): TopLevelSpec {
  const rows = pipelineChartRows(data);
  const series = [...new Set(rows.stages.map((r) => r.series))];
  const colour = {
    field: 'series',
    type: 'nominal',
    scale: { domain: series, range: series.length === 2 ? [BEFORE_COLOUR, NOW_COLOUR] : [NOW_COLOUR] },
    legend: { orient: 'top', title: null, direction: 'horizontal', labelFontSize: 11, labelLimit: 400 },
  } as const;
  const stageAxis = {
    field: 'stage',
    type: 'nominal',
    sort: { field: 'order', op: 'min' },
    title: null,
    axis: { labelLimit: 150 },
  } as const;
  const panel = (
    title: string,
    value: 'count' | 'usd',
    text: 'countText' | 'usdText',
    headroom: number,
    format?: string,
  ) => ({
    title: { text: title, anchor: 'start', fontSize: 13 },
    width: 300,
    height: { step: series.length === 2 ? 13 : 18 },
    encoding: {
      y: stageAxis,
      yOffset: { field: 'series', type: 'nominal', sort: series },
      x: {
        field: value,
        type: 'quantitative',
        title: null,
        scale: {
          domain: domain(
            rows.stages.map((r) => r[value]),
            headroom,
          ),
          nice: false,
        },
        axis: { tickCount: 4, grid: true, ...(format ? { format } : { tickMinStep: 1 }) },
      },
    },
    layer: [
      { mark: { type: 'bar', cornerRadiusEnd: 2 }, encoding: { color: colour } },
      {
        mark: { type: 'text', align: 'left', dx: 3, fontSize: 10, color: '#222' },
        encoding: { text: { field: text, type: 'nominal' } },
      },
    ],
  });
  const incompleteSubtitle = (codes: string[]) => {
    const currencies = codes.filter((c) => c !== UNREADABLE_ROW);
    const unread = currencies.length < codes.length ? 'a row that could not be read' : '';
    const converted =
      currencies.length || !unread ? `${currencies.join(', ') || 'a currency'} not converted to USD` : '';
    return `* incomplete: ${[converted, unread].filter(Boolean).join('; ')}`;
  };
  const anyIncomplete = data.stages.some((s) => s.incompleteCount > 0);
  const unknown = [...new Set(data.stages.flatMap((s) => s.unknownCurrencies))].sort();
  const subtitle = [
    data.period,
    ...(data.rhythm ? [rhythmSentence(data.rhythm)] : []),
    ...(anyIncomplete ? [incompleteSubtitle(unknown)] : []),
  ];
  const movesTitle = `Stage changes in the period: ${data.movements.total.toLocaleString('en-US')}`;
  const moves =
    rows.routes.length === 0
      ? {
          title: { text: movesTitle, anchor: 'start', fontSize: 13 },
          width: 700,
          height: 24,
          data: { values: [{ text: 'No lead changed stage in this period.' }] },
          mark: { type: 'text', align: 'left', x: 0, y: 12, fontSize: 11, color: '#555' },
          encoding: { text: { field: 'text', type: 'nominal' } },
        }
      : {
          title: { text: movesTitle, anchor: 'start', fontSize: 13 },
          width: 700,
          height: { step: 18 },
          data: { values: rows.routes },
          encoding: {
            y: {
              field: 'route',
              type: 'nominal',
              sort: { field: 'order', op: 'min' },
              title: null,
              axis: { labelLimit: 260 },
            },
            x: {
              field: 'count',
              type: 'quantitative',
              title: null,
              scale: {
                domain: domain(
                  rows.routes.map((r) => r.count),
                  1.12,
                ),
                nice: false,
              },
              axis: { tickMinStep: 1, tickCount: 4 },
            },
          },
          layer: [
            { mark: { type: 'bar', color: MOVE_COLOUR, cornerRadiusEnd: 2 } },
            {
              mark: { type: 'text', align: 'left', dx: 3, fontSize: 10, color: '#222' },
              encoding: { text: { field: 'countText', type: 'nominal' } },
            },
          ],
        };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: 'Pipeline by stage',
      subtitle,
      anchor: 'start',
      fontSize: 16,
      subtitleFontSize: 11,
      subtitleColor: '#444',
    },
    background: 'white',
    padding: 16,
    config: {
      font: FONT_FAMILY,
      view: { stroke: null },
      axis: { labelFontSize: 10, domainColor: '#999', tickColor: '#999', gridColor: '#eee' },
    },
    vconcat: [
      {
        data: { values: rows.stages },
        hconcat: [panel('Leads', 'count', 'countText', 1.18), panel('Lifetime USD', 'usd', 'usdText', 1.55, '$~s')],
      },
      moves,
    ],
    spacing: 24,
  } as TopLevelSpec;
}

/** Vega's layout without a canvas, to SVG. Only inline data: the loader is never asked for a URL. */
export async function pipelineChartSvg(data: PipelineChartData): Promise<string> {
  const view = new vega.View(vega.parse(compile(buildPipelineChartSpec(data)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** System fonts off: the picture must not depend on what the machine happens to have installed. */
export const CHART_RESVG_OPTIONS: ResvgRenderOptions = {
  font: {
    fontFiles: CHART_FONT_FILES,
    loadSystemFonts: false,
    defaultFontFamily: FONT_FAMILY,
    sansSerifFamily: FONT_FAMILY,
  },
  fitTo: { mode: 'zoom', value: SCALE },
  background: 'white',
};

export async function renderPipelineChart(data: PipelineChartData): Promise<RenderedChart> {
  const svg = await pipelineChartSvg(data);
  return { png: new Resvg(svg, CHART_RESVG_OPTIONS).render().asPng(), altText: pipelineChartAltText(data) };
}
