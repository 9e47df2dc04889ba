import { z } from 'zod';
import type { AppConfig } from '../config';
import type { Clock } from '../clock';
import { UserFacingError } from '../shared/errors';
import type { CrmPrisma } from '../db/client';
import { MAX_STAGE_LABEL_LENGTH, STAGES, type StageSlug } from './stages';
import { isTimeOfDay, isValidTimeZone } from '../shared/zoned-time';

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
} as const;

export type SettingKey = (typeof SETTING_KEYS)[keyof typeof SETTING_KEYS];

const days = z.number().int('must be a whole number of days').min(1, 'must be at least 1 day').max(3650, 'must be at most 3650 days (10 years)');

const digestScheduleSchema = z.object({
  frequency: z.enum(['daily', 'weekly']),
  /** ISO weekday, 1 = Monday; used by weekly digests. */
  weekday: z.number().int().min(1).max(7),
  time: z.string().refine(isTimeOfDay, { message: 'must be a time of day such as 09:00' }),
  timeZone: z.string().refine(isValidTimeZone, { message: 'is not a time zone this server knows (use an IANA name such as Asia/Dubai)' }),
});
export type DigestSchedule = z.infer<typeof digestScheduleSchema>;

const stageSlugs = STAGES.map((s) => s.slug) as [StageSlug, ...StageSlug[]];

/** Days without a touch after which a lead in a stage counts as stale; null: not tracked. */
export type StaleThresholds = Record<StageSlug, number | null>;
const staleThresholdsSchema = z.object(Object.fromEntries(stageSlugs.map((s) => [s, days.nullable()])) as Record<StageSlug, z.ZodNullable<typeof days>>);

export const DEFAULT_STALE_THRESHOLDS: StaleThresholds = {
  lead: 14,
  contacted: 14,
  negotiation: 7,
  trial_order: 14,
  active_account: 60,
  churned: null,
};

const stageLabelsSchema = z
  .object(
    Object.fromEntries(
      stageSlugs.map((s) => [
        s,
        z.string().trim().min(1, 'must not be empty').max(MAX_STAGE_LABEL_LENGTH, `must be at most ${MAX_STAGE_LABEL_LENGTH} characters`),
      ]),
    ) as Record<StageSlug, z.ZodString>,
  )
  .superRefine((labels, ctx) => {
    const seen = new Map<string, StageSlug>();
    for (const slug of stageSlugs) {
      const key = labels[slug].toLowerCase();
      const first = seen.get(key);
      if (first) ctx.addIssue({ code: 'custom', path: [slug], message: `is the same as the label of another stage (${first})` });
      else seen.set(key, slug);
    }
  });

const channelIdSchema = z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'must be a Slack channel').nullable();

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
}

export const SETTINGS: { [K in SettingKey]: SettingDefinition<SettingValues[K]> } = {
  digest_channel: { key: 'digest_channel', title: 'Digest channel', schema: channelIdSchema, defaultValue: () => null },
  digest_schedule: {
    key: 'digest_schedule',
    title: 'Digest schedule',
    schema: digestScheduleSchema,
    defaultValue: (config) => ({ frequency: 'weekly', weekday: 1, time: '09:00', timeZone: config.CRM_TIMEZONE }),
  },
  sync_days: { key: 'sync_days', title: 'Sync window', schema: days, defaultValue: (config) => config.CRM_SYNC_DAYS },
  stale_thresholds: {
    key: 'stale_thresholds',
    title: 'Stale lead thresholds',
    schema: staleThresholdsSchema as z.ZodType<StaleThresholds>,
    defaultValue: () => ({ ...DEFAULT_STALE_THRESHOLDS }),
  },
  stage_labels: {
    key: 'stage_labels',
    title: 'Stage labels',
    schema: stageLabelsSchema as z.ZodType<Record<StageSlug, string>>,
    defaultValue: () => Object.fromEntries(STAGES.map((s) => [s.slug, s.label])) as Record<StageSlug, string>,
  },
};

export function isSettingKey(value: string): value is SettingKey {
  return Object.prototype.hasOwnProperty.call(SETTINGS, value);
}

/** A refused value: one message per offending field (path joined by '.'; '' for the whole value). */
export class SettingValidationError extends UserFacingError {
  constructor(
    readonly key: SettingKey,
    readonly fieldErrors: Record<string, string>,
  ) {
    const said = Object.entries(fieldErrors).map(([f, m]) => `${f || key} ${m}`).join('; ');
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

export async function getSetting<K extends SettingKey>(prisma: CrmPrisma, config: AppConfig, key: K): Promise<SettingValues[K]> {
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
      data: { actorId, setting: key, oldValue: before ? before.value : JSON.stringify(oldValue), newValue: serialised, createdAt: now },
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
