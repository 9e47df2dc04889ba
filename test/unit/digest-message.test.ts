import { STAGES } from '../../src/common/stages';
import type { DigestFigures, DigestLead } from '../../src/domain/digest-figures';
import { dueDigestPeriod, latestDigestPeriod } from '../../src/domain/digest-schedule';
import { type DigestSchedule, SettingValidationError, validateSetting } from '../../src/domain/settings';
import { ACTION_IDS, isKnownActionId } from '../../src/slack/views/action-ids';
import { buildDigestMessage, MAX_MESSAGE_BLOCKS } from '../../src/slack/views/digest-message';

const from = new Date('2026-11-24T09:00:00Z');
const to = new Date('2026-11-25T09:00:00Z');

function lead(i: number, extra: Partial<DigestLead> = {}): DigestLead {
  return {
    leadId: i,
    customerId: `C${i}`,
    name: `Customer ${i} <!channel> & Co`,
    company: `Company ${i}`,
    stage: 'lead',
    ownerId: i % 2 ? `U0AM${i}` : null,
    lifetimeUsdCents: BigInt(1_000_000 - i),
    unknownCurrencies: [],
    lastOrderAt: new Date('2026-11-20T10:00:00Z'),
    lastTouchAt: null,
    ...extra,
  };
}

function quietFigures(): DigestFigures {
  return {
    from,
    to,
    generatedAt: to,
    pipeline: STAGES.map((s) => ({
      slug: s.slug,
      count: 0,
      usdCents: 0n,
      incompleteCount: 0,
      unknownCurrencies: [],
      countChange: null,
      usdChange: null,
    })),
    comparedWith: null,
    movements: { total: 0, latest: [], paths: [] },
    newLeads: { total: 0, top: [] },
    uncontacted: { days: 90, total: 0, top: [] },
    overdue: { total: 0, byOwner: [] },
    stale: { total: 0, byStage: [], top: [] },
    rates: { oldest: null, newest: null },
  };
}

/** A digest of a huge CRM: every list far longer than a message can hold. */
function busyFigures(): DigestFigures {
  const many = 50_000;
  return {
    ...quietFigures(),
    pipeline: STAGES.map((s, i) => ({
      slug: s.slug,
      count: many + i,
      usdCents: 123_456_789_01n,
      incompleteCount: i === 0 ? 3 : 0,
      unknownCurrencies: i === 0 ? ['XYZ'] : [],
      countChange: 12,
      usdChange: -50_00n,
    })),
    comparedWith: from,
    movements: {
      total: many,
      latest: Array.from({ length: 10 }, (_, i) => ({
        at: to,
        actorId: 'U0AM1',
        leadId: i,
        customerName: `Moved ${i} <b>`,
        fromStage: 'lead',
        toStage: 'contacted',
      })),
      paths: [{ fromStage: 'lead', toStage: 'contacted', count: many }],
    },
    newLeads: { total: many, top: Array.from({ length: 5 }, (_, i) => lead(i)) },
    uncontacted: {
      days: 90,
      total: many,
      top: Array.from({ length: 10 }, (_, i) => lead(i, { unknownCurrencies: i === 0 ? ['KWX'] : [] })),
    },
    overdue: {
      total: many,
      byOwner: Array.from({ length: 400 }, (_, i) => ({ ownerId: `U0AM${i}`, count: 100, oldestDueAt: from })),
    },
    stale: {
      total: many,
      byStage: STAGES.slice(0, 5).map((s) => ({ slug: s.slug, thresholdDays: 14, count: 10_000 })),
      top: Array.from({ length: 5 }, (_, i) => lead(i, { stage: 'negotiation', lastTouchAt: from })),
    },
    rates: { oldest: new Date('2025-11-24T00:00:00Z'), newest: new Date('2026-11-20T00:00:00Z') },
  };
}

const options = {
  stageLabels: { contacted: 'Reached out' },
  timeZone: 'Asia/Dubai',
  homeUrl: 'slack://app?team=T1&id=A1&tab=home',
};

describe('buildDigestMessage', () => {
  it('says a quiet period in one line, without an empty report', () => {
    const msg = buildDigestMessage(quietFigures(), options);
    expect(msg.blocks).toHaveLength(1);
    expect(msg.text).toMatch(/nothing new/);
    expect(JSON.stringify(msg.blocks)).toContain('Tue 24 Nov, 13:00');
  });

  it('stays within 50 blocks and 3000 characters a text with a huge CRM, and counts what it leaves out', () => {
    const msg = buildDigestMessage(busyFigures(), options);
    expect(msg.blocks.length).toBeLessThanOrEqual(MAX_MESSAGE_BLOCKS);
    for (const b of msg.blocks as any[]) if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    const all = JSON.stringify(msg.blocks);
    expect(all).toContain('…and 49,990 more');
    expect(all).toContain('…and 390 more people');
    expect(all).toContain('*Reached out*');
    expect(all).toContain('(+12 · -$50.00)');
    expect(all).toContain('3 incomplete (XYZ not converted)');
    expect(all).toContain('currency rates of 2025-11-24 to 2026-11-20');
  });

  it('escapes customer names so they never ping a channel', () => {
    const all = JSON.stringify(buildDigestMessage(busyFigures(), options).blocks);
    expect(all).toContain('Customer 0 &lt;!channel&gt; &amp; Co');
    expect(all).not.toContain('<!channel>');
    expect(all).toContain('Moved 1 &lt;b&gt;');
  });

  it('ends with a View in CRM button linking to the app Home, with a registered action id', () => {
    const msg = buildDigestMessage(busyFigures(), options);
    const actions = msg.blocks[msg.blocks.length - 1] as any;
    expect(actions.elements[0]).toMatchObject({
      action_id: ACTION_IDS.digestViewInCrm,
      url: options.homeUrl,
      text: { text: 'View in CRM' },
    });
    expect(isKnownActionId(actions.elements[0].action_id)).toBe(true);
    const plain = buildDigestMessage(busyFigures(), { ...options, homeUrl: null }).blocks.at(-1) as any;
    expect(plain.elements[0].url).toBeUndefined();
  });
});

describe('digest schedule', () => {
  const weekly: DigestSchedule = { frequency: 'weekly', weekday: 1, time: '09:00', timeZone: 'Asia/Dubai' };

  it('is due from the scheduled local time, not before, and names the period by its local date', () => {
    // Monday 30 Nov 2026 09:00 in Dubai is 05:00 UTC.
    expect(dueDigestPeriod(weekly, new Date('2026-11-30T04:59:00Z'))).toBeNull();
    const due = dueDigestPeriod(weekly, new Date('2026-11-30T05:00:00Z'));
    expect(due).toMatchObject({
      periodKey: 'weekly:2026-11-30',
      from: new Date('2026-11-23T05:00:00Z'),
      to: new Date('2026-11-30T05:00:00Z'),
    });
    expect(dueDigestPeriod(weekly, new Date('2026-11-30T06:30:00Z'))?.periodKey).toBe('weekly:2026-11-30');
    // Far too late (stale news) and on other days: nothing due.
    expect(dueDigestPeriod(weekly, new Date('2026-11-30T12:00:00Z'))).toBeNull();
    expect(dueDigestPeriod(weekly, new Date('2026-12-01T05:00:00Z'))).toBeNull();
  });

  it('handles daily schedules across a DST change', () => {
    const daily: DigestSchedule = { frequency: 'daily', weekday: 1, time: '08:30', timeZone: 'Europe/London' };
    // 29 March 2026: clocks go forward; 08:30 BST is 07:30 UTC.
    const p = latestDigestPeriod(daily, new Date('2026-03-29T07:31:00Z'));
    expect(p).toMatchObject({
      periodKey: 'daily:2026-03-29',
      occurrenceAt: new Date('2026-03-29T07:30:00Z'),
      from: new Date('2026-03-28T08:30:00Z'),
    });
  });
});

describe('settings validation', () => {
  it('refuses empty and duplicate stage labels, naming the field', () => {
    const labels = {
      lead: 'Lead',
      contacted: ' ',
      negotiation: 'Deal',
      trial_order: 'deal',
      active_account: 'Active',
      churned: 'Lost',
    };
    try {
      validateSetting('stage_labels', labels);
      throw new Error('expected a validation error');
    } catch (err) {
      expect(err).toBeInstanceOf(SettingValidationError);
      expect((err as SettingValidationError).fieldErrors).toMatchObject({
        contacted: 'must not be empty',
        trial_order: expect.stringContaining('same as the label'),
      });
    }
  });

  it('refuses an unknown time zone and a sync window beyond ten years', () => {
    expect(() =>
      validateSetting('digest_schedule', { frequency: 'daily', weekday: 1, time: '09:00', timeZone: 'Mars/Olympus' }),
    ).toThrow(/time zone/);
    expect(() => validateSetting('sync_days', 3651)).toThrow(/at most 3650/);
    expect(validateSetting('sync_days', 30)).toBe(30);
  });
});
