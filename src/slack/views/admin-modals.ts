import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { formatRateDate } from '../../common/money';
import { ROLE_LABELS, ROLES, type Role } from '../../common/roles';
import { MAX_STAGE_LABEL_LENGTH, STAGES, type StageSlug } from '../../common/stages';
import { formatShortInstantIn, WEEKDAY_NAMES } from '../../common/zoned-time';
import type { StoredRate, UnconvertedCurrencies } from '../../domain/rates';
import type { AgendaSchedule, DigestSchedule, RhythmFactors, StaleThresholds } from '../../domain/settings';
import { ACTION_IDS, adminCallbackId } from './action-ids';
import { ADMIN_BLOCKS, type AdminSettingName } from './admin-common';
import { cutMrkdwn, escapeMrkdwn, truncate } from './mrkdwn';

/** Pure builders of the admin settings modals; callback_id `admin_<setting>`. */

function modal(setting: AdminSettingName, title: string, blocks: KnownBlock[], submit = 'Save'): ModalView {
  return {
    type: 'modal',
    callback_id: adminCallbackId(setting),
    title: { type: 'plain_text', text: truncate(title, 24) },
    submit: { type: 'plain_text', text: submit },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

function option(text: string, value: string): PlainTextOption {
  return { text: { type: 'plain_text', text: truncate(text, 75) }, value };
}

function note(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: cutMrkdwn(text, 3000) }] };
}

export function buildDigestChannelModal(current: string | null): ModalView {
  return modal('digest_channel', 'Digest channel', [
    {
      type: 'input',
      block_id: ADMIN_BLOCKS.digestChannel,
      optional: true,
      label: { type: 'plain_text', text: 'Post manager digests to' },
      hint: {
        type: 'plain_text',
        text: 'The CRM app must be a member: type /invite @CRM in the channel first. Leave empty to stop posting digests.',
      },
      element: {
        type: 'conversations_select',
        action_id: ACTION_IDS.adminDigestChannel,
        filter: { include: ['public', 'private'], exclude_bot_users: true, exclude_external_shared_channels: true },
        placeholder: { type: 'plain_text', text: 'Choose a channel' },
        ...(current ? { initial_conversation: current } : {}),
      },
    },
  ]);
}

export function buildDigestScheduleModal(current: DigestSchedule): ModalView {
  const frequencies = [option('Daily', 'daily'), option('Weekly', 'weekly')];
  const weekdays = WEEKDAY_NAMES.map((d, i) => option(d, String(i + 1)));
  return modal('digest_schedule', 'Digest schedule', [
    {
      type: 'input',
      block_id: ADMIN_BLOCKS.digestFrequency,
      label: { type: 'plain_text', text: 'How often' },
      element: {
        type: 'static_select',
        action_id: ACTION_IDS.adminDigestFrequency,
        options: frequencies,
        initial_option: frequencies.find((o) => o.value === current.frequency)!,
      },
    },
    {
      type: 'input',
      block_id: ADMIN_BLOCKS.digestWeekday,
      label: { type: 'plain_text', text: 'Day of the week (weekly digests)' },
      element: {
        type: 'static_select',
        action_id: ACTION_IDS.adminDigestWeekday,
        options: weekdays,
        initial_option: weekdays[current.weekday - 1]!,
      },
    },
    {
      type: 'input',
      block_id: ADMIN_BLOCKS.digestTime,
      label: { type: 'plain_text', text: 'Time of day' },
      element: { type: 'timepicker', action_id: ACTION_IDS.adminDigestTime, initial_time: current.time },
    },
    {
      type: 'input',
      block_id: ADMIN_BLOCKS.digestTimeZone,
      label: { type: 'plain_text', text: 'Time zone' },
      hint: { type: 'plain_text', text: 'An IANA time zone name, e.g. Asia/Dubai, Asia/Riyadh, Europe/London or UTC.' },
      element: {
        type: 'plain_text_input',
        action_id: ACTION_IDS.adminDigestTimeZone,
        initial_value: current.timeZone,
        max_length: 64,
      },
    },
  ]);
}

const factorInput = (blockId: string, actionId: string, label: string, hint: string, value: number): KnownBlock => ({
  type: 'input',
  block_id: blockId,
  label: { type: 'plain_text', text: label },
  hint: { type: 'plain_text', text: hint },
  element: {
    type: 'number_input',
    action_id: actionId,
    is_decimal_allowed: true,
    min_value: '1',
    max_value: '10',
    initial_value: String(value),
  },
});

/** How late past its usual interval a customer counts as overdue, and at risk. */
export function buildOrderRhythmModal(current: RhythmFactors): ModalView {
  return modal('order_rhythm', 'Order rhythm', [
    note(
      'A customer with 3+ orders has a usual interval between orders. It is *due* the day after its next order was expected; *overdue* and *at risk* past these multiples of the interval since its last order.',
    ),
    factorInput(
      ADMIN_BLOCKS.rhythmOverdue,
      ACTION_IDS.adminRhythmOverdue,
      'Overdue after (× the usual interval)',
      'At least 1, at most 2 decimals, e.g. 1.5.',
      current.overdue,
    ),
    factorInput(
      ADMIN_BLOCKS.rhythmAtRisk,
      ACTION_IDS.adminRhythmAtRisk,
      'At risk after (× the usual interval)',
      'More than the overdue factor, e.g. 2.',
      current.atRisk,
    ),
  ]);
}

/** The team's morning agenda: its default time (each person may pick theirs on Home) and the workdays. */
export function buildMorningAgendaModal(current: AgendaSchedule): ModalView {
  const days = WEEKDAY_NAMES.map((name, i) => option(name, String(i + 1)));
  const chosen = days.filter((d) => current.workdays.includes(Number(d.value)));
  return modal('morning_agenda', 'Morning agenda', [
    note(
      'Each account manager gets a DM with who to call today on these days, at their own time (or this one) in their own Slack time zone. Nothing is sent when there is nothing to do.',
    ),
    {
      type: 'input',
      block_id: ADMIN_BLOCKS.agendaTime,
      label: { type: 'plain_text', text: 'Team default time' },
      element: { type: 'timepicker', action_id: ACTION_IDS.adminAgendaTime, initial_time: current.time },
    },
    {
      type: 'input',
      block_id: ADMIN_BLOCKS.agendaWorkdays,
      optional: true,
      label: { type: 'plain_text', text: 'Workdays' },
      hint: { type: 'plain_text', text: 'None ticked: no agenda goes out.' },
      element: {
        type: 'checkboxes',
        action_id: ACTION_IDS.adminAgendaWorkdays,
        options: days,
        ...(chosen.length ? { initial_options: chosen } : {}),
      },
    },
  ]);
}

export function buildSyncWindowModal(days: number): ModalView {
  return modal('sync_window', 'Sync window', [
    {
      type: 'input',
      block_id: ADMIN_BLOCKS.syncDays,
      label: { type: 'plain_text', text: 'Days of orders that make a customer a lead' },
      hint: {
        type: 'plain_text',
        text: 'Every B2B customer with an order in this many days gets a lead at the next sync (1 to 3650).',
      },
      element: {
        type: 'number_input',
        action_id: ACTION_IDS.adminSyncDays,
        is_decimal_allowed: false,
        min_value: '1',
        max_value: '3650',
        initial_value: String(days),
      },
    },
  ]);
}

export function buildStaleThresholdsModal(current: StaleThresholds, labels: Record<StageSlug, string>): ModalView {
  return modal('stale_thresholds', 'Stale thresholds', [
    note(
      'A lead is *stale* when nobody has touched it for this many days in its stage. Leave a stage empty to not track it.',
    ),
    ...STAGES.map(
      (s): KnownBlock => ({
        type: 'input',
        block_id: ADMIN_BLOCKS.staleDays(s.slug),
        optional: true,
        label: { type: 'plain_text', text: truncate(`${labels[s.slug]} (days)`, 2000) },
        element: {
          type: 'number_input',
          action_id: ACTION_IDS.adminStaleDays,
          is_decimal_allowed: false,
          min_value: '1',
          max_value: '3650',
          ...(current[s.slug] ? { initial_value: String(current[s.slug]) } : {}),
        },
      }),
    ),
  ]);
}

export function buildStageLabelsModal(labels: Record<StageSlug, string>): ModalView {
  return modal('stage_labels', 'Stage labels', [
    note('Rename the pipeline stages as your team says them. The stages themselves and their order stay the same.'),
    ...STAGES.map(
      (s): KnownBlock => ({
        type: 'input',
        block_id: ADMIN_BLOCKS.stageLabel(s.slug),
        label: { type: 'plain_text', text: `Stage "${s.slug}" (default: ${s.label})` },
        element: {
          type: 'plain_text_input',
          action_id: ACTION_IDS.adminStageLabel,
          initial_value: labels[s.slug],
          max_length: MAX_STAGE_LABEL_LENGTH,
        },
      }),
    ),
  ]);
}

/**
 * One input per currency with its current rate, and who set it when (or that it is a
 * default); then a pair of fields to add a currency that has no rate yet, naming the
 * currencies that leave figures incomplete.
 */
export function buildCurrencyRatesModal(
  rates: StoredRate[],
  timeZone: string,
  unconverted: UnconvertedCurrencies = { needRate: [], unknownCodes: [] },
): ModalView {
  const blocks: KnownBlock[] = [
    note(
      'USD value of *one unit* of each currency. Lifetime figures are recomputed with the new rates as soon as you save.',
    ),
  ];
  for (const r of rates) {
    blocks.push({
      type: 'input',
      block_id: ADMIN_BLOCKS.rate(r.currency),
      label: { type: 'plain_text', text: `${r.currency}: USD per 1 ${r.currency}` },
      element: {
        type: 'plain_text_input',
        action_id: ACTION_IDS.adminRate,
        initial_value: r.usdPerUnit,
        max_length: 32,
      },
    });
    blocks.push(
      note(
        r.updatedBy
          ? `Rate of ${formatRateDate(r.rateDate)}, set by <@${r.updatedBy}> on ${formatShortInstantIn(r.updatedAt, timeZone)}`
          : `Default rate of ${formatRateDate(r.rateDate)}: please check it`,
      ),
    );
  }
  blocks.push({ type: 'divider' }, { type: 'section', text: { type: 'mrkdwn', text: '*Add a currency*' } });
  const waiting = [
    unconverted.needRate.length
      ? `Customers bought in ${escapeMrkdwn(unconverted.needRate.join(', '))}, which ha${unconverted.needRate.length === 1 ? 's' : 've'} no rate yet: their figures are marked incomplete until you add one.`
      : null,
    unconverted.unknownCodes.length
      ? `Production also sends ${escapeMrkdwn(unconverted.unknownCodes.join(', '))}, which ${unconverted.unknownCodes.length === 1 ? 'is not an ISO 4217 code' : 'are not ISO 4217 codes'}: check the data in production.`
      : null,
  ].filter(Boolean);
  if (waiting.length) blocks.push(note(waiting.join(' ')));
  blocks.push(
    {
      type: 'input',
      block_id: ADMIN_BLOCKS.newCurrency,
      optional: true,
      label: { type: 'plain_text', text: 'Currency code (ISO 4217)' },
      hint: {
        type: 'plain_text',
        text: 'Three letters, e.g. GBP. Its decimals come from ISO 4217 (GBP 2, JPY 0, JOD 3).',
      },
      element: {
        type: 'plain_text_input',
        action_id: ACTION_IDS.adminNewCurrency,
        max_length: 3,
        placeholder: { type: 'plain_text', text: unconverted.needRate[0] ?? 'GBP' },
      },
    },
    {
      type: 'input',
      block_id: ADMIN_BLOCKS.newCurrencyRate,
      optional: true,
      label: { type: 'plain_text', text: 'USD per 1 unit of it' },
      element: {
        type: 'plain_text_input',
        action_id: ACTION_IDS.adminRate,
        max_length: 32,
        placeholder: { type: 'plain_text', text: 'e.g. 1.27' },
      },
    },
  );
  return modal('currency_rates', 'Currency rates', blocks);
}

/** Mentions joined by commas within `max` characters, ending "and N more" when some do not fit. */
function mentionList(mentions: string[], max: number): string {
  let text = '';
  for (let i = 0; i < mentions.length; i++) {
    const next = text ? `${text}, ${mentions[i]}` : mentions[i]!;
    const rest = mentions.length - i - 1;
    if (next.length + (rest ? ` and ${rest} more`.length : 0) > max) return `${text} and ${mentions.length - i} more`;
    text = next;
  }
  return text;
}

/** The roster as it is, and a form to add people, change their role or remove them. */
export function buildRosterModal(members: { userId: string; role: Role }[]): ModalView {
  const byRole = ROLES.map((role) => {
    const ids = members.filter((m) => m.role === role).map((m) => `<@${m.userId}>`);
    return `*${ROLE_LABELS[role]}s* (${ids.length}): ${ids.length ? mentionList(ids, Math.floor(3000 / ROLES.length) - 40) : '_none_'}`;
  });
  const roleOptions = [...ROLES.map((r) => option(ROLE_LABELS[r], r)), option('Remove from the roster', 'remove')];
  return modal('roster', 'Roster', [
    { type: 'section', text: { type: 'mrkdwn', text: cutMrkdwn(byRole.join('\n'), 3000) } },
    { type: 'divider' },
    {
      type: 'input',
      block_id: ADMIN_BLOCKS.rosterUsers,
      label: { type: 'plain_text', text: 'People' },
      element: {
        type: 'multi_users_select',
        action_id: ACTION_IDS.adminRosterUsers,
        placeholder: { type: 'plain_text', text: 'Choose people' },
        max_selected_items: 20,
      },
    },
    {
      type: 'input',
      block_id: ADMIN_BLOCKS.rosterRole,
      label: { type: 'plain_text', text: 'Give them this role' },
      hint: {
        type: 'plain_text',
        text: 'Account managers change leads; managers read everything and get digests; admins also configure.',
      },
      element: { type: 'static_select', action_id: ACTION_IDS.adminRosterRole, options: roleOptions },
    },
  ]);
}

/** A one-message modal: a refusal for a non-admin, or why a save failed. */
export function buildAdminMessageModal(message: string): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'CRM settings' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(message) } }],
  };
}
