import { z } from 'zod';
import { MAX_STAGE_LABEL_LENGTH, STAGES, type StageSlug } from './stages';
import { isTimeOfDay, isValidTimeZone } from './zoned-time';

/**
 * The schemas of the admin settings' values: pure, so the domain validates with them and the
 * views read stored values (the audit list) with them, without the views reaching into domain code.
 */

/** What each setting is called in the Admin section and the audit list. */
export const SETTING_TITLES = {
  digest_channel: 'Digest channel',
  digest_schedule: 'Digest schedule',
  sync_days: 'Sync window',
  stale_thresholds: 'Stale lead thresholds',
  stage_labels: 'Stage labels',
  rhythm_factors: 'Order rhythm',
  agenda_schedule: 'Morning agenda',
} as const;

export type SettingKey = keyof typeof SETTING_TITLES;

export function isSettingKey(value: string): value is SettingKey {
  return Object.hasOwn(SETTING_TITLES, value);
}

export const days = z
  .number()
  .int('must be a whole number of days')
  .min(1, 'must be at least 1 day')
  .max(3650, 'must be at most 3650 days (10 years)');

export const digestScheduleSchema = z.object({
  frequency: z.enum(['daily', 'weekly']),
  /** ISO weekday, 1 = Monday; used by weekly digests. */
  weekday: z.number().int().min(1).max(7),
  time: z.string().refine(isTimeOfDay, { message: 'must be a time of day such as 09:00' }),
  timeZone: z
    .string()
    .refine(isValidTimeZone, { message: 'is not a time zone this server knows (use an IANA name such as Asia/Dubai)' }),
});
export type DigestSchedule = z.infer<typeof digestScheduleSchema>;

const stageSlugs = STAGES.map((s) => s.slug) as [StageSlug, ...StageSlug[]];

/** Days without a touch after which a lead in a stage counts as stale; null: not tracked. */
export type StaleThresholds = Record<StageSlug, number | null>;
export const staleThresholdsSchema = z.object(
  Object.fromEntries(stageSlugs.map((s) => [s, days.nullable()])) as Record<StageSlug, z.ZodNullable<typeof days>>,
);

export const DEFAULT_STALE_THRESHOLDS: StaleThresholds = {
  lead: 14,
  contacted: 14,
  negotiation: 7,
  trial_order: 14,
  active_account: 60,
  churned: null,
};

export const stageLabelsSchema = z
  .object(
    Object.fromEntries(
      stageSlugs.map((s) => [
        s,
        z
          .string()
          .trim()
          .min(1, 'must not be empty')
          .max(MAX_STAGE_LABEL_LENGTH, `must be at most ${MAX_STAGE_LABEL_LENGTH} characters`),
      ]),
    ) as Record<StageSlug, z.ZodString>,
  )
  .superRefine((labels, ctx) => {
    const seen = new Map<string, StageSlug>();
    for (const slug of stageSlugs) {
      const key = labels[slug].toLowerCase();
      const first = seen.get(key);
      if (first)
        ctx.addIssue({ code: 'custom', path: [slug], message: `is the same as the label of another stage (${first})` });
      else seen.set(key, slug);
    }
  });

export const channelIdSchema = z
  .string()
  .regex(/^[CG][A-Z0-9]{2,}$/, 'must be a Slack channel')
  .nullable();

/**
 * How late past the usual interval a customer counts as overdue and at risk: a multiple of
 * the interval, in hundredths at most (1.5, 2, 2.25), so thousandths hold it exactly.
 */
const factor = z
  .number()
  .min(1, 'must be at least 1 (one usual interval)')
  .max(10, 'must be at most 10')
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-9, { message: 'must have at most 2 decimals' });

export const rhythmFactorsSchema = z
  .object({ overdue: factor, atRisk: factor })
  .refine((f) => f.atRisk > f.overdue, { path: ['atRisk'], message: 'must be more than the overdue factor' });
export type RhythmFactors = z.infer<typeof rhythmFactorsSchema>;
export const DEFAULT_RHYTHM_FACTORS: RhythmFactors = { overdue: 1.5, atRisk: 2 };

/** The rhythm factors in thousandths (1.5 -> 1500): exact in the integer arithmetic of rhythms and their SQL. */
export interface FactorPermille {
  overdue: bigint;
  atRisk: bigint;
}

export function factorPermille(factors: RhythmFactors): FactorPermille {
  return { overdue: BigInt(Math.round(factors.overdue * 1000)), atRisk: BigInt(Math.round(factors.atRisk * 1000)) };
}

/** The team's morning agenda: the default time (each person may choose theirs) and the workdays it goes out on. */
export const agendaScheduleSchema = z.object({
  time: z.string().refine(isTimeOfDay, { message: 'must be a time of day such as 08:30' }),
  /** ISO weekdays, 1 = Monday … 7 = Sunday; empty: no agenda goes out. */
  workdays: z
    .array(z.number().int().min(1).max(7))
    .max(7)
    .transform((d) => [...new Set(d)].sort((a, b) => a - b)),
});
export type AgendaSchedule = z.infer<typeof agendaScheduleSchema>;
export const DEFAULT_AGENDA_SCHEDULE: AgendaSchedule = { time: '08:30', workdays: [1, 2, 3, 4, 5] };
