import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../deps';
import { canEditLeads, isRole } from '../domain/roster';
import { readUserFacts, saveUserFacts } from '../domain/user-facts';
import type { NoAccessReason } from '../domain/alerts/owner-access';
import { slackErrorCode } from '../shared/slack-error-code';
import { USER_CACHE_TTL_MS } from '../slack/viewer';

/** May this owner receive a follow-up now? 'unknown' when Slack could not say whether they are a guest. */
export type OwnerAccess = { ok: true } | { ok: false; reason: NoAccessReason } | { ok: 'unknown' };

/**
 * Checked at send, for each batch: a follow-up goes only to a roster member who can change
 * leads and is not a Slack guest (users.info, cached at most USER_CACHE_TTL_MS).
 */
export async function ownerAccess(deps: AppDeps, client: WebClient, ownerIds: string[]): Promise<Map<string, OwnerAccess>> {
  const { prisma } = deps.db;
  const roles = new Map((await prisma.rosterMember.findMany({ where: { userId: { in: ownerIds } } })).map((m) => [m.userId, m.role]));
  const out = new Map<string, OwnerAccess>();
  const now = deps.clock.now();
  for (const id of new Set(ownerIds)) {
    const role = roles.get(id);
    if (!role || !isRole(role)) {
      out.set(id, { ok: false, reason: 'removed' });
      continue;
    }
    if (!canEditLeads(role)) {
      out.set(id, { ok: false, reason: 'read_only' });
      continue;
    }
    let facts = await readUserFacts(prisma, id);
    if (!facts || now.getTime() - facts.fetchedAt.getTime() >= USER_CACHE_TTL_MS) {
      try {
        const u = (await client.users.info({ user: id })).user ?? {};
        facts = { tz: u.tz ?? null, isRestricted: Boolean(u.is_restricted), isUltraRestricted: Boolean(u.is_ultra_restricted), deleted: Boolean(u.deleted), fetchedAt: now };
        await saveUserFacts(prisma, id, facts);
      } catch (err) {
        // A user Slack does not know is left to the post, which reports them unreachable.
        if (slackErrorCode(err) !== 'user_not_found') deps.logger.warn({ err, userId: id }, 'users.info failed; using what is cached');
        if (!facts && slackErrorCode(err) !== 'user_not_found') {
          out.set(id, { ok: 'unknown' });
          continue;
        }
      }
    }
    out.set(id, facts && (facts.isRestricted || facts.isUltraRestricted) ? { ok: false, reason: 'guest' } : { ok: true });
  }
  return out;
}
