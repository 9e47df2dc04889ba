import type { App, ViewSubmitAction } from '@slack/bolt';
import type { AppContext } from '../../../app-context';
import { CALLBACK_IDS } from '../../views/action-ids';
import { leadContact, leadNote, leadOwner, stageChange } from '../lead-flow';
import { ADMIN_CALLBACK, adminSettings } from './admin-settings';
import { followUp } from './follow-up';
import { logToCrm } from './log-to-crm-submission';

/**
 * Every modal submission, by callback id; one listener per file, except the lead card's four
 * edits (stage, note, contact, owner), which sit with the flow they share in ../lead-flow.ts.
 */
export function registerViews(app: App, deps: AppContext): void {
  app.view<ViewSubmitAction>(CALLBACK_IDS.stageChange, stageChange(deps));
  app.view<ViewSubmitAction>(CALLBACK_IDS.leadNote, leadNote(deps));
  app.view<ViewSubmitAction>(CALLBACK_IDS.leadContact, leadContact(deps));
  app.view<ViewSubmitAction>(CALLBACK_IDS.leadOwner, leadOwner(deps));
  app.view<ViewSubmitAction>(CALLBACK_IDS.logToCrm, logToCrm(deps));
  app.view<ViewSubmitAction>(CALLBACK_IDS.followUp, followUp(deps));
  // Every admin settings modal: callback_id `admin_<setting>`.
  app.view<ViewSubmitAction>({ callback_id: ADMIN_CALLBACK, type: 'view_submission' }, adminSettings(deps));
}
