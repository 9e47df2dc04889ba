import { buildPipelineChartSpec, type RouteBarRow, type StageBarRow } from '../../src/charts/pipeline-chart';
import { pipelineChartAltText, pipelineChartData } from '../../src/charts/pipeline-chart-data';
import { formatUsd } from '../../src/common/money';
import type { CrmPrisma } from '../../src/db/client';
import { computeDigestFigures, type DigestFigures } from '../../src/domain/digest-figures';
import { DEFAULT_STALE_THRESHOLDS } from '../../src/domain/settings';
import { buildDigestMessage } from '../../src/slack/views/digest-message';
import { openTestDatabase } from '../support/databases';
import { seedLead } from '../support/seed-leads';

const now = new Date('2026-11-30T05:00:00Z');
const from = new Date('2026-11-23T05:00:00Z');
const stageLabels = { active_account: 'حساب <نشط> & Co', trial_order: 'Trial, "paid"' };
const timeZone = 'Asia/Dubai';

/** "$1,234.56" / "-$12.00" / "+$3.00" → cents. */
function cents(usd: string): bigint {
  const negative = usd.includes('-');
  const digits = usd.replace(/[^0-9]/g, '');
  return negative ? -BigInt(digits) : BigInt(digits);
}

function unescapeMrkdwn(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

interface DigestStageLine {
  label: string;
  count: number;
  usdCents: bigint;
  usdText: string;
  countChange: number;
  usdChange: bigint;
}

/** The digest's pipeline lines as a reader sees them: "*Lead*: 3 leads · $1,234.56 (+1 · +$100.00)". */
function digestPipeline(blocks: any[]): DigestStageLine[] {
  const section = blocks.find((b) => b.type === 'section' && b.text.text.startsWith('*Pipeline*'));
  return section.text.text
    .split('\n')
    .slice(1)
    .map((line: string) => {
      const m = /^\*(.+)\*: ([\d,]+) leads? · (-?\$[\d,]+\.\d\d)(?: \(([+-]?\d+) · ([+-]?-?\$[\d,]+\.\d\d)\))?/.exec(
        line,
      );
      if (!m) throw new Error(`unreadable pipeline line: ${line}`);
      return {
        label: unescapeMrkdwn(m[1]!),
        count: Number(m[2]!.replace(/,/g, '')),
        usdText: m[3]!,
        usdCents: cents(m[3]!),
        countChange: m[4] ? Number(m[4]) : 0,
        usdChange: m[5] ? cents(m[5]) : 0n,
      };
    });
}

function digestStageChanges(blocks: any[]): number {
  const section = blocks.find((b) => b.type === 'section' && b.text.text.startsWith('*Stage changes'));
  return Number(/^\*Stage changes \(([\d,]+)\)\*/.exec(section.text.text)![1]!.replace(/,/g, ''));
}

async function seed(prisma: CrmPrisma): Promise<void> {
  const stages = [
    'lead',
    'lead',
    'lead',
    'contacted',
    'contacted',
    'negotiation',
    'trial_order',
    'active_account',
    'active_account',
    'churned',
  ];
  const ids: number[] = [];
  for (const [i, stage] of stages.entries()) {
    ids.push(
      await seedLead(prisma, {
        customerId: `c${i}`,
        name: `Customer ${i}`,
        stage,
        lifetimeUsdCents: BigInt(1_000_00 * (i + 1) + i * 37),
        unknownCurrencies: i === 5 ? 'GBP' : '',
        lastOrderAt: new Date('2026-11-25T10:00:00Z'),
      }),
    );
  }
  const move = (leadId: number, fromValue: string, toValue: string, at: string) =>
    prisma.activity.create({
      data: {
        leadId,
        actorId: 'U0AM1',
        kind: 'stage_change',
        fromValue,
        toValue,
        isTouch: true,
        createdAt: new Date(at),
      },
    });
  await move(ids[3]!, 'lead', 'contacted', '2026-11-24T10:00:00Z');
  await move(ids[4]!, 'lead', 'contacted', '2026-11-25T10:00:00Z');
  await move(ids[5]!, 'contacted', 'negotiation', '2026-11-26T10:00:00Z');
  await move(ids[7]!, 'trial_order', 'active_account', '2026-11-27T10:00:00Z');
  await move(ids[9]!, 'active_account', 'churned', '2026-11-28T10:00:00Z');
  // Before the period: in neither the text nor the picture.
  await move(ids[8]!, 'trial_order', 'active_account', '2026-11-01T10:00:00Z');
}

describe('the digest picture shows the digest text’s figures', () => {
  let figures: DigestFigures;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const opened = await openTestDatabase('sqlite');
    cleanup = opened.cleanup;
    const db = opened.db;
    await seed(db.prisma);
    const previous = {
      takenAt: from,
      periodKey: 'weekly:2026-11-23',
      stages: {
        lead: { count: 5, usdCents: 4_000_00n },
        contacted: { count: 1, usdCents: 999_99n },
        active_account: { count: 2, usdCents: 17_000_00n },
      },
    };
    figures = await computeDigestFigures(db.prisma, {
      from,
      to: now,
      now,
      staleThresholds: DEFAULT_STALE_THRESHOLDS,
      previous,
    });
  });
  afterAll(() => cleanup());

  it('stage by stage, the bars carry the text’s counts and exact USD, now and at the previous digest', () => {
    const message = buildDigestMessage(figures, { stageLabels, timeZone, homeUrl: null });
    const text = digestPipeline(message.blocks as any[]);
    const spec = buildPipelineChartSpec(pipelineChartData(figures, { stageLabels, timeZone })) as any;
    const rows: StageBarRow[] = spec.vconcat[0].data.values;
    const now = rows.filter((r) => r.series.startsWith('Now'));
    const before = rows.filter((r) => r.series.startsWith('Previous digest'));

    expect(text).toHaveLength(6);
    expect(now.map((r) => r.stage)).toEqual(text.map((t) => t.label));
    for (const [i, t] of text.entries()) {
      expect(now[i]).toMatchObject({ count: t.count, usdCents: t.usdCents.toString() });
      expect(now[i]!.usdText.replace(/ \*$/, '')).toBe(t.usdText);
      expect(before[i]).toMatchObject({
        stage: t.label,
        count: t.count - t.countChange,
        usdCents: (t.usdCents - t.usdChange).toString(),
      });
    }
    // A figure the text marks incomplete is marked on the picture too.
    const negotiation = now.find((r) => r.stage === 'Negotiation')!;
    expect(negotiation.usdText.endsWith(' *')).toBe(true);
    expect(spec.title.subtitle).toContain('* incomplete: GBP not converted to USD');
  });

  it('the routes drawn add up to the text’s count of stage changes', () => {
    const message = buildDigestMessage(figures, { stageLabels, timeZone, homeUrl: null });
    const spec = buildPipelineChartSpec(pipelineChartData(figures, { stageLabels, timeZone })) as any;
    const routes: RouteBarRow[] = spec.vconcat[1].data.values;
    const total = digestStageChanges(message.blocks as any[]);
    expect(total).toBe(5);
    expect(routes.reduce((n, r) => n + r.count, 0)).toBe(total);
    expect(routes[0]).toMatchObject({ route: 'Lead → Contacted', count: 2 });
    expect(spec.vconcat[1].title.text).toBe(`Stage changes in the period: ${total}`);
  });

  it('the alt text states every stage’s figures as the text does', () => {
    const message = buildDigestMessage(figures, { stageLabels, timeZone, homeUrl: null });
    const alt = pipelineChartAltText(pipelineChartData(figures, { stageLabels, timeZone }));
    const leads = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'lead' : 'leads'}`;
    for (const t of digestPipeline(message.blocks as any[])) {
      expect(alt).toContain(`${t.label}: ${leads(t.count)}, ${t.usdText}`);
      if (t.countChange !== 0 || t.usdChange !== 0n) {
        expect(alt).toContain(`previously ${leads(t.count - t.countChange)}, ${formatUsd(t.usdCents - t.usdChange)}`);
      }
    }
    expect(alt).toContain(`Stage changes in the period: ${digestStageChanges(message.blocks as any[])}`);
    expect(alt.length).toBeLessThanOrEqual(1000);
  });
});
