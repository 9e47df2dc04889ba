import type { AppContext } from '../../../app-context';
import { viewerForAction } from '../../viewer';
import { actionOrigin } from '../../web-api/reply';
import { contactVerb, type LeadVerb, noteVerb, ownerVerb, runLeadVerb, stageVerb } from '../lead-flow';
import type { OverflowListener } from '../listener-types';
import { assignVerb } from './assign-to-me';
import { followUpVerb } from './open-follow-up-modal';
import { ordersVerb } from './view-orders';

/** The verbs the overflow menu may name, by name (the same listeners as the lead card's buttons). */
const OVERFLOW_VERBS: Record<string, LeadVerb> = Object.fromEntries(
  [stageVerb, noteVerb, contactVerb, ownerVerb, assignVerb, ordersVerb, followUpVerb].map((v) => [v.name, v]),
);

/** The Home tab's per-lead overflow menu: option values are `<verb>:<leadId>`. */
export function parseOverflowValue(value: string): { verb: string; leadId: number } | null {
  const m = /^([a-z_]+):(\d+)$/.exec(value);
  return m ? { verb: m[1]!, leadId: Number(m[2]) } : null;
}

export function leadOverflow(deps: AppContext): OverflowListener {
  return async ({ ack, body, action, client }) => {
    await ack();
    const parsed = parseOverflowValue(action.selected_option?.value ?? '');
    const verb = parsed && Object.hasOwn(OVERFLOW_VERBS, parsed.verb) ? OVERFLOW_VERBS[parsed.verb] : undefined;
    if (!parsed || !verb) {
      deps.logger.warn({ value: action.selected_option?.value }, 'unknown lead overflow option');
      return;
    }
    const origin = actionOrigin(body);
    const viewer = await viewerForAction(deps, client, origin);
    await runLeadVerb({ deps, client, viewer, origin, leadId: parsed.leadId }, verb);
  };
}
