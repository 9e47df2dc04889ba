import type { App, BlockAction, ButtonAction, OverflowAction, StaticSelectAction, TimepickerAction } from '@slack/bolt';
import type { AppContext } from '../../../app-context';
import { ACTION_IDS } from '../../views/action-ids';
import { openContactModal, openNoteModal, openOwnerModal, openStageModal } from '../lead-flow';
import { adminCheckSetup } from './admin-check-setup';
import { adminNoticeResolve } from './admin-notice-resolve';
import { adminOpenSetting } from './admin-open-setting';
import { agendaTime, agendaToggle } from './agenda-settings';
import { assignToMe } from './assign-to-me';
import { digestViewInCrm } from './digest-view-in-crm';
import { followUpCancel } from './follow-up-cancel';
import { followUpDone } from './follow-up-done';
import { followUpEdit } from './follow-up-edit';
import { followUpOpenLead } from './follow-up-open-lead';
import { followUpSnooze } from './follow-up-snooze';
import { homeFilter } from './home-filter-select';
import { homePaging } from './home-paging';
import { homeRefresh } from './home-refresh';
import { leadHistoryPage } from './lead-history-page';
import { leadOverflow } from './lead-overflow';
import { notePickLead } from './note-pick-lead';
import { openFollowUpModal } from './open-follow-up-modal';
import { suggestionAccept } from './suggestion-accept';
import { suggestionDismiss } from './suggestion-dismiss';
import { todayOpenLead } from './today-open-lead';
import { viewOrders } from './view-orders';

/**
 * Every block action, by action id; one listener per file, except the lead card's four edits
 * (stage, note, contact, owner), whose verbs sit with their modals' submissions in ../lead-flow.ts.
 */
export function registerActions(app: App, deps: AppContext): void {
  type Button = BlockAction<ButtonAction>;
  // Home tab
  app.action<BlockAction<StaticSelectAction>>(ACTION_IDS.homeFilterOwner, homeFilter(deps));
  app.action<BlockAction<StaticSelectAction>>(ACTION_IDS.homeFilterStage, homeFilter(deps));
  app.action<BlockAction<StaticSelectAction>>(ACTION_IDS.homeFilterUncontactedDays, homeFilter(deps));
  app.action<Button>(ACTION_IDS.homeShowMore, homePaging(deps));
  app.action<Button>(ACTION_IDS.homeShowPrevious, homePaging(deps));
  app.action<Button>(ACTION_IDS.homeRefresh, homeRefresh(deps));
  app.action<BlockAction<OverflowAction>>(ACTION_IDS.leadOverflow, leadOverflow(deps));
  // Lead card
  app.action<Button>(ACTION_IDS.openStageModal, openStageModal(deps));
  app.action<Button>(ACTION_IDS.openNoteModal, openNoteModal(deps));
  app.action<Button>(ACTION_IDS.openContactModal, openContactModal(deps));
  app.action<Button>(ACTION_IDS.openOwnerModal, openOwnerModal(deps));
  app.action<Button>(ACTION_IDS.openFollowUpModal, openFollowUpModal(deps));
  app.action<Button>(ACTION_IDS.assignToMe, assignToMe(deps));
  app.action<Button>(ACTION_IDS.viewOrders, viewOrders(deps));
  app.action<Button>(ACTION_IDS.leadHistoryPage, leadHistoryPage(deps));
  // `/crm note` whose customer matched several leads
  app.action<Button>(ACTION_IDS.notePickLead, notePickLead(deps));
  // Follow-ups: the DM's buttons, and "My follow-ups" on Home
  app.action<Button>(ACTION_IDS.followUpDone, followUpDone(deps));
  app.action<Button>(ACTION_IDS.followUpSnoozeDay, followUpSnooze(deps, 'day'));
  app.action<Button>(ACTION_IDS.followUpSnoozeWeek, followUpSnooze(deps, 'week'));
  app.action<Button>(ACTION_IDS.followUpOpenLead, followUpOpenLead(deps));
  app.action<Button>(ACTION_IDS.followUpEdit, followUpEdit(deps));
  app.action<Button>(ACTION_IDS.followUpCancel, followUpCancel(deps));
  // Who to call today: Home, /crm today, the morning agenda
  app.action<Button>(ACTION_IDS.todayOpenLead, todayOpenLead(deps));
  app.action<Button>(ACTION_IDS.suggestionAccept, suggestionAccept(deps));
  app.action<Button>(ACTION_IDS.suggestionDismiss, suggestionDismiss(deps));
  app.action<BlockAction<TimepickerAction>>(ACTION_IDS.agendaTime, agendaTime(deps));
  app.action<Button>(ACTION_IDS.agendaToggle, agendaToggle(deps));
  // Admin and digest
  app.action<Button>(ACTION_IDS.adminNoticeResolve, adminNoticeResolve(deps));
  app.action<Button>(ACTION_IDS.adminOpenSetting, adminOpenSetting(deps));
  app.action<Button>(ACTION_IDS.adminCheckSetup, adminCheckSetup(deps));
  app.action<Button>(ACTION_IDS.digestViewInCrm, digestViewInCrm(deps));
}
