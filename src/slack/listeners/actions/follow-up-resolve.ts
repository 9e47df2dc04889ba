import type { AppContext } from '../../../app-context';
import {
  type DeliveryAction,
  FollowUpError,
  markDeliveryDone,
  type SnoozeLength,
  snoozeDelivery,
} from '../../../domain/follow-ups/follow-ups';
import { loadFollowUpMessageData } from '../../../domain/follow-ups/message-data';
import { canAdminister, refusalFor, resolveViewer } from '../../viewer';
import { buildFollowUpMessage, type FollowUpMessageState } from '../../views/follow-up-message';
import { userErrorText } from '../../views/user-error';
import type { ButtonListener } from '../listener-types';

/**
 * Done / Snooze on a follow-up DM (value: the delivery id): updates the follow-up, then that
 * message in place, and the owner's Home.
 */
export function resolveFollowUp(deps: AppContext, what: 'done' | SnoozeLength): ButtonListener {
  return async ({ ack, body, action, client, respond }) => {
    await ack();
    const deliveryId = Number(action.value);
    const tell = (text: string) =>
      respond({ response_type: 'ephemeral', replace_original: false, text }).catch((err) =>
        deps.logger.warn({ err }, 'could not answer a follow-up button'),
      );
    if (!Number.isInteger(deliveryId))
      return void deps.logger.warn(
        { actionId: action.action_id, value: action.value },
        'follow-up button without a delivery id',
      );
    const viewer = await resolveViewer(deps, client, body.user.id);
    // Owning the DM is not enough: someone removed from the roster, made a guest or read-only keeps no say.
    const refusal = refusalFor(viewer, 'edit');
    if (refusal) return void (await tell(refusal));
    const { prisma } = deps.db;
    const actor = { userId: viewer.userId, isAdmin: canAdminister(viewer) };
    let result: DeliveryAction;
    try {
      result =
        what === 'done'
          ? await markDeliveryDone(prisma, deps.clock, deliveryId, actor)
          : await snoozeDelivery(prisma, deps.clock, deliveryId, what, actor);
    } catch (err) {
      if (err instanceof FollowUpError) return void (await tell(userErrorText(err)));
      throw err;
    }
    const data = await loadFollowUpMessageData(prisma, result);
    const channel = result.channel ?? body.channel?.id;
    const ts = result.messageTs ?? body.message?.ts;
    if (data && channel && ts) {
      const state: FollowUpMessageState =
        what === 'done'
          ? { kind: 'done', by: viewer.userId, at: deps.clock.now() }
          : { kind: 'snoozed', by: viewer.userId, until: result.snoozedUntil! };
      await client.chat.update({ channel, ts, ...buildFollowUpMessage(data, state) });
    }
    await deps.homePublisher.republish(client, [result.ownerId]);
  };
}
