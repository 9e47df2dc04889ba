import type { KnownBlock } from '@slack/types';
import { formatRateDate } from '../../common/money';
import { isRole, ROLE_LABELS } from '../../common/roles';
import {
  digestScheduleSchema,
  isSettingKey,
  SETTING_TITLES,
  staleThresholdsSchema,
} from '../../common/setting-schemas';
import { STAGES, stageLabel } from '../../common/stages';
import { formatShortInstantIn, WEEKDAY_NAMES } from '../../common/zoned-time';
import type { AdminHomeData } from '../../domain/home-data';
import type { AuditRecord } from '../../domain/settings';
import { ACTION_IDS } from './action-ids';
import { type AdminSettingName, describeSchedule, describeStaleThresholds } from './admin-common';
import { cutMrkdwn, escapeAndCut, escapeMrkdwn, fitList } from './mrkdwn';

export type { AdminHomeData };

/** Blocks the Admin section uses at most (part of HOME_EXTRAS_BLOCK_BUDGET). */
export const ADMIN_SECTION_MAX_BLOCKS = 12;
const MAX_VALUE_TEXT = 80;

function settingRow(name: AdminSettingName, title: string, value: string): KnownBlock {
  return {
    type: 'section',
    block_id: `admin:${name}`,
    text: { type: 'mrkdwn', text: cutMrkdwn(`*${title}*\n${value}`, 3000) },
    accessory: {
      type: 'button',
      action_id: ACTION_IDS.adminOpenSetting,
      value: name,
      text: { type: 'plain_text', text: 'Change' },
    },
  };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** One side of an audit entry, readable: channels as links, roles and labels by name, JSON compacted. */
export function formatAuditValue(setting: string, raw: string | null): string {
  if (raw === null) return setting.startsWith('roster:') ? '(not on the roster)' : '(none)';
  if (setting.startsWith('roster:')) return isRole(raw) ? ROLE_LABELS[raw] : escapeMrkdwn(raw);
  if (setting.startsWith('rate:')) return escapeMrkdwn(raw);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return escapeAndCut(raw, MAX_VALUE_TEXT);
  }
  if (setting === 'digest_channel')
    return typeof value === 'string' && /^[CG][A-Z0-9]+$/.test(value) ? `<#${value}>` : 'off';
  if (setting === 'sync_days' && typeof value === 'number') return `${value} days`;
  if (setting === 'digest_schedule' && value && typeof value === 'object') {
    const parsed = digestScheduleSchema.safeParse(value);
    if (parsed.success) return escapeMrkdwn(describeSchedule(parsed.data));
  }
  if (setting === 'stale_thresholds') {
    const parsed = staleThresholdsSchema.safeParse(value);
    if (parsed.success) return escapeAndCut(describeStaleThresholds(parsed.data, {}), MAX_VALUE_TEXT * 2);
  }
  if (setting === 'stage_labels' && value && typeof value === 'object') {
    return escapeAndCut(
      STAGES.map((s) => (value as Record<string, unknown>)[s.slug] ?? s.label).join(' · '),
      MAX_VALUE_TEXT * 2,
    );
  }
  return escapeAndCut(JSON.stringify(value), MAX_VALUE_TEXT);
}

function auditSubject(setting: string): string {
  if (setting.startsWith('roster:')) return `Roster <@${setting.slice('roster:'.length)}>`;
  if (setting.startsWith('rate:')) return `${escapeMrkdwn(setting.slice('rate:'.length))} rate`;
  return isSettingKey(setting) ? SETTING_TITLES[setting] : escapeMrkdwn(setting);
}

export function formatAuditLine(entry: AuditRecord, timeZone: string): string {
  // An export changes nothing: the line says what was taken.
  if (entry.setting.startsWith('export:'))
    return `${formatShortInstantIn(entry.createdAt, timeZone)} · <@${entry.actorId}> · Export: ${escapeMrkdwn(entry.newValue ?? '')}`;
  return `${formatShortInstantIn(entry.createdAt, timeZone)} · <@${entry.actorId}> · ${auditSubject(entry.setting)}: ${formatAuditValue(entry.setting, entry.oldValue)} → ${formatAuditValue(entry.setting, entry.newValue)}`;
}

/** The Admin section of the Home tab (admins only): each setting with a Change button, then the audit list. */
export function buildAdminHomeSection(data: AdminHomeData): KnownBlock[] {
  const { settings, rates, rosterCounts } = data;
  const labels = settings.stage_labels;
  const rateDates =
    rates.oldestRateDate && rates.newestRateDate
      ? formatRateDate(rates.oldestRateDate) === formatRateDate(rates.newestRateDate)
        ? `rates of ${formatRateDate(rates.newestRateDate)}`
        : `rates of ${formatRateDate(rates.oldestRateDate)} to ${formatRateDate(rates.newestRateDate)}`
      : 'no rates set';
  const audit = data.audit.length
    ? fitList(
        { head: '*Audit* (latest changes)', lines: data.audit.map((e) => `• ${formatAuditLine(e, data.timeZone)}`) },
        3000,
      )
    : '*Audit* (latest changes)\n_No changes recorded yet._';
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Admin' } },
    // The setup check first: it is what an admin wants when something does not work.
    {
      type: 'actions',
      block_id: 'admin:check_setup',
      elements: [
        { type: 'button', action_id: ACTION_IDS.adminCheckSetup, text: { type: 'plain_text', text: 'Check setup' } },
      ],
    },
    settingRow(
      'digest_channel',
      'Digest channel',
      settings.digest_channel ? `<#${settings.digest_channel}>` : 'Not set: no digest is posted.',
    ),
    settingRow('digest_schedule', 'Digest schedule', escapeMrkdwn(describeSchedule(settings.digest_schedule))),
    settingRow(
      'sync_window',
      'Sync window',
      `Customers with an order in the last ${settings.sync_days} days become leads.`,
    ),
    settingRow(
      'stale_thresholds',
      'Stale lead thresholds (days without a touch)',
      escapeMrkdwn(describeStaleThresholds(settings.stale_thresholds, labels)),
    ),
    settingRow('stage_labels', 'Stage labels', escapeMrkdwn(STAGES.map((s) => stageLabel(s.slug, labels)).join(' → '))),
    settingRow(
      'order_rhythm',
      'Order rhythm',
      `Overdue after ${settings.rhythm_factors.overdue}×, at risk after ${settings.rhythm_factors.atRisk}× the usual interval between orders.`,
    ),
    settingRow(
      'morning_agenda',
      'Morning agenda',
      settings.agenda_schedule.workdays.length
        ? `DMs at ${settings.agenda_schedule.time} (each person’s zone) on ${settings.agenda_schedule.workdays.map((d) => WEEKDAY_NAMES[d - 1]!.slice(0, 3)).join(', ')}.`
        : 'No workday chosen: no agenda goes out.',
    ),
    settingRow(
      'currency_rates',
      'Currency rates (USD)',
      `${plural(rates.count, 'currency', 'currencies')}, ${rateDates}`,
    ),
    settingRow(
      'roster',
      'Roster',
      `${plural(rosterCounts.admin, 'admin')} · ${plural(rosterCounts.manager, 'manager')} · ${plural(rosterCounts.account_manager, 'account manager')}`,
    ),
    { type: 'section', block_id: 'admin:audit', text: { type: 'mrkdwn', text: audit } },
  ];
  return blocks;
}
