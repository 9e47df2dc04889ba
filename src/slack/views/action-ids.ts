/**
 * Every action_id the app's views use. Listeners register against these; a test checks
 * that every interactive element in every view uses one of them.
 */
export const ACTION_IDS = {
  // Home tab
  homeFilterOwner: 'home_filter_owner',
  homeFilterStage: 'home_filter_stage',
  homeFilterUncontactedDays: 'home_filter_uncontacted_days',
  homeShowMore: 'home_show_more',
  homeShowPrevious: 'home_show_previous',
  homeRefresh: 'home_refresh',
  leadOverflow: 'lead_overflow',
  // Lead card / messages
  openStageModal: 'open_stage_modal',
  openNoteModal: 'open_note_modal',
  openContactModal: 'open_contact_modal',
  openOwnerModal: 'open_owner_modal',
  openFollowUpModal: 'open_follow_up_modal',
  assignToMe: 'assign_to_me',
  viewOrders: 'view_orders',
  leadHistoryPage: 'lead_history_page',
  notePickLead: 'note_pick_lead',
  // Who to call today (Home, /crm today, the morning agenda)
  todayOpenLead: 'today_open_lead',
  suggestionAccept: 'suggestion_accept',
  suggestionDismiss: 'suggestion_dismiss',
  agendaTime: 'agenda_time',
  agendaToggle: 'agenda_toggle',
  // Follow-up follow-ups
  followUpDone: 'alert_done',
  followUpSnoozeDay: 'alert_snooze_day',
  followUpSnoozeWeek: 'alert_snooze_week',
  followUpOpenLead: 'alert_open_lead',
  followUpCancel: 'alert_cancel',
  followUpEdit: 'alert_edit',
  adminNoticeResolve: 'admin_notice_resolve',
  // Follow-up modal's inputs
  followUpMessage: 'follow_up_message_input',
  followUpKind: 'follow_up_kind_input',
  followUpDate: 'follow_up_date_input',
  followUpTime: 'follow_up_time_input',
  followUpInterval: 'follow_up_interval_input',
  followUpWeekday: 'follow_up_weekday_input',
  followUpDayOfMonth: 'follow_up_day_of_month_input',
  followUpOwner: 'follow_up_owner_input',
  // Modals
  leadSelect: 'lead_select',
  // Lead modals' inputs
  stageSelect: 'stage_select',
  stageNote: 'stage_note',
  churnReason: 'churn_reason',
  noteText: 'note_text',
  contactName: 'contact_name',
  contactRole: 'contact_role',
  contactEmail: 'contact_email',
  contactPhone: 'contact_phone',
  ownerSelect: 'owner_select',
  // Digest / admin
  digestViewInCrm: 'digest_view_in_crm',
  adminOpenSetting: 'admin_open_setting',
  adminCheckSetup: 'admin_check_setup',
  // Admin modals' inputs
  adminDigestChannel: 'admin_digest_channel_input',
  adminDigestFrequency: 'admin_digest_frequency',
  adminDigestWeekday: 'admin_digest_weekday',
  adminDigestTime: 'admin_digest_time',
  adminDigestTimeZone: 'admin_digest_time_zone',
  adminSyncDays: 'admin_sync_days',
  adminStaleDays: 'admin_stale_days',
  adminStageLabel: 'admin_stage_label',
  adminRate: 'admin_rate',
  adminNewCurrency: 'admin_new_currency',
  adminRosterUsers: 'admin_roster_users',
  adminRosterRole: 'admin_roster_role',
  adminRhythmOverdue: 'admin_rhythm_overdue',
  adminRhythmAtRisk: 'admin_rhythm_at_risk',
  adminAgendaTime: 'admin_agenda_time',
  adminAgendaWorkdays: 'admin_agenda_workdays',
} as const;

export type ActionId = (typeof ACTION_IDS)[keyof typeof ACTION_IDS];

/** Modal callback ids; stable, like the action ids. Admin settings use `admin_<setting>`. */
export const CALLBACK_IDS = {
  stageChange: 'stage_change',
  leadNote: 'lead_note',
  leadContact: 'lead_contact',
  leadOwner: 'lead_owner',
  followUp: 'follow_up',
  logToCrm: 'log_to_crm',
} as const;

export const adminCallbackId = (setting: string) => `admin_${setting}`;

/** The message shortcut's callback id (manifest.yml). */
export const LOG_TO_CRM_SHORTCUT = 'log_to_crm';

export function isKnownActionId(id: string): boolean {
  return (Object.values(ACTION_IDS) as string[]).includes(id);
}
