import type { AppContext } from '../../../app-context';
import { addNote } from '../../../domain/leads';
import { ACTION_IDS } from '../../views/action-ids';
import { afterLeadChange } from '../lead-change';
import type { ViewListener } from '../types';
import { decodeLogToCrmMetadata, LEAD_BLOCKS } from '../../views/lead-modals';
import { refusalFor, resolveViewer } from '../../viewer';
import { errorsForFailure, fieldErrors, inputValue, selectedValue } from './lead-submission';

/** "Log to CRM" submitted: the note is stored on the chosen lead with a permalink to the message. */
export function logToCrm(deps: AppContext): ViewListener {
  return async ({ ack, body, view, client }) => {
    const viewer = await resolveViewer(deps, client, body.user.id);
    const refusal = refusalFor(viewer, 'edit');
    if (refusal) {
      deps.logger.warn({ userId: body.user.id }, 'Log to CRM submission refused');
      return void (await ack(fieldErrors({ [LEAD_BLOCKS.lead]: refusal })));
    }
    const leadId = Number(selectedValue(view, LEAD_BLOCKS.lead, ACTION_IDS.leadSelect));
    if (!Number.isInteger(leadId) || leadId <= 0) return void (await ack(fieldErrors({ [LEAD_BLOCKS.lead]: 'Pick the lead this message is about.' })));
    const text = inputValue(view, LEAD_BLOCKS.note, ACTION_IDS.noteText);
    if (!text.trim()) return void (await ack(fieldErrors({ [LEAD_BLOCKS.note]: 'The note is empty.' })));
    const source = decodeLogToCrmMetadata(view.private_metadata);
    let permalink: string | null = null;
    if (source) {
      try {
        const res = await client.chat.getPermalink({ channel: source.channelId, message_ts: source.messageTs });
        permalink = res.permalink ?? null;
      } catch (err) {
        // The note matters more than the link: keep it without one.
        deps.logger.warn({ err, channel: source.channelId }, 'chat.getPermalink failed; saving the note without a link');
      }
    }
    let change;
    try {
      change = await addNote(deps.db.prisma, deps.clock, { leadId, actorId: viewer.userId, text, permalink });
    } catch (err) {
      return void (await ack(errorsForFailure(deps, err, LEAD_BLOCKS.lead)));
    }
    await ack();
    await afterLeadChange(deps, client, viewer, change);
  };
}
