import type { ViewStateValue } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../../app-context';
import { rateProblem } from '../../../common/money';
import { isRole } from '../../../common/roles';
import { slackErrorCode } from '../../../common/slack-error-code';
import { STAGES } from '../../../common/stages';
import { listRates, RateValidationError, validCurrencyCode } from '../../../domain/rates';
import { changeRates } from '../../../domain/revalue-figures';
import { changeRoster, RosterError } from '../../../domain/roster';
import { type SettingKey, SettingValidationError, updateSetting } from '../../../domain/settings';
import type { Viewer } from '../../viewer';
import { ACTION_IDS } from '../../views/action-ids';
import { ADMIN_BLOCKS, type AdminSettingName } from '../../views/admin-common';
import { userErrorPlain } from '../../views/user-error';
import { isSharedChannel, SHARED_CHANNEL_REFUSAL } from '../../web-api/channel-sharing';

/** A modal's submitted values: block_id -> action_id -> value (as Slack sends them). */
export type ViewValues = Record<string, Record<string, ViewStateValue>>;

/** Field errors by block id (shown under the field); empty: saved. */
export type FieldErrors = Record<string, string>;

export interface SubmissionContext {
  deps: AppContext;
  client: WebClient;
  viewer: Viewer;
  values: ViewValues;
  /**
   * Work to run once Slack has its answer, before the admin's Home is republished; also after
   * field errors, since what was saved before a refusal stays saved.
   */
  afterSave: (() => Promise<void>)[];
}

function field(values: ViewValues, blockId: string, actionId: string): ViewStateValue | undefined {
  return values[blockId]?.[actionId];
}

function text(values: ViewValues, blockId: string, actionId: string): string {
  return (field(values, blockId, actionId)?.value ?? '').trim();
}

/** Maps a setting's field errors to the modal's blocks. */
function settingErrors(
  err: unknown,
  blockFor: (field: string) => string,
  labelFor: (field: string) => string,
): FieldErrors {
  if (!(err instanceof SettingValidationError)) throw err;
  const errors: FieldErrors = {};
  for (const [f, message] of Object.entries(err.fieldErrors)) errors[blockFor(f)] ??= `${labelFor(f)} ${message}.`;
  return errors;
}

async function save(
  ctx: SubmissionContext,
  key: SettingKey,
  value: unknown,
  blockFor: (field: string) => string,
  labelFor: (field: string) => string,
): Promise<FieldErrors> {
  try {
    await updateSetting(ctx.deps.db.prisma, ctx.deps.config, ctx.deps.clock, ctx.viewer.userId, key, value);
    return {};
  } catch (err) {
    return settingErrors(err, blockFor, labelFor);
  }
}

const INVITE_HINT = 'Type /invite @CRM in that channel, then save again.';

async function digestChannel(ctx: SubmissionContext): Promise<FieldErrors> {
  const block = ADMIN_BLOCKS.digestChannel;
  const channel = field(ctx.values, block, ACTION_IDS.adminDigestChannel)?.selected_conversation ?? null;
  if (channel) {
    // Check now that the app can post there, rather than failing silently at digest time.
    try {
      const info = await ctx.client.conversations.info({ channel });
      const c = info.channel;
      if (c?.is_archived) return { [block]: 'That channel is archived. Choose another one.' };
      if (c?.is_im || c?.is_mpim) return { [block]: 'Choose a channel, not a direct message.' };
      if (isSharedChannel(c)) {
        ctx.deps.logger.warn({ channel, userId: ctx.viewer.userId }, 'refused a shared channel as the digest channel');
        return { [block]: SHARED_CHANNEL_REFUSAL };
      }
      if (!c?.is_member)
        return { [block]: `The CRM app is not a member of ${c?.name ? `#${c.name}` : 'that channel'}. ${INVITE_HINT}` };
    } catch (err) {
      if (slackErrorCode(err) === 'channel_not_found')
        return { [block]: `The CRM app cannot see that channel (a private channel it is not in). ${INVITE_HINT}` };
      ctx.deps.logger.error({ err, channel }, 'conversations.info failed while checking the digest channel');
      return { [block]: 'Slack could not confirm the app can post there. Please try again in a moment.' };
    }
  }
  return save(
    ctx,
    'digest_channel',
    channel,
    () => block,
    () => 'The channel',
  );
}

async function digestSchedule(ctx: SubmissionContext): Promise<FieldErrors> {
  const v = ctx.values;
  const weekdayText = field(v, ADMIN_BLOCKS.digestWeekday, ACTION_IDS.adminDigestWeekday)?.selected_option?.value ?? '';
  const candidate = {
    frequency: field(v, ADMIN_BLOCKS.digestFrequency, ACTION_IDS.adminDigestFrequency)?.selected_option?.value,
    weekday: /^[1-7]$/.test(weekdayText) ? Number(weekdayText) : undefined,
    time: field(v, ADMIN_BLOCKS.digestTime, ACTION_IDS.adminDigestTime)?.selected_time ?? '',
    timeZone: text(v, ADMIN_BLOCKS.digestTimeZone, ACTION_IDS.adminDigestTimeZone),
  };
  const blocks: Record<string, string> = {
    frequency: ADMIN_BLOCKS.digestFrequency,
    weekday: ADMIN_BLOCKS.digestWeekday,
    time: ADMIN_BLOCKS.digestTime,
    timeZone: ADMIN_BLOCKS.digestTimeZone,
  };
  const labels: Record<string, string> = {
    frequency: 'How often',
    weekday: 'The day',
    time: 'The time',
    timeZone: `"${candidate.timeZone}"`,
  };
  if (candidate.frequency === undefined) return { [blocks.frequency!]: 'Choose daily or weekly.' };
  if (candidate.weekday === undefined) return { [blocks.weekday!]: 'Choose a day of the week.' };
  if (!candidate.timeZone) return { [blocks.timeZone!]: 'Enter a time zone, e.g. Asia/Dubai.' };
  return save(
    ctx,
    'digest_schedule',
    candidate,
    (f) => blocks[f] ?? blocks.time!,
    (f) => labels[f] ?? 'The value',
  );
}

/** A whole number of days from a number input, or an error message. */
function parseDays(raw: string): number | string {
  if (!/^\d+$/.test(raw)) return 'Enter a whole number of days between 1 and 3650.';
  return Number(raw);
}

async function syncWindow(ctx: SubmissionContext): Promise<FieldErrors> {
  const block = ADMIN_BLOCKS.syncDays;
  const days = parseDays(text(ctx.values, block, ACTION_IDS.adminSyncDays));
  if (typeof days === 'string') return { [block]: days };
  return save(
    ctx,
    'sync_days',
    days,
    () => block,
    () => 'The window',
  );
}

async function orderRhythm(ctx: SubmissionContext): Promise<FieldErrors> {
  const blocks: Record<string, string> = { overdue: ADMIN_BLOCKS.rhythmOverdue, atRisk: ADMIN_BLOCKS.rhythmAtRisk };
  const read = (block: string, action: string) => {
    const raw = text(ctx.values, block, action);
    return /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  };
  const candidate = {
    overdue: read(ADMIN_BLOCKS.rhythmOverdue, ACTION_IDS.adminRhythmOverdue),
    atRisk: read(ADMIN_BLOCKS.rhythmAtRisk, ACTION_IDS.adminRhythmAtRisk),
  };
  const errors: FieldErrors = {};
  for (const [f, v] of Object.entries(candidate))
    if (typeof v !== 'number') errors[blocks[f]!] = 'Enter a number such as 1.5.';
  if (Object.keys(errors).length) return errors;
  return save(
    ctx,
    'rhythm_factors',
    candidate,
    (f) => blocks[f] ?? ADMIN_BLOCKS.rhythmAtRisk,
    (f) => (f === 'overdue' ? 'The overdue factor' : 'The at-risk factor'),
  );
}

async function morningAgenda(ctx: SubmissionContext): Promise<FieldErrors> {
  const workdays = (
    field(ctx.values, ADMIN_BLOCKS.agendaWorkdays, ACTION_IDS.adminAgendaWorkdays)?.selected_options ?? []
  )
    .map((o) => Number(o.value))
    .filter((d) => Number.isInteger(d));
  const candidate = {
    time: field(ctx.values, ADMIN_BLOCKS.agendaTime, ACTION_IDS.adminAgendaTime)?.selected_time ?? '',
    workdays,
  };
  return save(
    ctx,
    'agenda_schedule',
    candidate,
    (f) => (f.startsWith('workdays') ? ADMIN_BLOCKS.agendaWorkdays : ADMIN_BLOCKS.agendaTime),
    (f) => (f.startsWith('workdays') ? 'The workdays' : 'The time'),
  );
}

async function staleThresholds(ctx: SubmissionContext): Promise<FieldErrors> {
  const candidate: Record<string, number | null> = {};
  const errors: FieldErrors = {};
  for (const s of STAGES) {
    const block = ADMIN_BLOCKS.staleDays(s.slug);
    const raw = text(ctx.values, block, ACTION_IDS.adminStaleDays);
    if (raw === '') {
      candidate[s.slug] = null;
      continue;
    }
    const days = parseDays(raw);
    if (typeof days === 'string') errors[block] = `${days} Leave it empty to not track this stage.`;
    else candidate[s.slug] = days;
  }
  if (Object.keys(errors).length) return errors;
  return save(
    ctx,
    'stale_thresholds',
    candidate,
    (f) => ADMIN_BLOCKS.staleDays(f),
    () => 'The threshold',
  );
}

async function stageLabels(ctx: SubmissionContext): Promise<FieldErrors> {
  const candidate = Object.fromEntries(
    STAGES.map((s) => [s.slug, text(ctx.values, ADMIN_BLOCKS.stageLabel(s.slug), ACTION_IDS.adminStageLabel)]),
  );
  return save(
    ctx,
    'stage_labels',
    candidate,
    (f) => ADMIN_BLOCKS.stageLabel(f),
    () => 'The label',
  );
}

/** The "Add a currency" pair of the rates modal: nothing, a valid new rate, or the errors to show. */
function newCurrency(
  ctx: SubmissionContext,
  existing: Set<string>,
): { add: { currency: string; usdPerUnit: string } | null; errors: FieldErrors } {
  const codeBlock = ADMIN_BLOCKS.newCurrency;
  const rateBlock = ADMIN_BLOCKS.newCurrencyRate;
  const typedCode = text(ctx.values, codeBlock, ACTION_IDS.adminNewCurrency);
  const typedRate = text(ctx.values, rateBlock, ACTION_IDS.adminRate);
  if (!typedCode && !typedRate) return { add: null, errors: {} };
  const errors: FieldErrors = {};
  let currency: string | null = null;
  if (!typedCode) errors[codeBlock] = 'Enter the currency code this rate is for, e.g. GBP.';
  else {
    try {
      currency = validCurrencyCode(typedCode);
      if (existing.has(currency))
        errors[codeBlock] = `${currency} already has a rate: change it in its own field above.`;
    } catch (err) {
      if (!(err instanceof RateValidationError)) throw err;
      errors[codeBlock] = err.userMessage;
    }
  }
  const problem = typedRate ? rateProblem(typedRate) : 'is needed: the USD value of one unit, e.g. 1.27';
  if (problem) errors[rateBlock] = `The rate ${problem}.`;
  return Object.keys(errors).length || !currency
    ? { add: null, errors }
    : { add: { currency, usdPerUnit: typedRate }, errors };
}

async function currencyRates(ctx: SubmissionContext): Promise<FieldErrors> {
  const { prisma } = ctx.deps.db;
  const current = await listRates(prisma);
  const changes: { currency: string; usdPerUnit: string }[] = [];
  const errors: FieldErrors = {};
  for (const rate of current) {
    const block = ADMIN_BLOCKS.rate(rate.currency);
    if (!ctx.values[block]) continue;
    const typed = text(ctx.values, block, ACTION_IDS.adminRate);
    if (typed === rate.usdPerUnit) continue;
    const problem = rateProblem(typed);
    if (problem) errors[block] = `The ${rate.currency} rate ${problem}.`;
    else changes.push({ currency: rate.currency, usdPerUnit: typed });
  }
  const added = newCurrency(ctx, new Set(current.map((r) => r.currency)));
  Object.assign(errors, added.errors);
  // All or nothing from the admin's point of view: nothing is saved while a field is wrong.
  if (Object.keys(errors).length) return errors;
  const updates = [
    ...changes.map((c) => ({ ...c, actorId: ctx.viewer.userId })),
    ...(added.add ? [{ ...added.add, actorId: ctx.viewer.userId, mustBeNew: true }] : []),
  ];
  // The rates and the lifetime USD figures they change are saved together, or not at all.
  try {
    await changeRates(prisma, updates, ctx.deps.clock);
  } catch (err) {
    if (!(err instanceof RateValidationError)) throw err;
    // Another admin added the new currency meanwhile, or a rate changed under the form.
    const onNew = added.add !== null && (err.currency === undefined || err.currency === added.add.currency);
    if (onNew)
      return { [err.field === 'currency' ? ADMIN_BLOCKS.newCurrency : ADMIN_BLOCKS.newCurrencyRate]: err.userMessage };
    return { [ADMIN_BLOCKS.rate(err.currency ?? changes[0]!.currency)]: err.userMessage };
  }
  return {};
}

async function roster(ctx: SubmissionContext): Promise<FieldErrors> {
  const users = field(ctx.values, ADMIN_BLOCKS.rosterUsers, ACTION_IDS.adminRosterUsers)?.selected_users ?? [];
  const choice = field(ctx.values, ADMIN_BLOCKS.rosterRole, ACTION_IDS.adminRosterRole)?.selected_option?.value ?? '';
  if (users.length === 0) return { [ADMIN_BLOCKS.rosterUsers]: 'Choose at least one person.' };
  if (choice !== 'remove' && !isRole(choice))
    return { [ADMIN_BLOCKS.rosterRole]: 'Choose a role, or remove from the roster.' };
  const { prisma } = ctx.deps.db;
  // Everyone chosen changes in one transaction: a refusal (last admin) saves nothing and says why.
  try {
    await changeRoster(prisma, ctx.deps.clock, ctx.viewer.userId, users, choice === 'remove' ? 'remove' : choice);
  } catch (err) {
    if (err instanceof RosterError) return { [ADMIN_BLOCKS.rosterUsers]: userErrorPlain(err) };
    throw err;
  }
  // Whoever was changed sees their new access on Home at once (no-access, read-only, or more).
  // The admin's own Home is republished anyway.
  ctx.afterSave.push(() =>
    ctx.deps.homePublisher.republish(
      ctx.client,
      users.filter((id) => id !== ctx.viewer.userId),
    ),
  );
  return {};
}

/** Saves one admin modal's values; returns the field errors to show, or {} when saved. */
export const ADMIN_SUBMISSIONS: Record<AdminSettingName, (ctx: SubmissionContext) => Promise<FieldErrors>> = {
  digest_channel: digestChannel,
  digest_schedule: digestSchedule,
  sync_window: syncWindow,
  stale_thresholds: staleThresholds,
  stage_labels: stageLabels,
  order_rhythm: orderRhythm,
  morning_agenda: morningAgenda,
  currency_rates: currencyRates,
  roster,
};
