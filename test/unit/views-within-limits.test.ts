/**
 * The pure builders with data at its worst (names, notes and statuses full of `&`, `<`, `>`,
 * each 4-5 characters once escaped; the longest notes; many orders and members), checked
 * with the same Block Kit limits the fake Slack applies, and for mrkdwn cut through an
 * entity or a mention.
 */

import { MAX_FOLLOW_UP_MESSAGE_LENGTH, MAX_NOTE_LENGTH } from '../../src/common/limits';
import type { LeadCardData } from '../../src/domain/lead-card-data';
import type { ActivityEntry } from '../../src/domain/leads';
import { buildOrderHistory } from '../../src/domain/order-history';
import { defaultRateTable } from '../../src/domain/rates';
import type { OrderRow } from '../../src/production/types';
import { buildAdminHomeSection } from '../../src/slack/views/admin-home';
import { buildRosterModal } from '../../src/slack/views/admin-modals';
import { buildFollowUpMessage } from '../../src/slack/views/follow-up-message';
import { buildLeadCard, buildLeadHistoryMessage } from '../../src/slack/views/lead-card';
import { buildOrderHistoryMessage } from '../../src/slack/views/order-history-message';
import { checkBlocks, checkMessage, checkView } from '../support/block-kit-limits';
import { brokenMrkdwn, mrkdwnTexts } from '../support/mrkdwn-audit';

const HOSTILE = 'Q&A <b>bold</b> & more > less & AT&T <@U123> & <!channel> & R&D <https://x|y> && <<>> & words!';
const hostile = (length: number) => HOSTILE.repeat(Math.ceil(length / HOSTILE.length)).slice(0, length);
const at = new Date('2026-11-25T09:00:00Z');

function sound(payload: unknown): string[] {
  return mrkdwnTexts(payload)
    .map(brokenMrkdwn)
    .filter((p): p is string => p !== null);
}

function note(id: number, text: string): ActivityEntry {
  return {
    id,
    kind: 'note',
    actorId: 'U0AM00001',
    fromValue: null,
    toValue: null,
    text,
    permalink: 'https://fake.slack.com/archives/C1/p1',
    createdAt: new Date(at.getTime() - id * 60_000),
  };
}

describe('views with hostile data stay within Slack limits and never cut through an entity', () => {
  it('a follow-up DM whose message is all ampersands', () => {
    const message = buildFollowUpMessage({
      deliveryId: 1,
      followUpId: 1,
      leadId: 1,
      leadName: hostile(300),
      company: hostile(200),
      stageLabel: 'Lead & <friends>',
      lifetimeUsd: '$1.00',
      unconvertedCurrencies: [],
      message: '&'.repeat(MAX_FOLLOW_UP_MESSAGE_LENGTH),
      scheduleText: 'Once',
      timeZone: 'UTC',
      occurrenceAt: at,
      overdueSince: null,
      missedCount: 0,
    });
    expect(checkMessage(message)).toEqual([]);
    expect(sound(message)).toEqual([]);
    expect((message.blocks[0] as any).text.text).toMatch(/(&amp;)+…$/);
  });

  it('a lead card with its three longest, hostile notes', () => {
    const card: LeadCardData = {
      leadId: 7,
      customerId: hostile(40),
      name: hostile(300),
      company: hostile(300),
      email: 'a&b@example.com',
      phone: null,
      markets: ['AE', 'SA'],
      stage: 'lead',
      ownerId: 'U0AM00001',
      contact: { name: hostile(150), role: hostile(150), email: hostile(150), phone: hostile(150) },
      orderCount: 3,
      lifetimeUsdCents: 100n,
      unknownCurrencies: [],
      rateDate: at,
      rates: [],
      lastOrderAt: at,
      lastTouchAt: at,
      version: 1,
      recentNotes: [1, 2, 3].map((i) => note(i, hostile(MAX_NOTE_LENGTH))),
      recentActivity: [1, 2, 3, 4, 5].map((i) => note(i, hostile(MAX_NOTE_LENGTH))),
      activityCount: 40,
    };
    const message = buildLeadCard(card, { viewerId: 'U0AM00001', canEdit: true });
    expect(checkMessage(message)).toEqual([]);
    expect(sound(message)).toEqual([]);
  });

  it('a history page of ten longest notes shows all ten', () => {
    const entries = Array.from({ length: 10 }, (_, i) =>
      note(i + 1, `entry ${i + 1}: ${hostile(MAX_NOTE_LENGTH - 20)}`),
    );
    const message = buildLeadHistoryMessage(
      { name: hostile(200), company: null },
      { leadId: 7, entries, page: 1, pageCount: 3, total: 30 },
    );
    expect(checkMessage(message)).toEqual([]);
    expect(sound(message)).toEqual([]);
    for (let i = 1; i <= 10; i++) expect(JSON.stringify(message.blocks)).toContain(`entry ${i}: Q&amp;A`);
  });

  it('forty orders with long hostile ids and statuses: whole lines and how many are left out', () => {
    const rows: OrderRow[] = Array.from({ length: 40 }, (_, i) => ({
      orderId: `${'&<>'.repeat(20)}-${i}`,
      createdAt: new Date(at.getTime() - i * 86_400_000),
      market: 'AE',
      currency: 'AED',
      total: '10.00',
      status: hostile(200),
    }));
    const message = buildOrderHistoryMessage(
      { name: hostile(200), company: hostile(200), customerId: 'C1' },
      buildOrderHistory('C1', rows, 0, defaultRateTable()),
    );
    expect(checkMessage(message)).toEqual([]);
    expect(sound(message)).toEqual([]);
    const orders = (message.blocks![1] as any).text.text as string;
    const shown = orders.split('\n').filter((l) => l.startsWith('•')).length;
    expect(orders).toContain(`_…and ${40 - shown} older orders (included in the totals)._`);
  });

  it('a roster of 500 people: mentions never cut, and how many are not listed', () => {
    const members = Array.from({ length: 500 }, (_, i) => ({
      userId: `U${String(i).padStart(9, '0')}`,
      role: i % 3 === 0 ? ('admin' as const) : ('account_manager' as const),
    }));
    const view = buildRosterModal(members);
    expect(checkView(view)).toEqual([]);
    expect(sound(view)).toEqual([]);
    expect(JSON.stringify(view)).toMatch(/and \d+ more/);
  });

  it('the admin section with a long audit of hostile values', () => {
    const blocks = buildAdminHomeSection({
      settings: {
        digest_channel: 'C0DIGEST1',
        digest_schedule: { frequency: 'daily', weekday: 1, time: '09:00', timeZone: 'UTC' },
        sync_days: 90,
        stale_thresholds: { lead: 7, contacted: 14, qualified: 14, negotiation: 7, won: null, churned: null } as any,
        rhythm_factors: { overdue: 1.5, atRisk: 2 },
        agenda_schedule: { time: '08:30', workdays: [1, 2, 3, 4, 5] },
        stage_labels: {
          lead: hostile(40),
          contacted: hostile(40),
          qualified: hostile(40),
          negotiation: hostile(40),
          won: hostile(40),
          churned: hostile(40),
        } as any,
      } as any,
      rates: { count: 11, oldestRateDate: at, newestRateDate: at },
      rosterCounts: { admin: 1, manager: 2, account_manager: 3 },
      audit: Array.from({ length: 40 }, (_, i) => ({
        id: i,
        setting: 'stage_labels',
        actorId: 'U0ADMIN01',
        oldValue: JSON.stringify({ lead: hostile(40) }),
        newValue: JSON.stringify({ lead: hostile(40) }),
        createdAt: at,
      })) as any,
      timeZone: 'UTC',
    });
    expect(checkBlocks(blocks, 'home')).toEqual([]);
    expect(sound(blocks)).toEqual([]);
  });
});
