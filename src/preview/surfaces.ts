import type { HomeView, KnownBlock, ModalView } from '@slack/types';
import { renderPipelineChart } from '../charts/pipeline-chart';
import { pipelineChartData } from '../charts/pipeline-chart-data';
import { formatLocalDate, localDateTimeOf } from '../common/zoned-time';
import { digestFiguresFor } from '../domain/digest-figures';
import { latestDigestPeriod } from '../domain/digest-schedule';
import { claimOccurrences, findDueOccurrences } from '../domain/follow-ups/delivery';
import { followUpMessageData, loadFollowUpsWithLead } from '../domain/follow-ups/message-data';
import { loadHomeData } from '../domain/home-data';
import { getLeadCard } from '../domain/lead-card-data';
import { getLeadSummary } from '../domain/leads';
import { getOrderHistory } from '../domain/order-history';
import { PipelineCache } from '../domain/pipeline';
import { getRates, listRates, unconvertedCurrencies } from '../domain/rates';
import { listRoster } from '../domain/roster';
import { getAllSettings, loadStageLabels } from '../domain/settings';
import { loadToday } from '../domain/who-to-call';
import { DEFAULT_AGENDA_DELIVERY } from '../jobs/morning-agenda';
import type { Viewer } from '../slack/viewer';
import { refusalFor } from '../slack/viewer';
import type { AdminSettingName } from '../slack/views/admin-common';
import {
  buildCurrencyRatesModal,
  buildDigestChannelModal,
  buildDigestScheduleModal,
  buildMorningAgendaModal,
  buildOrderRhythmModal,
  buildRosterModal,
  buildStageLabelsModal,
  buildStaleThresholdsModal,
  buildSyncWindowModal,
} from '../slack/views/admin-modals';
import { appHomeUrl, buildDigestMessage } from '../slack/views/digest-message';
import { buildFollowUpMessage } from '../slack/views/follow-up-message';
import { buildFollowUpModal } from '../slack/views/follow-up-modal';
import { buildHomeView } from '../slack/views/home';
import {
  buildContactModal,
  buildLeadCard,
  buildNoteModal,
  buildOwnerModal,
  buildStageChangeModal,
} from '../slack/views/lead-card';
import { buildLogToCrmModal } from '../slack/views/log-to-crm-modal';
import { buildOrderHistoryMessage } from '../slack/views/order-history-message';
import { buildNoAccessHome } from '../slack/views/pipeline-home';
import { AGENDA_TITLE, buildTodayMessage, TODAY_MESSAGE_MAX_BLOCKS } from '../slack/views/today-section';
import {
  DEMO_APP_ID,
  DEMO_FEATURED_CUSTOMER,
  DEMO_LOGGED_MESSAGE,
  DEMO_TEAM_ID,
  DEMO_TIME_ZONE,
  DEMO_USERS,
} from './demo-data';
import type { DemoWorld } from './demo-world';

/** Which Block Kit surface a preview is, and so what its JSON holds. */
export type PreviewKind = 'home' | 'modal' | 'message';

export interface Preview {
  /** File name stem under preview/, e.g. "home-admin". */
  name: string;
  /** What it shows, for the printed list. */
  title: string;
  kind: PreviewKind;
  /** A Home or modal: the view object; a message: `{ blocks }`. */
  payload: HomeView | ModalView | { blocks: KnownBlock[] };
}

export interface PreviewSet {
  previews: Preview[];
  /** The digest picture, as the digest job would upload it. */
  digestPicture: { png: Buffer; altText: string };
}

const message = (m: { blocks?: KnownBlock[] }): { blocks: KnownBlock[] } => ({ blocks: m.blocks ?? [] });

function viewer(userId: string, role: Viewer['role']): Viewer {
  return { userId, role, guest: false, timeZone: DEMO_TIME_ZONE };
}

/** The Home tab of one person, as HomePublisher.buildFor builds it (load through the domain, then the view). */
async function homeOf(world: DemoWorld, v: Viewer, access: { canEdit: boolean; isAdmin: boolean }): Promise<HomeView> {
  const data = await loadHomeData(
    { ...world.deps, pipelineCache: new PipelineCache(), syncRunning: () => false },
    {
      userId: v.userId,
      timeZone: v.timeZone,
      isAdmin: access.isAdmin,
      canEdit: access.canEdit,
      team: v.role !== 'account_manager',
    },
  );
  return buildHomeView(data, { userId: v.userId, canEdit: access.canEdit, timeZone: v.timeZone });
}

/** Every admin setting's modal, filled with the demo's values as the "Change" button opens it. */
async function adminModals(world: DemoWorld): Promise<Record<AdminSettingName, ModalView>> {
  const { prisma } = world.deps.db;
  const settings = await getAllSettings(prisma, world.deps.config);
  return {
    digest_channel: buildDigestChannelModal(settings.digest_channel),
    digest_schedule: buildDigestScheduleModal(settings.digest_schedule),
    sync_window: buildSyncWindowModal(settings.sync_days),
    stale_thresholds: buildStaleThresholdsModal(settings.stale_thresholds, settings.stage_labels),
    stage_labels: buildStageLabelsModal(settings.stage_labels),
    order_rhythm: buildOrderRhythmModal(settings.rhythm_factors),
    morning_agenda: buildMorningAgendaModal(settings.agenda_schedule),
    currency_rates: buildCurrencyRatesModal(
      await listRates(prisma),
      DEMO_TIME_ZONE,
      await unconvertedCurrencies(prisma),
    ),
    roster: buildRosterModal(await listRoster(prisma)),
  };
}

/** The follow-up DM due now, claimed like the delivery job claims it (so its buttons carry a real delivery id). */
async function followUpDm(world: DemoWorld): Promise<{ blocks: KnownBlock[] }> {
  const { prisma } = world.deps.db;
  const now = world.clock.now();
  const followUpId = world.followUpIds[0]!;
  const due = (await findDueOccurrences(prisma, now, 0, 100)).filter((d) => d.followUpId === followUpId);
  const [claimed] = await claimOccurrences(prisma, due, world.deps.instanceId, now);
  if (!claimed) throw new Error('the demo follow-up is not due at the demo time');
  const [[followUp], labels] = await Promise.all([
    loadFollowUpsWithLead(prisma, [followUpId]),
    loadStageLabels(prisma),
  ]);
  return message(buildFollowUpMessage(followUpMessageData(followUp!, labels, claimed, now)));
}

/** The account manager's morning agenda, as the job builds it at the demo time in their zone. */
async function morningAgendaDm(world: DemoWorld, v: Viewer): Promise<{ blocks: KnownBlock[] }> {
  const { prisma } = world.deps.db;
  const settings = await getAllSettings(prisma, world.deps.config);
  const data = await loadToday(
    prisma,
    { userId: v.userId, timeZone: v.timeZone, team: false, mayTakeUnowned: true },
    world.clock.now(),
    { perOwner: DEFAULT_AGENDA_DELIVERY.perList, factors: settings.rhythm_factors },
  );
  return message(
    buildTodayMessage(data, {
      viewerId: v.userId,
      canEdit: true,
      labels: settings.stage_labels,
      maxBlocks: TODAY_MESSAGE_MAX_BLOCKS,
      title: AGENDA_TITLE,
    }),
  );
}

/** The lead card of the first lead with a stage suggestion in the demo book. */
async function suggestionCard(world: DemoWorld, v: Viewer): Promise<{ blocks: KnownBlock[] }> {
  const { prisma } = world.deps.db;
  const settings = await getAllSettings(prisma, world.deps.config);
  const data = await loadToday(
    prisma,
    { userId: v.userId, timeZone: v.timeZone, team: true, mayTakeUnowned: true },
    world.clock.now(),
    { perOwner: 5, factors: settings.rhythm_factors },
  );
  const first = data.suggestions.items[0];
  if (!first) throw new Error('the demo book has no stage suggestion at the demo time');
  return message(
    buildLeadCard(await getLeadCard(prisma, first.leadId), {
      labels: settings.stage_labels,
      viewerId: v.userId,
      canEdit: true,
      suggestion: first,
      timeZone: v.timeZone,
    }),
  );
}

/**
 * Every surface of the app, built from the demo world by the same loaders and pure
 * builders the app uses. Nothing talks to Slack or Metabase: production is the demo's.
 */
export async function buildPreviews(world: DemoWorld): Promise<PreviewSet> {
  const { prisma } = world.deps.db;
  const now = world.clock.now();
  const { admin, manager, accountManager, stranger } = DEMO_USERS;
  const labels = await loadStageLabels(prisma);
  const leadId = world.leadIds.get(DEMO_FEATURED_CUSTOMER)!;
  const lead = await getLeadSummary(prisma, leadId);
  const am = viewer(accountManager, 'account_manager');

  const previews: Preview[] = [
    {
      name: 'home-account-manager',
      title: 'Home tab of an account manager',
      kind: 'home',
      payload: await homeOf(world, am, { canEdit: true, isAdmin: false }),
    },
    {
      name: 'home-manager',
      title: 'Home tab of a manager (reads, does not edit)',
      kind: 'home',
      payload: await homeOf(world, viewer(manager, 'manager'), { canEdit: false, isAdmin: false }),
    },
    {
      name: 'home-admin',
      title: 'Home tab of an admin (notices, Admin section)',
      kind: 'home',
      payload: await homeOf(world, viewer(admin, 'admin'), { canEdit: true, isAdmin: true }),
    },
    {
      name: 'home-no-access',
      title: 'Home tab of someone not on the roster',
      kind: 'home',
      payload: buildNoAccessHome(refusalFor(viewer(stranger, null), 'read')!),
    },
    {
      name: 'lead-card',
      title: `Lead card (/crm lead ${DEMO_FEATURED_CUSTOMER})`,
      kind: 'message',
      payload: message(
        buildLeadCard(await getLeadCard(prisma, leadId), { labels, viewerId: accountManager, canEdit: true }),
      ),
    },
    {
      name: 'order-history',
      title: `Order history (/crm orders ${DEMO_FEATURED_CUSTOMER})`,
      kind: 'message',
      payload: message(
        buildOrderHistoryMessage(
          lead,
          await getOrderHistory(world.production, await getRates(prisma), lead.customerId),
        ),
      ),
    },
    {
      name: 'modal-stage-change',
      title: 'Stage change modal',
      kind: 'modal',
      payload: buildStageChangeModal(lead, { labels }),
    },
    { name: 'modal-note', title: 'Note modal', kind: 'modal', payload: buildNoteModal(lead) },
    { name: 'modal-contact', title: 'Contact info modal', kind: 'modal', payload: buildContactModal(lead) },
    { name: 'modal-owner', title: 'Owner modal', kind: 'modal', payload: buildOwnerModal(lead) },
    {
      name: 'modal-follow-up',
      title: 'Follow-up modal',
      kind: 'modal',
      payload: buildFollowUpModal({
        lead: { leadId: lead.leadId, name: lead.name, company: lead.company },
        values: {
          message: null,
          kind: 'once',
          date: formatLocalDate(localDateTimeOf(now, am.timeZone).day + 1),
          time: '09:00',
          interval: null,
          weekday: null,
          dayOfMonth: null,
          ownerId: accountManager,
        },
        timeZone: am.timeZone,
      }),
    },
  ];
  for (const [setting, view] of Object.entries(await adminModals(world))) {
    previews.push({
      name: `modal-admin_${setting}`,
      title: `Admin setting modal: ${setting}`,
      kind: 'modal',
      payload: view,
    });
  }
  previews.push(
    {
      name: 'modal-log-to-crm',
      title: 'Log to CRM (message shortcut) modal',
      kind: 'modal',
      payload: buildLogToCrmModal(DEMO_LOGGED_MESSAGE),
    },
    { name: 'message-follow-up-dm', title: 'Follow-up reminder DM', kind: 'message', payload: await followUpDm(world) },
    {
      name: 'message-morning-agenda',
      title: 'Morning agenda DM (who to call today)',
      kind: 'message',
      payload: await morningAgendaDm(world, am),
    },
    {
      name: 'message-stage-suggestion',
      title: 'A stage suggestion on the lead card (Accept / Dismiss)',
      kind: 'message',
      payload: await suggestionCard(world, am),
    },
  );

  const settings = await getAllSettings(prisma, world.deps.config);
  const period = latestDigestPeriod(settings.digest_schedule, now);
  const figures = await digestFiguresFor(prisma, settings, period, now);
  const digest = buildDigestMessage(figures, {
    stageLabels: settings.stage_labels,
    timeZone: settings.digest_schedule.timeZone,
    homeUrl: appHomeUrl(DEMO_TEAM_ID, DEMO_APP_ID),
  });
  previews.push({
    name: 'message-digest',
    title: 'Weekly digest (channel message)',
    kind: 'message',
    payload: message(digest),
  });
  const picture = await renderPipelineChart(
    pipelineChartData(figures, { stageLabels: settings.stage_labels, timeZone: settings.digest_schedule.timeZone }),
  );
  return { previews, digestPicture: { png: picture.png, altText: picture.altText } };
}

/**
 * A Block Kit Builder link: the payload as URL-encoded JSON in the fragment, a message as
 * `{ "blocks": [...] }` and a Home or modal as its view object (the Builder switches
 * surface on `type`). The fragment never reaches a server, so length is a browser matter.
 */
export function blockKitBuilderUrl(payload: Preview['payload']): string {
  return `https://app.slack.com/block-kit-builder/#${encodeURIComponent(JSON.stringify(payload))}`;
}
