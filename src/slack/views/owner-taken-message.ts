import type { OwnerTakenNotice } from '../../domain/lead-ownership';
import { escapeMrkdwn } from './mrkdwn';

/** The DM to a lead's previous owner: who moved which lead, to whom. mrkdwn, names escaped. */
export function buildOwnerTakenMessage(n: OwnerTakenNotice): { text: string } {
  const lead = `*${escapeMrkdwn(n.name)}* (${escapeMrkdwn(n.customerId)})`;
  const text =
    n.newOwnerId === null
      ? `<@${n.actorId}> removed you as the owner of ${lead}; it has no owner now.`
      : n.newOwnerId === n.actorId
        ? `<@${n.actorId}> took over ${lead}, which was yours.`
        : `<@${n.actorId}> made <@${n.newOwnerId}> the owner of ${lead}, which was yours.`;
  return { text: `${text} The lead's history shows the change.` };
}
