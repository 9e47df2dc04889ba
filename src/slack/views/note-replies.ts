import type { KnownBlock } from '@slack/types';
import type { StageLabels } from '../../common/stages';
import type { LeadMatch } from '../../domain/lead-search';
import { ACTION_IDS } from './action-ids';
import { givenBack } from './given-back';
import { customerTitle } from './lead-format';
import { leadLine } from './lead-lists';
import type { EphemeralMessage } from './message';
import { escapeMrkdwn, truncate } from './mrkdwn';

/**
 * The answers of `/crm note` and of its lead buttons when the note was not saved: each gives
 * the note back, so nothing typed is lost. Pure.
 */

/** Slack shows at most 50 blocks in a message; this many are left for the note itself. */
const NOTE_BLOCKS = 40;
/** Leads offered as buttons when a customer matches several. */
export const NOTE_CHOICES = 5;

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

/** The note, to copy: code blocks, and the full length when it had to be cut. */
function noteBlocks(note: string, intro: string): KnownBlock[] {
  const back = givenBack(note, NOTE_BLOCKS);
  const blocks: KnownBlock[] = [section(intro), ...back.texts.map(section)];
  if (back.shown < note.length)
    blocks.push(context(`Your note is ${note.length} characters long; only the first ${back.shown} fit here.`));
  return blocks;
}

/**
 * The note was not saved: why (mrkdwn, already escaped), the note to copy, and optionally how
 * to use the command.
 */
export function buildNoteNotSaved(reason: string, note: string, usage?: string): EphemeralMessage {
  const blocks = [section(reason), ...noteBlocks(note, '*Your note was not saved.* Here it is, to copy:')];
  if (usage) blocks.push(context(`Usage: \`${escapeMrkdwn(usage)}\``));
  return { text: `${reason} Your note was not saved; it is in this message to copy.`, blocks };
}

/** Button value: the kept note and the lead. */
export function pickLeadValue(pendingId: string, leadId: number): string {
  return `${pendingId}:${leadId}`;
}

export function parsePickLeadValue(value: string | undefined): { pendingId: string; leadId: number } | null {
  const m = /^([0-9a-f-]{36}):(\d{1,12})$/.exec(value ?? '');
  return m ? { pendingId: m[1]!, leadId: Number(m[2]) } : null;
}

export interface NoteChoice {
  query: string;
  candidates: LeadMatch[];
  total: number;
  pendingId: string;
  note: string;
  /** How long the buttons work, in minutes. */
  minutes: number;
  usage: string;
  labels?: StageLabels;
}

/** The customer matched several leads: one button per lead (at most NOTE_CHOICES) saves the note there. */
export function buildNoteLeadChoice(c: NoteChoice): EphemeralMessage {
  const q = escapeMrkdwn(truncate(c.query, 100));
  const shown = c.candidates.slice(0, NOTE_CHOICES);
  const blocks: KnownBlock[] = [section(`“${q}” matches ${c.total} leads. *Which one is this note for?*`)];
  for (const m of shown) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: leadLine(m, c.labels) },
      accessory: {
        type: 'button',
        action_id: ACTION_IDS.notePickLead,
        text: { type: 'plain_text', text: 'Save note here' },
        value: pickLeadValue(c.pendingId, m.leadId),
      },
    });
  }
  const more = c.total - shown.length;
  if (more > 0) {
    blocks.push(
      context(
        `…and ${more} more. Not listed? Send the note again with the customer id: \`${escapeMrkdwn(c.usage)}\` (\`/crm find ${q}\` shows the ids).`,
      ),
    );
  }
  blocks.push(...noteBlocks(c.note, `Your note (the buttons work for ${c.minutes} minutes):`));
  return { text: `“${q}” matches ${c.total} leads: pick the one this note is for.`, blocks };
}

/** The note went to the lead the person picked. */
export function buildNoteSavedOn(lead: { name: string; company: string | null } | null): EphemeralMessage {
  return { text: lead ? `Note saved on ${customerTitle(lead.name, lead.company)}.` : 'Note saved.' };
}

/** A second click: the note is saved already (on `lead`, when it still exists). */
export function buildNoteAlreadySaved(lead: { name: string; company: string | null } | null): EphemeralMessage {
  return {
    text: lead
      ? `This note is already saved on ${customerTitle(lead.name, lead.company)}.`
      : 'This note is already saved.',
  };
}

/** The choice came too late: nothing saved, the note given back. */
export function buildNoteExpired(note: string, minutes: number): EphemeralMessage {
  return buildNoteNotSaved(
    `These buttons stopped working ${minutes} minutes after the note was sent, so it was not saved. Send it again with the customer id.`,
    note,
    NOTE_USAGE,
  );
}

export const NOTE_USAGE = '/crm note <customer> <text>';
