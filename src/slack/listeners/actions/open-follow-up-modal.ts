import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../../app-context';
import { formatLocalDate, localDateTimeOf } from '../../../common/zoned-time';
import { getLeadSummary, LeadNotFoundError } from '../../../domain/leads';
import { refusalFor, type Viewer } from '../../viewer';
import { buildFollowUpModal } from '../../views/follow-up-modal';
import { type InteractionOrigin, openModal, tellUser } from '../../web-api/reply';
import { type LeadVerb, leadButton } from '../lead-flow';
import type { ButtonListener } from '../listener-types';

export type OpenResult = { ok: true } | { ok: false; message: string };

/**
 * Opens the modal to set a new follow-up on a lead, for the viewer by default, tomorrow
 * 09:00 their time (from the lead card, the Home overflow menu and `/crm remind`). Returns
 * the message to show instead when it cannot open.
 */
export async function openNewFollowUpModal(
  deps: AppContext,
  client: WebClient,
  args: { origin: InteractionOrigin; viewer: Viewer; leadId: number },
): Promise<OpenResult> {
  const refusal = refusalFor(args.viewer, 'edit');
  if (refusal) return { ok: false, message: refusal };
  let lead: Awaited<ReturnType<typeof getLeadSummary>>;
  try {
    lead = await getLeadSummary(deps.db.prisma, args.leadId);
  } catch (err) {
    if (err instanceof LeadNotFoundError) return { ok: false, message: err.userMessage };
    throw err;
  }
  const timeZone = args.viewer.timeZone;
  const tomorrow = formatLocalDate(localDateTimeOf(deps.clock.now(), timeZone).day + 1);
  const view = buildFollowUpModal({
    lead: { leadId: lead.leadId, name: lead.name, company: lead.company },
    values: {
      message: null,
      kind: 'once',
      date: tomorrow,
      time: '09:00',
      interval: null,
      weekday: null,
      dayOfMonth: null,
      ownerId: args.viewer.userId,
    },
    timeZone,
  });
  await openModal(client, args.origin, view);
  return { ok: true };
}

/** "Follow-up": the modal decides who may set follow-ups; reading leads is the floor. */
export const followUpVerb: LeadVerb = {
  name: 'follow_up',
  access: 'read',
  async run({ deps, client, viewer, origin, leadId }) {
    const result = await openNewFollowUpModal(deps, client, { origin, viewer, leadId });
    if (!result.ok) await tellUser(deps, client, origin, result.message, 'Follow-up');
  },
};

export function openFollowUpModal(deps: AppContext): ButtonListener {
  return leadButton(deps, followUpVerb);
}
