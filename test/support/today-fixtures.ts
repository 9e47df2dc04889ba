import type {
  StageSuggestion,
  TodayAccount,
  TodayData,
  TodayFollowUp,
  TodayUncontacted,
} from '../../src/domain/who-to-call';

/** "Who to call today" data for view tests: `n` lines per list, names that try to ping a channel. */
export const NASTY_NAME = '<!channel> ACME & Co';

export function todayData(partial: Partial<TodayData> = {}, n = 3, ownerId: string | null = 'U0AM00001'): TodayData {
  const base = (i: number) => ({
    leadId: i,
    ownerId,
    customerId: `C${i}`,
    name: i === 1 ? NASTY_NAME : `Customer ${i}`,
    company: null,
    stage: 'active_account',
  });
  const followUps: TodayFollowUp[] = Array.from({ length: n }, (_, i) => ({
    ...base(100 + i),
    alertId: 500 + i,
    message: 'Call about the <!here> reorder',
    dueAt: new Date('2026-11-25T05:00:00Z'),
    overdue: i === 0,
  }));
  const accounts: TodayAccount[] = Array.from({ length: n }, (_, i) => ({
    ...base(i + 1),
    state: i === 0 ? 'at_risk' : 'overdue',
    valueAtRiskCents: 25_682n - BigInt(i),
    unknownCurrencies: [],
    lastOrderAt: new Date('2026-09-01T00:00:00Z'),
    expectedAt: new Date('2026-10-01T16:00:00Z'),
    intervalDays: 31,
  }));
  const uncontacted: TodayUncontacted[] = Array.from({ length: n }, (_, i) => ({
    ...base(200 + i),
    ownerId: null,
    stage: 'lead',
    lifetimeUsdCents: 1_000_00n,
    unknownCurrencies: i === 0 ? ['XYZ'] : [],
    lastOrderAt: new Date('2026-11-20T00:00:00Z'),
  }));
  const suggestions: StageSuggestion[] = Array.from({ length: n }, (_, i) => ({
    ...base(300 + i),
    stage: 'trial_order',
    kind: 'repeat_order',
    toStage: 'active_account',
    orderCount: 2,
    lastOrderAt: new Date('2026-11-20T00:00:00Z'),
    facts: '2',
  }));
  return {
    now: new Date('2026-11-25T09:00:00Z'),
    day: '2026-11-25',
    timeZone: 'Asia/Dubai',
    team: false,
    rhythmKnown: true,
    followUps: { items: followUps, total: n },
    accounts: { items: accounts, total: n, valueAtRiskCents: accounts.reduce((s, a) => s + a.valueAtRiskCents, 0n) },
    uncontacted: { items: uncontacted, total: n, days: 14 },
    suggestions: { items: suggestions, total: n },
    owners: [
      { ownerId, followUps: n, accounts: n, valueAtRiskCents: 77_043n, uncontacted: 0, suggestions: n },
      { ownerId: null, followUps: 0, accounts: 0, valueAtRiskCents: 0n, uncontacted: n, suggestions: 0 },
    ],
    ...partial,
  };
}
