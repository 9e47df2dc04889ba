import { STAGES, type StageLabels, stageLabel } from '../../common/stages';
import { WEEKDAY_NAMES } from '../../common/zoned-time';
import type { DigestSchedule, StaleThresholds } from '../../domain/settings';

/** The admin settings, by the name used in the Home button's value and the modal's callback_id (`admin_<name>`). */
export const ADMIN_SETTINGS = [
  'digest_channel',
  'digest_schedule',
  'sync_window',
  'stale_thresholds',
  'stage_labels',
  'order_rhythm',
  'morning_agenda',
  'currency_rates',
  'roster',
] as const;
export type AdminSettingName = (typeof ADMIN_SETTINGS)[number];

export function isAdminSettingName(value: string): value is AdminSettingName {
  return (ADMIN_SETTINGS as readonly string[]).includes(value);
}

/** Input block ids of the admin modals: field errors are keyed by them. */
export const ADMIN_BLOCKS = {
  digestChannel: 'digest_channel',
  digestFrequency: 'digest_frequency',
  digestWeekday: 'digest_weekday',
  digestTime: 'digest_time',
  digestTimeZone: 'digest_time_zone',
  syncDays: 'sync_days',
  staleDays: (slug: string) => `stale:${slug}`,
  stageLabel: (slug: string) => `label:${slug}`,
  rate: (currency: string) => `rate:${currency}`,
  newCurrency: 'rate_new_currency',
  newCurrencyRate: 'rate_new_usd',
  rosterUsers: 'roster_users',
  rosterRole: 'roster_role',
  rhythmOverdue: 'rhythm_overdue',
  rhythmAtRisk: 'rhythm_at_risk',
  agendaTime: 'agenda_time',
  agendaWorkdays: 'agenda_workdays',
} as const;

export function describeSchedule(s: DigestSchedule): string {
  const when = s.frequency === 'daily' ? 'Daily' : `Weekly on ${WEEKDAY_NAMES[s.weekday - 1]}`;
  return `${when} at ${s.time} (${s.timeZone})`;
}

export function describeStaleThresholds(t: StaleThresholds, labels: StageLabels): string {
  return STAGES.map((s) => `${stageLabel(s.slug, labels)} ${t[s.slug] ? `${t[s.slug]} d` : 'off'}`).join(' · ');
}
