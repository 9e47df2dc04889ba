import type { Clock } from '../clock';
import type { Role } from '../common/roles';
import type { StageLabels } from '../common/stages';
import type { AppConfig } from '../config';
import type { Database } from '../db/client';
import { bulkReads } from '../db/off-loop-reads';
import { countAllLeads, readHomeStart } from '../db/pipeline/pipeline-sql';
import { syncRunsRecorded } from '../db/sync-runs';
import type { ProductionReader } from '../production/types';
import { type AdminNoticeItem, listOpenAdminNotices } from './admin-notices';
import { type AgendaSetting, agendaSettingFrom } from './agenda/preferences';
import { type FollowUpList, listFollowUpsForOwner } from './follow-ups/listing';
import { type HomeFilter, parseHomeFilter } from './home-filter';
import {
  loadPipeline,
  type PipelineCache,
  type PipelineSnapshot,
  shareAtVersion,
  type VersionedShare,
} from './pipeline';
import { listRates } from './rates';
import { countRosterByRole } from './roster';
import { type AuditRecord, getAllSettings, latestAuditEntries, loadStageLabels, type SettingValues } from './settings';
import { loadSyncStatus, type SyncStatus } from './sync-coordinator';
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
/**
 * From this many leads, what Home shares per data version (the pipeline's pages, the team's
 * and the unowned leads' "today" lists) is read off the event loop (db/off-loop-reads.ts): at
 * 50,000 leads those reads take 100–300 ms of SQLite after every write, which would otherwise
 * hold every other request of the process meanwhile. Below it they take a few ms, less than
 * a message to the reader thread and back.
 */
export const HOME_OFF_LOOP_FROM_LEADS = 10_000;

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
}

/**
 * The share for the heavy questions: off the event loop for a big book (see
 * HOME_OFF_LOOP_FROM_LEADS), computed once per data version like the rest.
 */
async function heavyShare(deps: HomeDataDeps, share: VersionedShare): Promise<VersionedShare> {
  // PostgreSQL's queries never hold the event loop.
  if (deps.db.provider !== 'sqlite') return share;
  const leads = await share.get('leads', () => countAllLeads(deps.db));
  if (leads < HOME_OFF_LOOP_FROM_LEADS) return share;
  return { get: (key, compute) => share.get(key, () => bulkReads(compute)) };
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

/**
 * Everything the Home tab shows for one reader, from the CRM database only (never
 * Metabase): the pipeline with their filter, the sync state, their follow-ups, and for
 * admins the open notices and the admin settings.
 */
export async function loadHomeData(deps: HomeDataDeps, reader: HomeReader): Promise<HomeData> {
  const { prisma } = deps.db;
  const now = deps.clock.now();
  const running = deps.syncRunning();
  // What every viewer sees alike (labels, sync state, the pipeline for a filter) is read once
  // per data version and shared by everyone opening Home meanwhile.
  const start = await readHomeStart(deps.db, reader.userId);
  const filter = parseHomeFilter(start.filterJson);
  const share = shareAtVersion(deps.db, deps.pipelineCache, start.version);
  const noNotices = { notices: [], total: 0 };
  // The same for everyone, and changed only by a write (which changes the version).
  const [settings, heavy] = await Promise.all([
    share.get('settings', () => getAllSettings(prisma, deps.config)),
    heavyShare(deps, share),
  ]);
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
      heavy,
    ),
    // The run records are written on the side connection, which changes no data version: the
    // records this process wrote are counted into the key instead (other instances' change it).
    share.get(`sync:${running}:${syncRunsRecorded(deps.db)}`, () => loadSyncStatus(deps, running)),
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
      { perOwner: HOME_TODAY_PER_OWNER, factors: settings.rhythm_factors, share: heavy },
    ),
  ]);
  const agenda = reader.canEdit ? agendaSettingFrom(start.agenda, settings.agenda_schedule) : null;
  return { now, stageLabels, filter, snapshot, sync, followUps, notices, today, agenda, admin };
}
