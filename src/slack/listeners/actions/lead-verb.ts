import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../../app-context';
import { UserFacingError } from '../../../common/errors';
import { refusalFor, type Viewer, viewerForAction } from '../../viewer';
import { userErrorText } from '../../views/user-error';
import { actionOrigin, type InteractionOrigin, tellUser } from '../../web-api/reply';
import type { ButtonListener } from '../listener-types';

/**
 * Something a user does with one lead: from a lead card button, the Home tab's overflow menu
 * (`<verb>:<leadId>`), or a command. Each verb lives in its listener file; a lead modal's
 * verb lives with the modal's submission (listeners/views/).
 */
export interface LeadVerb {
  name: string;
  /** What the viewer needs: reading the lead, or changing it. */
  access: 'read' | 'edit';
  run(ctx: LeadVerbContext): Promise<void>;
}

export interface LeadVerbContext {
  deps: AppContext;
  client: WebClient;
  viewer: Viewer;
  origin: InteractionOrigin;
  leadId: number;
}

/** Runs one verb on one lead for a viewer: authorises, and answers the user whatever happens. */
export async function runLeadVerb(ctx: LeadVerbContext, verb: LeadVerb): Promise<void> {
  const { deps, client, viewer, origin, leadId } = ctx;
  const refusal = refusalFor(viewer, verb.access);
  if (refusal) {
    deps.logger.info({ userId: viewer.userId, verb: verb.name, leadId }, 'lead action refused');
    return tellUser(deps, client, origin, refusal, 'Not allowed');
  }
  try {
    await verb.run(ctx);
  } catch (err) {
    if (err instanceof UserFacingError) return tellUser(deps, client, origin, userErrorText(err));
    deps.logger.error({ err, verb: verb.name, leadId }, 'lead action failed');
    await tellUser(deps, client, origin, 'Sorry, that did not work. It has been logged.');
  }
}

/** A lead card button whose value is the lead id, running `verb`. */
export function leadButton(deps: AppContext, verb: LeadVerb): ButtonListener {
  return async ({ ack, body, action, client }) => {
    await ack();
    const leadId = Number(action.value);
    if (!Number.isInteger(leadId))
      return void deps.logger.warn(
        { actionId: action.action_id, value: action.value },
        'lead button without a lead id',
      );
    const origin = actionOrigin(body);
    const viewer = await viewerForAction(deps, client, origin);
    await runLeadVerb({ deps, client, viewer, origin, leadId }, verb);
  };
}
