import { OWNER_FILTERS, type OwnerFilter } from '../common/choices';
import { isStageSlug, type StageSlug } from '../common/stages';
import type { CrmPrisma } from '../db/client';

export const DEFAULT_UNCONTACTED_DAYS = 90;

/** A user's Home tab filter and paging, persisted in UserPreference.homeFilter (JSON). */
export interface HomeFilter {
  owner: OwnerFilter;
  /** For `uncontacted`: an order in the last N days and no human touch ever. */
  uncontactedDays: number;
  /** Null: all six stages. */
  stage: StageSlug | null;
  /** Page shown per stage (0 = the top); absent means 0. */
  pages: Partial<Record<StageSlug, number>>;
}

export const DEFAULT_HOME_FILTER: HomeFilter = {
  owner: 'all',
  uncontactedDays: DEFAULT_UNCONTACTED_DAYS,
  stage: null,
  pages: {},
};

/** Highest page a user can ask for: far beyond any real pipeline, but keeps `skip` bounded. */
export const MAX_PAGE = 10_000;

export function isOwnerFilter(value: string): value is OwnerFilter {
  return (OWNER_FILTERS as readonly string[]).includes(value);
}

export function isValidUncontactedDays(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 3650;
}

function isValidPage(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_PAGE;
}

/** Reads a stored filter; every malformed part falls back to its default, never an error. */
export function parseHomeFilter(json: string | null | undefined): HomeFilter {
  if (!json) return { ...DEFAULT_HOME_FILTER, pages: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ...DEFAULT_HOME_FILTER, pages: {} };
  }
  const v = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const pages: HomeFilter['pages'] = {};
  if (typeof v.pages === 'object' && v.pages !== null) {
    for (const [slug, page] of Object.entries(v.pages as Record<string, unknown>)) {
      if (isStageSlug(slug) && isValidPage(page) && page > 0) pages[slug] = page;
    }
  }
  return {
    owner: typeof v.owner === 'string' && isOwnerFilter(v.owner) ? v.owner : DEFAULT_HOME_FILTER.owner,
    uncontactedDays:
      typeof v.uncontactedDays === 'number' && isValidUncontactedDays(v.uncontactedDays)
        ? v.uncontactedDays
        : DEFAULT_UNCONTACTED_DAYS,
    stage: typeof v.stage === 'string' && isStageSlug(v.stage) ? v.stage : null,
    pages,
  };
}

export async function loadHomeFilter(prisma: CrmPrisma, userId: string): Promise<HomeFilter> {
  const row = await prisma.userPreference.findUnique({ where: { userId } });
  return parseHomeFilter(row?.homeFilter);
}

export async function saveHomeFilter(prisma: CrmPrisma, userId: string, filter: HomeFilter): Promise<void> {
  const homeFilter = JSON.stringify(filter);
  await prisma.userPreference.upsert({ where: { userId }, create: { userId, homeFilter }, update: { homeFilter } });
}

/** A change the user made with one Home control. */
export type HomeFilterChange =
  | { kind: 'owner'; owner: OwnerFilter }
  | { kind: 'uncontactedDays'; days: number }
  | { kind: 'stage'; stage: StageSlug | null }
  | { kind: 'page'; stage: StageSlug; page: number };

/**
 * Applies a change. Changing what is shown sends every stage back to its first page:
 * page 7 of a different selection would be meaningless.
 */
export function applyHomeFilterChange(filter: HomeFilter, change: HomeFilterChange): HomeFilter {
  switch (change.kind) {
    case 'owner':
      return { ...filter, owner: change.owner, pages: {} };
    case 'uncontactedDays':
      // Choosing a number of days means the user wants the uncontacted view.
      return { ...filter, owner: 'uncontacted', uncontactedDays: change.days, pages: {} };
    case 'stage':
      return { ...filter, stage: change.stage, pages: {} };
    case 'page': {
      const pages = { ...filter.pages };
      if (change.page > 0) pages[change.stage] = Math.min(change.page, MAX_PAGE);
      else delete pages[change.stage];
      return { ...filter, pages };
    }
  }
}

/** Reads, changes and saves a user's filter; returns the saved filter. */
export async function updateHomeFilter(
  prisma: CrmPrisma,
  userId: string,
  change: HomeFilterChange,
): Promise<HomeFilter> {
  const next = applyHomeFilterChange(await loadHomeFilter(prisma, userId), change);
  await saveHomeFilter(prisma, userId, next);
  return next;
}
