import type { ModalView, PlainTextOption } from '@slack/types';
import { MAX_NOTE_LENGTH } from '../../common/limits';
import { ACTION_IDS, CALLBACK_IDS } from './action-ids';
import { LEAD_BLOCKS, modal, plain } from './lead-card';
import { truncate } from './mrkdwn';

/**
 * The "Log to CRM" message shortcut's modal and the options of its lead picker: a message
 * kept as a note on a lead picked by typing. Pure builders.
 */

/** block_id of each input; the note's is the note modal's, read the same way. */
export const LOG_TO_CRM_BLOCKS = {
  lead: 'lead_block',
  note: LEAD_BLOCKS.note,
} as const;

/** The message the note links to. */
export interface LogToCrmMetadata {
  channelId: string;
  messageTs: string;
}

export function encodeLogToCrmMetadata(m: LogToCrmMetadata): string {
  return JSON.stringify(m);
}

/** Null when the metadata is not what the modal writes (a forged or foreign submission). */
export function decodeLogToCrmMetadata(text: string | undefined): LogToCrmMetadata | null {
  try {
    const v = JSON.parse(text ?? '') as Partial<LogToCrmMetadata>;
    if (typeof v.channelId !== 'string' || typeof v.messageTs !== 'string') return null;
    return { channelId: v.channelId, messageTs: v.messageTs };
  } catch {
    return null;
  }
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
        block_id: LOG_TO_CRM_BLOCKS.lead,
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
        block_id: LOG_TO_CRM_BLOCKS.note,
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
    encodeLogToCrmMetadata({ channelId: message.channelId, messageTs: message.messageTs }),
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
