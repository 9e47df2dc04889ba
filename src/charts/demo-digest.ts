import type { StageSlug } from '../common/stages';
import type { DigestFigures, StageFigure, StagePath } from '../domain/digest-figures';

/**
 * A made-up week of a mid-sized team, for looking at the digest picture without Slack or a
 * database (`npm run chart:preview`) and for the renderer's tests.
 */

function stage(
  slug: StageSlug,
  count: number,
  usdCents: bigint,
  countChange: number,
  usdChange: bigint,
  unknown: string[] = [],
): StageFigure {
  return {
    slug,
    count,
    usdCents,
    incompleteCount: unknown.length ? 2 : 0,
    unknownCurrencies: unknown,
    countChange,
    usdChange,
  };
}

function path(fromStage: StageSlug, toStage: StageSlug, count: number): StagePath {
  return { fromStage, toStage, count };
}

export function demoDigestFigures(): DigestFigures {
  const from = new Date('2026-11-23T05:00:00Z');
  const to = new Date('2026-11-30T05:00:00Z');
  const paths = [
    path('lead', 'contacted', 17),
    path('contacted', 'negotiation', 9),
    path('negotiation', 'trial_order', 5),
    path('trial_order', 'active_account', 4),
    path('active_account', 'churned', 2),
    path('contacted', 'lead', 2),
    path('negotiation', 'churned', 1),
    path('lead', 'negotiation', 1),
  ];
  return {
    from,
    to,
    generatedAt: to,
    comparedWith: from,
    pipeline: [
      stage('lead', 412, 1_523_456_78n, 37, 98_765_43n),
      stage('contacted', 96, 734_120_55n, 12, 81_002_10n),
      stage('negotiation', 31, 512_339_01n, -4, -22_100_00n, ['GBP']),
      stage('trial_order', 14, 120_450_00n, 3, 15_000_00n),
      stage('active_account', 58, 2_904_118_20n, 2, 140_220_35n),
      stage('churned', 9, 45_300_00n, 1, 2_100_00n),
    ],
    movements: { total: paths.reduce((n, p) => n + p.count, 0), latest: [], paths },
    newLeads: { total: 0, top: [] },
    uncontacted: { days: 90, total: 0, top: [] },
    overdue: { total: 0, byOwner: [] },
    stale: { total: 0, byStage: [], top: [] },
    rates: { oldest: new Date('2026-11-20T00:00:00Z'), newest: new Date('2026-11-20T00:00:00Z') },
  };
}
