import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { registerAdminOpenSetting } from './admin-open-setting';
import { registerDigestViewInCrm } from './digest-view-in-crm';
import { registerHomeFilter } from './home-filter';
import { registerHomePaging } from './home-paging';
import { registerHomeRefresh } from './home-refresh';
import { registerLeadCardButtons } from './lead-card-buttons';
import { registerLeadOverflow } from './lead-overflow';
import { registerLeadHistoryPage } from './lead-history-page';
import { registerFollowUpReminderButtons } from './follow-up-reminder-buttons';
import { registerFollowUpHomeButtons } from './follow-up-home-buttons';
import { registerAdminCheckSetup } from './admin-check-setup';

export function registerActions(app: App, deps: AppDeps): void {
  // Listeners of this kind are registered here, one file per callback.
  registerAdminOpenSetting(app, deps);
  registerDigestViewInCrm(app, deps);
  registerHomeFilter(app, deps);
  registerHomePaging(app, deps);
  registerHomeRefresh(app, deps);
  registerLeadCardButtons(app, deps);
  registerLeadOverflow(app, deps);
  registerLeadHistoryPage(app, deps);
  registerFollowUpReminderButtons(app, deps);
  registerFollowUpHomeButtons(app, deps);
  registerAdminCheckSetup(app, deps);
}
