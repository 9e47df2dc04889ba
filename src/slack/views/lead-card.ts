import type { Button, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { MAX_CHURN_REASON_LENGTH, MAX_CONTACT_FIELD_LENGTH, MAX_NOTE_LENGTH } from '../../common/limits';
import { formatRateUsed } from '../../common/money';
import { STAGES, type StageLabels, stageLabel } from '../../common/stages';
import type { LeadCardData } from '../../domain/lead-card-data';
import type { HistoryPage } from '../../domain/lead-history';
import type { LeadContact, LeadSummary } from '../../domain/leads';
import type { StageSuggestion } from '../../domain/who-to-call';
import { ACTION_IDS, CALLBACK_IDS } from './action-ids';
import { customerTitle, describeActivity, ownerText, rateDateText, slackDate, usdText } from './lead-format';
import type { EphemeralMessage } from './message';
import { escapeMrkdwn, fitList, truncate } from './mrkdwn';
import { suggestionButtons, suggestionText } from './today-section';

/**
 * What Slack shows of one lead for editing: the lead card (a message, with its history pages,
 * or a modal from Home) and the modals its edit buttons open (stage, note, contact, owner),
 * with the block ids and the metadata their submissions read. Pure builders.
 */

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

/*
 * The modals the card's edit buttons open. Each carries the lead id and the version the user
 * saw in private_metadata, so a submission after someone else's change is detected.
 */

/** block_id of each input; listeners read values and answer errors by these. */
export const LEAD_BLOCKS = {
  stage: 'stage_block',
  stageNote: 'stage_note_block',
  churnReason: 'churn_reason_block',
  note: 'note_block',
  contactName: 'contact_name_block',
  contactRole: 'contact_role_block',
  contactEmail: 'contact_email_block',
  contactPhone: 'contact_phone_block',
  owner: 'owner_block',
} as const;

export interface LeadModalMetadata {
  leadId: number;
  version: number;
  /** response_url of the lead card the modal was opened from, to refresh it after the change. */
  responseUrl?: string;
}

export function encodeLeadMetadata(m: LeadModalMetadata): string {
  return JSON.stringify(m);
}

/** Null when the metadata is not what our modals write (a forged or foreign submission). */
export function decodeLeadMetadata(text: string | undefined): LeadModalMetadata | null {
  try {
    const v = JSON.parse(text ?? '') as Partial<LeadModalMetadata>;
    if (!Number.isInteger(v.leadId) || !Number.isInteger(v.version)) return null;
    return {
      leadId: v.leadId!,
      version: v.version!,
      ...(typeof v.responseUrl === 'string' ? { responseUrl: v.responseUrl } : {}),
    };
  } catch {
    return null;
  }
}

/** Plain text cut to Slack's limit for where it goes (75 for a label or an option). */
export const plain = (text: string, max = 75) => ({
  type: 'plain_text' as const,
  text: truncate(text, max),
  emoji: true,
});

/** A lead form: Cancel to close it, and the metadata its submission reads. */
export function modal(
  callbackId: string,
  title: string,
  submit: string,
  blocks: KnownBlock[],
  metadata: string,
): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title, 24),
    submit: plain(submit, 24),
    close: plain('Cancel', 24),
    private_metadata: metadata,
    blocks,
  };
}

function leadHeading(lead: LeadSummary, extra?: string): KnownBlock {
  return {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: `${customerTitle(lead.name, lead.company)} · \`${escapeMrkdwn(lead.customerId)}\`${extra ? `\n${extra}` : ''}`,
    },
  };
}

/** The block that says why a form came back refilled (the lead changed while it was open). */
function noticeBlocks(notice: string | undefined): KnownBlock[] {
  return notice ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(notice, 2900) }] }] : [];
}

/** An initial_value only when there is one (Slack refuses an empty one). */
const initialValue = (value: string | null | undefined) => (value ? { initial_value: value } : {});

function stageOption(slug: string, labels?: StageLabels): PlainTextOption {
  return { text: plain(stageLabel(slug, labels)), value: slug };
}

function meta(lead: LeadSummary, responseUrl?: string): string {
  return encodeLeadMetadata({ leadId: lead.leadId, version: lead.version, ...(responseUrl ? { responseUrl } : {}) });
}

/**
 * A form refilled with what the person typed, after someone else changed the lead: `notice`
 * says what changed. The inputs keep their block and action ids, which is also what makes
 * Slack keep the typed values on an update; initial values carry the same values.
 */
export interface Refill<V> {
  values?: V;
  notice?: string;
}

export function buildStageChangeModal(
  lead: LeadSummary,
  options: { labels?: StageLabels; preselect?: string; responseUrl?: string } & Refill<{
    note?: string;
    churnReason?: string;
  }> = {},
): ModalView {
  const selected = options.preselect ?? lead.stage;
  return modal(
    CALLBACK_IDS.stageChange,
    'Change stage',
    'Save',
    [
      leadHeading(lead, `Now in *${escapeMrkdwn(stageLabel(lead.stage, options.labels))}*`),
      ...noticeBlocks(options.notice),
      {
        type: 'input',
        block_id: LEAD_BLOCKS.stage,
        label: plain('Stage'),
        element: {
          type: 'static_select',
          action_id: ACTION_IDS.stageSelect,
          options: STAGES.map((s) => stageOption(s.slug, options.labels)),
          initial_option: stageOption(selected, options.labels),
        },
      },
      {
        type: 'input',
        block_id: LEAD_BLOCKS.churnReason,
        optional: true,
        label: plain('Reason (required for Churned)'),
        element: {
          type: 'plain_text_input',
          action_id: ACTION_IDS.churnReason,
          max_length: MAX_CHURN_REASON_LENGTH,
          ...initialValue(options.values?.churnReason),
        },
      },
      {
        type: 'input',
        block_id: LEAD_BLOCKS.stageNote,
        optional: true,
        label: plain('Note'),
        element: {
          type: 'plain_text_input',
          action_id: ACTION_IDS.stageNote,
          multiline: true,
          max_length: MAX_NOTE_LENGTH,
          ...initialValue(options.values?.note),
        },
      },
    ],
    meta(lead, options.responseUrl),
  );
}

export function buildNoteModal(lead: LeadSummary, options: { responseUrl?: string } = {}): ModalView {
  return modal(
    CALLBACK_IDS.leadNote,
    'Add a note',
    'Save note',
    [
      leadHeading(lead),
      {
        type: 'input',
        block_id: LEAD_BLOCKS.note,
        label: plain('Note'),
        element: {
          type: 'plain_text_input',
          action_id: ACTION_IDS.noteText,
          multiline: true,
          max_length: MAX_NOTE_LENGTH,
          focus_on_load: true,
        },
      },
    ],
    meta(lead, options.responseUrl),
  );
}

function textInput(
  blockId: string,
  actionId: string,
  label: string,
  initial: string | null,
  placeholder: string,
): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: true,
    label: plain(label),
    element: {
      type: 'plain_text_input',
      action_id: actionId,
      max_length: MAX_CONTACT_FIELD_LENGTH,
      placeholder: plain(placeholder),
      ...initialValue(initial),
    },
  };
}

export function buildContactModal(
  lead: LeadSummary,
  options: { responseUrl?: string } & Refill<LeadContact> = {},
): ModalView {
  const c = options.values ?? lead.contact;
  return modal(
    CALLBACK_IDS.leadContact,
    'Contact info',
    'Save',
    [
      leadHeading(lead),
      ...noticeBlocks(options.notice),
      textInput(LEAD_BLOCKS.contactName, ACTION_IDS.contactName, 'Name', c.name, 'Jane Doe'),
      textInput(LEAD_BLOCKS.contactRole, ACTION_IDS.contactRole, 'Role', c.role, 'Head of purchasing'),
      textInput(LEAD_BLOCKS.contactEmail, ACTION_IDS.contactEmail, 'E-mail', c.email, 'jane@acme.com'),
      textInput(LEAD_BLOCKS.contactPhone, ACTION_IDS.contactPhone, 'Phone', c.phone, '+971 4 123 4567'),
    ],
    meta(lead, options.responseUrl),
  );
}

export function buildOwnerModal(
  lead: LeadSummary,
  options: { responseUrl?: string } & Refill<{ ownerId: string | null }> = {},
): ModalView {
  const selected = options.values ? options.values.ownerId : lead.ownerId;
  return modal(
    CALLBACK_IDS.leadOwner,
    'Change owner',
    'Save',
    [
      leadHeading(lead, `Owner now: ${ownerText(lead.ownerId)}`),
      ...noticeBlocks(options.notice),
      {
        type: 'input',
        block_id: LEAD_BLOCKS.owner,
        label: plain('New owner'),
        hint: plain('Must be on the CRM roster.', 150),
        element: {
          type: 'users_select',
          action_id: ACTION_IDS.ownerSelect,
          ...(selected ? { initial_user: selected } : {}),
        },
      },
    ],
    meta(lead, options.responseUrl),
  );
}
