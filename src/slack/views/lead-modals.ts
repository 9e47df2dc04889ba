import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { MAX_CHURN_REASON_LENGTH, MAX_CONTACT_FIELD_LENGTH, MAX_NOTE_LENGTH } from '../../common/limits';
import { STAGES, type StageLabels, stageLabel } from '../../common/stages';
import type { LeadContact, LeadSummary } from '../../domain/leads';
import { ACTION_IDS, CALLBACK_IDS } from './action-ids';
import { customerTitle, ownerText } from './lead-format';
import { escapeMrkdwn, truncate } from './mrkdwn';

/**
 * The lead modals, as pure builders. Each carries the lead id and the version the user saw
 * in private_metadata, so a submission after someone else's change is detected.
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
  lead: 'lead_block',
} as const;

export interface LeadModalMetadata {
  leadId: number;
  version: number;
  /** response_url of the lead card the modal was opened from, to refresh it after the change. */
  responseUrl?: string;
}

export interface LogToCrmMetadata {
  channelId: string;
  messageTs: string;
}

export function encodeMetadata(m: LeadModalMetadata | LogToCrmMetadata): string {
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

export function decodeLogToCrmMetadata(text: string | undefined): LogToCrmMetadata | null {
  try {
    const v = JSON.parse(text ?? '') as Partial<LogToCrmMetadata>;
    if (typeof v.channelId !== 'string' || typeof v.messageTs !== 'string') return null;
    return { channelId: v.channelId, messageTs: v.messageTs };
  } catch {
    return null;
  }
}

const plain = (text: string, max = 75) => ({ type: 'plain_text' as const, text: truncate(text, max), emoji: true });

function modal(callbackId: string, title: string, submit: string, blocks: KnownBlock[], metadata: string): ModalView {
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
  return encodeMetadata({ leadId: lead.leadId, version: lead.version, ...(responseUrl ? { responseUrl } : {}) });
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

/** "Log to CRM": pick a lead (typeahead) and keep the message as a note. */
export function buildLogToCrmModal(message: { text: string; channelId: string; messageTs: string }): ModalView {
  const initial = truncate(message.text.trim(), MAX_NOTE_LENGTH);
  return modal(
    CALLBACK_IDS.logToCrm,
    'Log to CRM',
    'Save note',
    [
      {
        type: 'input',
        block_id: LEAD_BLOCKS.lead,
        label: plain('Lead'),
        element: {
          type: 'external_select',
          action_id: ACTION_IDS.leadSelect,
          min_query_length: 1,
          placeholder: plain('Customer name, company, e-mail or id'),
        },
      },
      {
        type: 'input',
        block_id: LEAD_BLOCKS.note,
        label: plain('Note'),
        hint: plain('A link to the message is saved with the note.', 150),
        element: {
          type: 'plain_text_input',
          action_id: ACTION_IDS.noteText,
          multiline: true,
          max_length: MAX_NOTE_LENGTH,
          ...(initial ? { initial_value: initial } : {}),
        },
      },
    ],
    encodeMetadata({ channelId: message.channelId, messageTs: message.messageTs }),
  );
}

/** Options for the lead typeahead (Slack allows at most 100; text at most 75 characters). */
export function buildLeadOptions(
  matches: { leadId: number; customerId: string; name: string; company: string | null }[],
): PlainTextOption[] {
  return matches.slice(0, 100).map((m) => ({
    text: plain(`${m.name}${m.company && m.company !== m.name ? ` (${m.company})` : ''} · ${m.customerId}`, 75),
    value: String(m.leadId),
  }));
}
