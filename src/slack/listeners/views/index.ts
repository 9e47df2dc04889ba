import type { App, ViewSubmitAction } from '@slack/bolt';
import type { AppContext } from '../../../app-context';
import { CALLBACK_IDS } from '../../views/action-ids';
import { ADMIN_CALLBACK, adminSettings } from './admin-settings';
import { followUp } from './follow-up';
import { leadContact } from './lead-contact';
import { leadNote } from './lead-note';
import { leadOwner } from './lead-owner';
import { logToCrm } from './log-to-crm-submission';
import { stageChange } from './stage-change';

/** Every modal submission, by callback id; one listener per file (a lead modal's file also opens it). */
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
