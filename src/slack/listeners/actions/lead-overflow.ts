import type { App, BlockAction, OverflowAction } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { ACTION_IDS } from '../../action-ids';
import { actionOrigin, isLeadVerb, runLeadVerb } from '../../lead-interactions';
import { resolveViewer } from '../../viewer';

/** The Home tab's per-lead overflow menu: option values are `<verb>:<leadId>`. */
export function parseOverflowValue(value: string): { verb: string; leadId: number } | null {
  const m = /^([a-z_]+):(\d+)$/.exec(value);
  return m ? { verb: m[1]!, leadId: Number(m[2]) } : null;
}

export function registerLeadOverflow(app: App, deps: AppDeps): void {
  app.action<BlockAction<OverflowAction>>(ACTION_IDS.leadOverflow, async ({ ack, body, action, client }) => {
    await ack();
    const parsed = parseOverflowValue(action.selected_option?.value ?? '');
    if (!parsed || !isLeadVerb(parsed.verb)) {
      deps.logger.warn({ value: action.selected_option?.value }, 'unknown lead overflow option');
      return;
    }
    const viewer = await resolveViewer(deps, client, body.user.id);
    await runLeadVerb(deps, client, viewer, actionOrigin(body), parsed.verb, parsed.leadId);
  });
}
