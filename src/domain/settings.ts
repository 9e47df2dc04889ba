import type { z } from 'zod';
import type { Clock } from '../clock';
import { UserFacingError } from '../common/errors';
import {
  type AgendaSchedule,
  agendaScheduleSchema,
  channelIdSchema,
  DEFAULT_AGENDA_SCHEDULE,
  DEFAULT_RHYTHM_FACTORS,
  DEFAULT_STALE_THRESHOLDS,
  type DigestSchedule,
  days,
  digestScheduleSchema,
  isSettingKey,
  type RhythmFactors,
  rhythmFactorsSchema,
  SETTING_TITLES,
  type SettingKey,
  type StaleThresholds,
  stageLabelsSchema,
  staleThresholdsSchema,
} from '../common/setting-schemas';
import { parseStageLabels, STAGE_LABELS_SETTING, STAGES, type StageLabels, type StageSlug } from '../common/stages';
import type { AppConfig } from '../config';
import type { CrmPrisma } from '../db/client';

export {
  type AgendaSchedule,
  DEFAULT_STALE_THRESHOLDS,
  type DigestSchedule,
  isSettingKey,
  type RhythmFactors,
  type StaleThresholds,
};

/**
 * Admin settings, one JSON value per key in the Setting table, each validated with zod and
 * falling back to a default (from the environment where there is one) when unset. Every
 * change is recorded in AuditEntry: who, when, old value, new value.
 */

export const SETTING_KEYS = {
  digestChannel: 'digest_channel',
  digestSchedule: 'digest_schedule',
  syncDays: 'sync_days',
  staleThresholds: 'stale_thresholds',
  stageLabels: 'stage_labels',
  rhythmFactors: 'rhythm_factors',
  agendaSchedule: 'agenda_schedule',
} as const;

export type { SettingKey };

/** Each setting's type, schema and default. */
interface SettingDefinition<T> {
  key: SettingKey;
  /** Shown in the Admin section and the audit list. */
  title: string;
  schema: z.ZodType<T>;
  defaultValue(config: AppConfig): T;
}

export interface SettingValues {
  digest_channel: string | null;
  digest_schedule: DigestSchedule;
  sync_days: number;
  stale_thresholds: StaleThresholds;
  stage_labels: Record<StageSlug, string>;
  rhythm_factors: RhythmFactors;
  agenda_schedule: AgendaSchedule;
}

export const SETTINGS: { [K in SettingKey]: SettingDefinition<SettingValues[K]> } = {
  digest_channel: {
    key: 'digest_channel',
    title: SETTING_TITLES.digest_channel,
    schema: channelIdSchema,
    defaultValue: () => null,
  },
  digest_schedule: {
    key: 'digest_schedule',
    title: SETTING_TITLES.digest_schedule,
    schema: digestScheduleSchema,
    defaultValue: (config) => ({ frequency: 'weekly', weekday: 1, time: '09:00', timeZone: config.CRM_TIMEZONE }),
  },
  sync_days: {
    key: 'sync_days',
    title: SETTING_TITLES.sync_days,
    schema: days,
    defaultValue: (config) => config.CRM_SYNC_DAYS,
  },
  stale_thresholds: {
    key: 'stale_thresholds',
    title: SETTING_TITLES.stale_thresholds,
    schema: staleThresholdsSchema as z.ZodType<StaleThresholds>,
    defaultValue: () => ({ ...DEFAULT_STALE_THRESHOLDS }),
  },
  stage_labels: {
    key: 'stage_labels',
    title: SETTING_TITLES.stage_labels,
    schema: stageLabelsSchema as z.ZodType<Record<StageSlug, string>>,
    defaultValue: () => Object.fromEntries(STAGES.map((s) => [s.slug, s.label])) as Record<StageSlug, string>,
  },
  rhythm_factors: {
    key: 'rhythm_factors',
    title: SETTING_TITLES.rhythm_factors,
    schema: rhythmFactorsSchema,
    defaultValue: () => ({ ...DEFAULT_RHYTHM_FACTORS }),
  },
  agenda_schedule: {
    key: 'agenda_schedule',
    title: SETTING_TITLES.agenda_schedule,
    schema: agendaScheduleSchema as z.ZodType<AgendaSchedule>,
    defaultValue: () => ({ ...DEFAULT_AGENDA_SCHEDULE, workdays: [...DEFAULT_AGENDA_SCHEDULE.workdays] }),
  },
};

/** A refused value: one message per offending field (path joined by '.'; '' for the whole value). */
export class SettingValidationError extends UserFacingError {
  constructor(
    readonly key: SettingKey,
    readonly fieldErrors: Record<string, string>,
  ) {
    const said = Object.entries(fieldErrors)
      .map(([f, m]) => `${f || key} ${m}`)
      .join('; ');
    super(said, { detail: `invalid ${key}: ${said}` });
    this.name = 'SettingValidationError';
  }
}

/** Parses a candidate value; throws SettingValidationError naming each bad field. */
export function validateSetting<K extends SettingKey>(key: K, value: unknown): SettingValues[K] {
  const parsed = SETTINGS[key].schema.safeParse(value);
  if (parsed.success) return parsed.data as SettingValues[K];
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.join('.');
    fieldErrors[field] ??= issue.message;
  }
  throw new SettingValidationError(key, fieldErrors);
}

/** A stored value that no longer validates (hand-edited, older shape) reads as the default. */
function decodeStored<K extends SettingKey>(key: K, raw: string | undefined, config: AppConfig): SettingValues[K] {
  if (raw === undefined) return SETTINGS[key].defaultValue(config) as SettingValues[K];
  try {
    const parsed = SETTINGS[key].schema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data as SettingValues[K];
  } catch {
    // fall through to the default
  }
  return SETTINGS[key].defaultValue(config) as SettingValues[K];
}

export async function getSetting<K extends SettingKey>(
  prisma: CrmPrisma,
  config: AppConfig,
  key: K,
): Promise<SettingValues[K]> {
  const row = await prisma.setting.findUnique({ where: { key } });
  return decodeStored(key, row?.value, config);
}

/** Every setting at once (one query). */
export async function getAllSettings(prisma: CrmPrisma, config: AppConfig): Promise<SettingValues> {
  const rows = await prisma.setting.findMany({ where: { key: { in: Object.keys(SETTINGS) } } });
  const byKey = new Map(rows.map((r) => [r.key, r.value]));
  const out = {} as Record<SettingKey, unknown>;
  for (const key of Object.keys(SETTINGS) as SettingKey[]) out[key] = decodeStored(key, byKey.get(key), config);
  return out as unknown as SettingValues;
}

/** Sync window in days: the admin's value, else CRM_SYNC_DAYS. */
export async function getSyncDays(prisma: CrmPrisma, config: AppConfig): Promise<number> {
  return getSetting(prisma, config, 'sync_days');
}

export interface SettingChange<T> {
  changed: boolean;
  oldValue: T;
  newValue: T;
}

/**
 * Validates and stores a setting, recording the change in the audit log in the same
 * transaction. Saving the value it already has changes nothing and records nothing.
 */
export async function updateSetting<K extends SettingKey>(
  prisma: CrmPrisma,
  config: AppConfig,
  clock: Clock,
  actorId: string,
  key: K,
  candidate: unknown,
): Promise<SettingChange<SettingValues[K]>> {
  const value = validateSetting(key, candidate);
  const now = clock.now();
  const serialised = JSON.stringify(value);
  return prisma.$transaction(async (tx) => {
    const before = await tx.setting.findUnique({ where: { key } });
    const oldValue = decodeStored(key, before?.value, config);
    if (JSON.stringify(oldValue) === serialised) return { changed: false, oldValue, newValue: value };
    await tx.setting.upsert({
      where: { key },
      create: { key, value: serialised, updatedBy: actorId, updatedAt: now },
      update: { value: serialised, updatedBy: actorId, updatedAt: now },
    });
    await tx.auditEntry.create({
      data: {
        actorId,
        setting: key,
        oldValue: before ? before.value : JSON.stringify(oldValue),
        newValue: serialised,
        createdAt: now,
      },
    });
    return { changed: true, oldValue, newValue: value };
  });
}

export interface AuditRecord {
  id: number;
  actorId: string;
  /** A setting key, `rate:<CUR>` or `roster:<user id>`. */
  setting: string;
  oldValue: string | null;
  newValue: string | null;
  createdAt: Date;
}

/** The latest changes, newest first. */
export async function latestAuditEntries(prisma: CrmPrisma, take = 10): Promise<AuditRecord[]> {
  return prisma.auditEntry.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take });
}

/** The current stage labels (the admin's where set). */
export async function loadStageLabels(prisma: Pick<CrmPrisma, 'setting'>): Promise<StageLabels> {
  const row = await prisma.setting.findUnique({ where: { key: STAGE_LABELS_SETTING } });
  return parseStageLabels(row?.value);
}
