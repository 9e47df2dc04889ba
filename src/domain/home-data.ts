import type { Clock } from '../clock';
import type { Role } from '../common/roles';
import type { StageLabels } from '../common/stages';
import type { AppConfig } from '../config';
import type { Database } from '../db/client';
import { type HomeStart, readHomeStart } from '../db/pipeline/pipeline-sql';
import type { ProductionReader } from '../production/types';
import { type AdminNoticeItem, listOpenAdminNotices } from './admin-notices';
import { type AgendaSetting, agendaSettingFrom } from './agenda/preferences';
import { type FollowUpList, listFollowUpsForOwner } from './follow-ups/listing';
import { type HomeFilter, parseHomeFilter } from './home-filter';
import type { SyncProgress } from './lead-sync';
import { loadPipeline, type PipelineCache, type PipelineSnapshot, shareAtVersion } from './pipeline';
import { listRates } from './rates';
import { countRosterByRole } from './roster';
import { type AuditRecord, getAllSettings, latestAuditEntries, loadStageLabels, type SettingValues } from './settings';
import { loadSyncStatus, type SyncStatus, withImportProgress } from './sync-coordinator';
import { loadToday, type TodayData } from './who-to-call';

/** Follow-ups shown on Home; each takes 2 blocks of the Home budget. */
export const HOME_FOLLOW_UPS_SHOWN = 5;
/** Lines per list (per person in the team view) the Home tab reads for "today". */
export const HOME_TODAY_PER_OWNER = 4;
/** Admin notices shown on Home; the rest are counted. */
export const HOME_NOTICES_SHOWN = 3;
/** Audit lines shown on Home; the full trail stays in AuditEntry. */
export const HOME_AUDIT_ENTRIES = 8;
/** Leads per stage on one page: with every stage shown, and with one stage picked. */
export const HOME_PAGE_SIZE_ALL_STAGES = 5;
export const HOME_PAGE_SIZE_ONE_STAGE = 20;

/** What the Admin section shows. */
export interface AdminHomeData {
  settings: SettingValues;
  rates: { count: number; oldestRateDate: Date | null; newestRateDate: Date | null };
  rosterCounts: Record<Role, number>;
  audit: AuditRecord[];
  /** The admin's zone, for the audit times. */
  timeZone: string;
}

/** Everything a roster member's Home tab shows. */
export interface HomeData {
  now: Date;
  stageLabels: StageLabels;
  filter: HomeFilter;
  snapshot: PipelineSnapshot;
  sync: SyncStatus;
  followUps: FollowUpList;
  notices: { notices: AdminNoticeItem[]; total: number };
  /** Who to call today: the first section. */
  today: TodayData;
  /** The reader's morning agenda setting; null for those who get none (managers). */
  agenda: AgendaSetting | null;
  /** Null for anyone but an admin. */
  admin: AdminHomeData | null;
}

/** Who the Home tab is for (already authorised to read). */
export interface HomeReader {
  userId: string;
  timeZone: string;
  isAdmin: boolean;
  /** May change leads (account managers, admins): gets an agenda DM and may take unowned leads. */
  canEdit: boolean;
  /** Sees the whole team's "today", grouped by owner (managers, admins). */
  team: boolean;
}

export interface HomeDataDeps {
  db: Database;
  config: AppConfig;
  clock: Clock;
  production: ProductionReader | null;
  pipelineCache: PipelineCache;
  /** Whether this process is syncing now. */
  syncRunning: () => boolean;
  /** How far the import this process is running has got (SyncCoordinator.importProgress). */
  importProgress?: () => SyncProgress | null;
}

async function loadAdminHomeData(
  deps: HomeDataDeps,
  reader: HomeReader,
  settings: SettingValues,
): Promise<AdminHomeData> {
  const { prisma } = deps.db;
  const [rates, rosterCounts, audit] = await Promise.all([
    listRates(prisma),
    countRosterByRole(prisma),
    latestAuditEntries(prisma, HOME_AUDIT_ENTRIES),
  ]);
  const dates = rates.map((r) => r.rateDate.getTime());
  return {
    settings,
    rates: {
      count: rates.length,
      oldestRateDate: dates.length ? new Date(Math.min(...dates)) : null,
      newestRateDate: dates.length ? new Date(Math.max(...dates)) : null,
    },
    rosterCounts,
    audit,
    timeZone: reader.timeZone,
  };
}

/** Home shows the CRM as of the minute it is opened in: its times are in minutes. */
export function homeMinute(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000);
}

/**
 * What a Home open reads first (readHomeStart), and what everything the Home then shows
 * depends on: `key` is equal for two opens exactly when their Home tabs are the same (null
 * where the database keeps no data version), `epoch` the part of it that is the same for
 * every reader (the data version and the minute).
 */
export interface HomeOpening {
  now: Date;
  start: HomeStart;
  running: boolean;
  progress: SyncProgress | null;
  cache: { epoch: string; key: string } | null;
}

export async function openHome(deps: HomeDataDeps, reader: HomeReader): Promise<HomeOpening> {
  const now = homeMinute(deps.clock.now());
  const running = deps.syncRunning();
  const progress = deps.importProgress?.() ?? null;
  const start = await readHomeStart(deps.db, reader.userId);
  if (start.version === null) return { now, start, running, progress, cache: null };
  const epoch = `${start.version}@${now.getTime()}`;
  // Beside the data version (any write changes it) and the minute: the reader, their own
  // facts and the sync's version as read with it, whether this process is syncing, and how
  // far its import is.
  const key = JSON.stringify([epoch, reader, start, running, progress]);
  return { now, start, running, progress, cache: { epoch, key } };
}

/**
 * Everything the Home tab shows for one reader, from the CRM database only (never
 * Metabase): the pipeline with their filter, the sync state, their follow-ups, and for
 * admins the open notices and the admin settings, as of the minute (homeMinute). `opening`:
 * what openHome read for this open, if it has been read.
 */
export async function loadHomeData(deps: HomeDataDeps, reader: HomeReader, opening?: HomeOpening): Promise<HomeData> {
  const { prisma } = deps.db;
  const { now, start, running, progress } = opening ?? (await openHome(deps, reader));
  // What every viewer sees alike (labels, sync state, the pipeline for a filter) is read once
  // per data version and shared by everyone opening Home meanwhile.
  const filter = parseHomeFilter(start.filterJson);
  const share = shareAtVersion(deps.db, deps.pipelineCache, start.version);
  const noNotices = { notices: [], total: 0 };
  // The same for everyone, and changed only by a write (which changes the version).
  const settings = await share.get('settings', () => getAllSettings(prisma, deps.config));
  const [stageLabels, snapshot, sync, followUps, notices, admin, today] = await Promise.all([
    share.get('stageLabels', () => loadStageLabels(prisma)),
    loadPipeline(
      deps.db,
      {
        filter,
        viewerId: reader.userId,
        now,
        pageSize: filter.stage ? HOME_PAGE_SIZE_ONE_STAGE : HOME_PAGE_SIZE_ALL_STAGES,
      },
      share,
    ),
    // The sync's run records are bookkeeping, which changes no data version: they have a version of their own,
    // which moves many times in one sync, so only its latest answer is kept (beside the version's share).
    start.version === null
      ? loadSyncStatus(deps, running)
      : deps.pipelineCache.latest(deps.db, 'sync', `${start.version}:${running}:${start.syncVersion}`, () =>
          loadSyncStatus(deps, running),
        ),
    listFollowUpsForOwner(prisma, reader.userId, now, HOME_FOLLOW_UPS_SHOWN, start.hasFollowUps),
    reader.isAdmin ? listOpenAdminNotices(prisma, HOME_NOTICES_SHOWN) : Promise.resolve(noNotices),
    reader.isAdmin ? loadAdminHomeData(deps, reader, settings) : Promise.resolve(null),
    loadToday(
      prisma,
      {
        userId: reader.userId,
        timeZone: reader.timeZone,
        team: reader.team,
        mayTakeUnowned: reader.canEdit,
        ownsLeads: start.ownsLeads,
        hasFollowUps: start.hasFollowUps,
      },
      now,
      { perOwner: HOME_TODAY_PER_OWNER, factors: settings.rhythm_factors, share },
    ),
  ]);
  const agenda = reader.canEdit ? agendaSettingFrom(start.agenda, settings.agenda_schedule) : null;
  // The import's progress changes with every chunk (each a write), so it is read per open, not shared.
  const syncShown = withImportProgress(sync, progress);
  return { now, stageLabels, filter, snapshot, sync: syncShown, followUps, notices, today, agenda, admin };
}
