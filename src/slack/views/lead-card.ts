import type { Button, KnownBlock, ModalView } from '@slack/types';
import { formatRateUsed } from '../../common/money';
import { type StageLabels, stageLabel } from '../../common/stages';
import type { LeadCardData } from '../../domain/lead-card-data';
import type { HistoryPage } from '../../domain/lead-history';
import type { StageSuggestion } from '../../domain/who-to-call';
import { ACTION_IDS } from './action-ids';
import { customerTitle, describeActivity, ownerText, rateDateText, slackDate, usdText } from './lead-format';
import type { EphemeralMessage } from './message';
import { escapeMrkdwn, fitList, truncate } from './mrkdwn';
import { suggestionButtons, suggestionText } from './today-section';

/** Slack's limit for a section's text. */
const SECTION_TEXT = 3000;

export interface LeadCardOptions {
  labels?: StageLabels;
  /** The person looking: decides "Assign to me" and whether edit buttons show. */
  viewerId: string;
  canEdit: boolean;
  /** A stage suggestion for this lead, shown with Accept / Dismiss. */
  suggestion?: StageSuggestion | null;
  /** The viewer's zone, for the suggestion's dates. */
  timeZone?: string;
}

function button(text: string, actionId: string, value: string, style?: 'primary'): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text, emoji: true },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

function contactText(c: LeadCardData['contact']): string {
  const parts = [c.name, c.role].filter(Boolean).map((p) => escapeMrkdwn(p!));
  const reach = [c.email, c.phone].filter(Boolean).map((p) => escapeMrkdwn(p!));
  if (parts.length === 0 && reach.length === 0) return '_none yet_';
  return [parts.join(', '), reach.join(' · ')].filter(Boolean).join('\n');
}

/** The lead card: who the customer is, where it stands, what happened lately, and what to do next. */
export function buildLeadCard(card: LeadCardData, options: LeadCardOptions): EphemeralMessage {
  const { labels } = options;
  const id = String(card.leadId);
  const facts = [
    `\`${escapeMrkdwn(card.customerId)}\``,
    card.markets.length ? `markets ${escapeMrkdwn(card.markets.join(', '))}` : null,
    card.email ? escapeMrkdwn(card.email) : null,
    card.phone ? escapeMrkdwn(card.phone) : null,
  ].filter(Boolean);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      block_id: `lead:${id}`,
      text: { type: 'mrkdwn', text: `${customerTitle(card.name, card.company)}\n${facts.join(' · ')}` },
    },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Stage*\n${escapeMrkdwn(stageLabel(card.stage, labels))}` },
        { type: 'mrkdwn', text: `*Owner*\n${ownerText(card.ownerId)}` },
        {
          type: 'mrkdwn',
          text: `*Lifetime value*\n${usdText(card.lifetimeUsdCents, card.unknownCurrencies)}\n_${rateDateText(card.rateDate)}_`,
        },
        {
          type: 'mrkdwn',
          text: `*Orders*\n${card.orderCount}${card.lastOrderAt ? `, last ${slackDate(card.lastOrderAt)}` : ''}`,
        },
        { type: 'mrkdwn', text: `*Contact*\n${contactText(card.contact)}` },
        {
          type: 'mrkdwn',
          text: `*Last touch*\n${card.lastTouchAt ? slackDate(card.lastTouchAt) : '_not contacted yet_'}`,
        },
      ],
    },
  ];
  if (card.rates.length) {
    const rates = card.rates.map((r) => escapeMrkdwn(formatRateUsed(r))).join(' · ');
    blocks.push({
      type: 'context',
      block_id: `lead_rates:${id}`,
      elements: [{ type: 'mrkdwn', text: truncate(`Lifetime value in USD at ${rates}`, 2900) }],
    });
  }
  if (card.recentNotes.length) {
    const notes = card.recentNotes.map((n) => `> ${describeActivity(n, labels, 500).replace(/\n/g, '\n> ')}`);
    blocks.push({
      type: 'section',
      block_id: `lead_notes:${id}`,
      text: { type: 'mrkdwn', text: fitList({ head: '*Latest notes*', lines: notes }, SECTION_TEXT) },
    });
  }
  if (card.recentActivity.length) {
    const lines = card.recentActivity.map((a) => describeActivity(a, labels, 150));
    blocks.push({
      type: 'context',
      block_id: `lead_history:${id}`,
      elements: [{ type: 'mrkdwn', text: fitList({ head: '*History*', lines }, SECTION_TEXT) }],
    });
  }
  if (options.suggestion) {
    const s = options.suggestion;
    blocks.push({
      type: 'section',
      block_id: `lead_suggestion:${id}`,
      text: { type: 'mrkdwn', text: truncate(suggestionText(s, labels ?? {}, options.timeZone ?? 'UTC'), 2900) },
    });
    if (options.canEdit)
      blocks.push({
        type: 'actions',
        block_id: `lead_suggestion_do:${id}`,
        elements: suggestionButtons(s, true, false),
      });
  }
  const actions: Button[] = [];
  if (options.canEdit) {
    actions.push(
      button('Change stage', ACTION_IDS.openStageModal, id, 'primary'),
      button('Add note', ACTION_IDS.openNoteModal, id),
      button('Contact info', ACTION_IDS.openContactModal, id),
      button('Change owner', ACTION_IDS.openOwnerModal, id),
    );
    if (card.ownerId !== options.viewerId) actions.push(button('Assign to me', ACTION_IDS.assignToMe, id));
    actions.push(button('Follow-up', ACTION_IDS.openFollowUpModal, id));
  }
  actions.push(button('Orders', ACTION_IDS.viewOrders, id));
  if (card.activityCount > card.recentActivity.length)
    actions.push(button(`All history (${card.activityCount})`, ACTION_IDS.leadHistoryPage, `${id}:1`));
  blocks.push({ type: 'actions', block_id: `lead_actions:${id}`, elements: actions });
  return { text: escapeMrkdwn(`${card.name} · ${stageLabel(card.stage, labels)}`), blocks };
}

/** Entries in sections of at most SECTION_TEXT characters each, every entry whole. */
function entrySections(lines: string[]): KnownBlock[] {
  const sections: string[][] = [[]];
  let length = 0;
  for (const line of lines) {
    const current = sections[sections.length - 1]!;
    if (current.length && length + 1 + line.length > SECTION_TEXT) {
      sections.push([line]);
      length = line.length;
    } else {
      current.push(line);
      length += (current.length > 1 ? 1 : 0) + line.length;
    }
  }
  return sections.map((s) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: fitList({ lines: s }, SECTION_TEXT) },
  }));
}

/** One page of a lead's history, with Newer/Older buttons: every entry of the page, each cut to 300 characters. */
export function buildLeadHistoryMessage(
  lead: { name: string; company: string | null },
  page: HistoryPage,
  labels?: StageLabels,
): EphemeralMessage {
  const lines = page.entries.map((e) => `• ${describeActivity(e, labels, 300)}`);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${customerTitle(lead.name, lead.company)}: history, page ${page.page} of ${page.pageCount} (${page.total} entries)`,
      },
    },
    ...(lines.length
      ? entrySections(lines)
      : [
          {
            type: 'section' as const,
            text: { type: 'mrkdwn' as const, text: '_Nothing has happened to this lead yet._' },
          },
        ]),
  ];
  const nav: Button[] = [];
  if (page.page > 1) nav.push(button('Newer', ACTION_IDS.leadHistoryPage, `${page.leadId}:${page.page - 1}`));
  if (page.page < page.pageCount)
    nav.push(button('Older', ACTION_IDS.leadHistoryPage, `${page.leadId}:${page.page + 1}`));
  if (nav.length) blocks.push({ type: 'actions', block_id: `history_nav:${page.leadId}`, elements: nav });
  return { text: escapeMrkdwn(`${lead.name}: history page ${page.page} of ${page.pageCount}`), blocks };
}

/**
 * The lead card in a modal, for a click on the Home tab (which has no conversation to answer
 * in). Its buttons are left out: the line clicked on Home carries the ones to act with.
 */
export function buildLeadCardModal(card: EphemeralMessage): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Lead', emoji: true },
    close: { type: 'plain_text', text: 'Close', emoji: true },
    blocks: (card.blocks ?? []).filter((b) => b.type !== 'actions'),
  };
}
