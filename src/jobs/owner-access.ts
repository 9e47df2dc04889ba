import type { WebClient } from '@slack/web-api';
import { canEditLeads, isRole } from '../common/roles';
import { slackErrorCode } from '../common/slack-error-code';
import { readUserFactsOf, saveUserFactsOf, type UserFacts } from '../db/member-facts';
import type { AppDeps } from '../deps';
import type { NoAccessReason } from '../domain/follow-ups/pause-follow-ups';
import { USER_CACHE_TTL_MS } from '../slack/viewer';

/** May this owner receive a follow-up now? 'unknown' when Slack could not say whether they are a guest. */
export type OwnerAccess = { ok: true } | { ok: false; reason: NoAccessReason } | { ok: 'unknown' };

/**
 * Checked at send, for each batch: a follow-up goes only to a roster member who can change
 * leads and is not a Slack guest (users.info, cached at most USER_CACHE_TTL_MS). The batch's
 * roster rows and cached facts are read in one query each, the stale ones asked of Slack
 * `inFlight` at a time (the sends' concurrency; users.info is Tier 4, 100+ a minute, and the
 * client waits out a 429), and the answers saved in one statement.
 */
export async function ownerAccess(
  deps: AppDeps,
  client: WebClient,
  ownerIds: string[],
  inFlight = 4,
): Promise<Map<string, OwnerAccess>> {
  const { prisma } = deps.db;
  const ids = [...new Set(ownerIds)];
  const roles = new Map(
    (await prisma.rosterMember.findMany({ where: { userId: { in: ids } } })).map((m) => [m.userId, m.role]),
  );
  const out = new Map<string, OwnerAccess>();
  const members: string[] = [];
  for (const id of ids) {
    const role = roles.get(id);
    if (!role || !isRole(role)) out.set(id, { ok: false, reason: 'removed' });
    else if (!canEditLeads(role)) out.set(id, { ok: false, reason: 'read_only' });
    else members.push(id);
  }
  const now = deps.clock.now();
  const cached = await readUserFactsOf(prisma, members);
  const stale = members.filter((id) => {
    const facts = cached.get(id);
    return !facts || now.getTime() - facts.fetchedAt.getTime() >= USER_CACHE_TTL_MS;
  });
  const fetched = new Map<string, UserFacts>();
  const unknown = new Set<string>();
  let next = 0;
  const lookup = async (): Promise<void> => {
    while (next < stale.length) {
      const id = stale[next++]!;
      try {
        const u = (await client.users.info({ user: id })).user ?? {};
        fetched.set(id, {
          tz: u.tz ?? null,
          isRestricted: Boolean(u.is_restricted),
          isUltraRestricted: Boolean(u.is_ultra_restricted),
          deleted: Boolean(u.deleted),
          fetchedAt: now,
        });
      } catch (err) {
        // A user Slack does not know is left to the post, which reports them unreachable.
        if (slackErrorCode(err) === 'user_not_found') continue;
        deps.logger.warn({ err, userId: id }, 'users.info failed; using what is cached');
        if (!cached.has(id)) unknown.add(id);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(inFlight, stale.length)) }, lookup));
  await saveUserFactsOf(deps.db, fetched);
  for (const id of members) {
    if (unknown.has(id)) {
      out.set(id, { ok: 'unknown' });
      continue;
    }
    const facts = fetched.get(id) ?? cached.get(id);
    out.set(
      id,
      facts && (facts.isRestricted || facts.isUltraRestricted) ? { ok: false, reason: 'guest' } : { ok: true },
    );
  }
  return out;
}
