import type { WebClient } from '@slack/web-api';
import { canConfigure, canEditLeads, type Role } from '../common/roles';
import { slackErrorCode } from '../common/slack-error-code';
import { readMemberFacts, readUserFacts, saveUserFacts, type UserFacts } from '../db/member-facts';
import type { AppDeps } from '../deps';
import { buildNoticeModal } from './views/notice-modal';
import { type InteractionOrigin, openModal } from './web-api/reply';

/** Who is asking, and what they may do. Resolved once per request, in one place. */
export interface Viewer {
  userId: string;
  /** Null: not on the roster. */
  role: Role | null;
  /** Slack guest (single- or multi-channel): never sees customer data. */
  guest: boolean;
  /** IANA time zone from users.info, falling back to CRM_TIMEZONE. */
  timeZone: string;
}

export function canRead(v: Viewer): boolean {
  return v.role !== null && !v.guest;
}
export function canEdit(v: Viewer): boolean {
  return canRead(v) && canEditLeads(v.role);
}
export function canAdminister(v: Viewer): boolean {
  return canRead(v) && canConfigure(v.role);
}

/** users.info facts are cached this long in the database: guest status is at most an hour old. */
export const USER_CACHE_TTL_MS = 60 * 60 * 1000;

export interface SlackUserFacts {
  tz: string | null;
  guest: boolean;
  deleted: boolean;
}

/**
 * users.info (time zone, guest, deactivated), cached in SlackUserCache. Pass `known` when the
 * cache row was just read (null: none stored), so it is not read again.
 */
export async function slackUserFacts(
  deps: AppDeps,
  client: WebClient,
  userId: string,
  known?: UserFacts | null,
): Promise<SlackUserFacts> {
  const { prisma } = deps.db;
  const now = deps.clock.now();
  const cached = known === undefined ? await readUserFacts(prisma, userId) : known;
  if (cached && now.getTime() - cached.fetchedAt.getTime() < USER_CACHE_TTL_MS) {
    return { tz: cached.tz, guest: cached.isRestricted || cached.isUltraRestricted, deleted: cached.deleted };
  }
  try {
    const res = await client.users.info({ user: userId });
    const u = res.user ?? {};
    const data: UserFacts = {
      tz: u.tz ?? null,
      isRestricted: Boolean(u.is_restricted),
      isUltraRestricted: Boolean(u.is_ultra_restricted),
      deleted: Boolean(u.deleted),
      fetchedAt: now,
    };
    await saveUserFacts(prisma, userId, data);
    return { tz: data.tz, guest: data.isRestricted || data.isUltraRestricted, deleted: data.deleted };
  } catch (err) {
    if (slackErrorCode(err) === 'user_not_found') return { tz: null, guest: false, deleted: true };
    deps.logger.warn({ err, userId }, 'users.info failed; using cached or default facts');
    // Fail closed on guest status only when we never knew it.
    return cached
      ? { tz: cached.tz, guest: cached.isRestricted || cached.isUltraRestricted, deleted: cached.deleted }
      : { tz: null, guest: true, deleted: false };
  }
}

export async function resolveViewer(deps: AppDeps, client: WebClient, userId: string): Promise<Viewer> {
  const { role, facts: cached } = await readMemberFacts(deps.db, userId);
  // Non-members never see data, so their guest status does not matter: skip the call.
  if (role === null) return { userId, role, guest: false, timeZone: deps.config.CRM_TIMEZONE };
  const facts = await slackUserFacts(deps, client, userId, cached);
  return { userId, role, guest: facts.guest, timeZone: facts.tz ?? deps.config.CRM_TIMEZONE };
}

/**
 * How long a listener waits for the viewer before it must answer Slack: Slack waits 3 s for
 * an ack (and a trigger_id lasts 3 s), and the rest of the request (database, rendering,
 * views.open) needs the remainder.
 */
export const VIEWER_WAIT_MS = 1_000;

/** The viewer, now; or, when Slack is too slow and nothing is cached, the viewer to come. */
export type ViewerInTime = { viewer: Viewer; later?: undefined } | { viewer?: undefined; later: Promise<Viewer> };

/**
 * `resolveViewer` within `waitMs`. When users.info takes longer, the cached facts serve
 * even if older than an hour (the call goes on and refreshes the cache); with nothing cached
 * the caller gets `later` and must answer Slack first (guest status is never guessed).
 */
export async function resolveViewerWithin(
  deps: AppDeps,
  client: WebClient,
  userId: string,
  waitMs = VIEWER_WAIT_MS,
): Promise<ViewerInTime> {
  const full = resolveViewer(deps, client, userId);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), waitMs);
  });
  const first = await Promise.race([full, timeout]).finally(() => clearTimeout(timer));
  if (first) return { viewer: first };
  const { role, facts: cached } = await readMemberFacts(deps.db, userId);
  if (role !== null && cached) {
    full.catch(() => undefined);
    return {
      viewer: {
        userId,
        role,
        guest: cached.isRestricted || cached.isUltraRestricted,
        timeZone: cached.tz ?? deps.config.CRM_TIMEZONE,
      },
    };
  }
  return { later: full };
}

/**
 * The viewer of an action that may answer in a modal. When Slack is too slow to say who it
 * is (users.info, nothing cached), a "Loading…" modal is opened with the trigger while it
 * is still valid (3 s), and the answer then updates that modal.
 */
export async function viewerForAction(deps: AppDeps, client: WebClient, origin: InteractionOrigin): Promise<Viewer> {
  const inTime = await resolveViewerWithin(deps, client, origin.userId);
  if (inTime.viewer) return inTime.viewer;
  if (!origin.responseUrl && origin.triggerId) {
    await openModal(client, origin, buildNoticeModal('CRM', 'Loading…')).catch((err) =>
      deps.logger.warn({ err }, 'could not open the loading modal'),
    );
  }
  return inTime.later;
}

export type AccessLevel = 'read' | 'edit' | 'admin';

/** The polite refusal for a viewer lacking `level`, or null when allowed. */
export function refusalFor(v: Viewer, level: AccessLevel): string | null {
  if (v.guest) return 'Sorry, the CRM is not available to guest accounts.';
  if (v.role === null) return 'Sorry, you are not on the CRM roster yet. Ask a CRM admin to add you.';
  if (level === 'edit' && !canEdit(v)) return 'Your role (manager) can read the pipeline but not change leads.';
  if (level === 'admin' && !canAdminister(v)) return 'Only CRM admins can do that.';
  return null;
}
