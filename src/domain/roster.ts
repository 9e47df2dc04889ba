import type { Clock } from '../clock';
import { UserFacingError } from '../common/errors';
import { canEditLeads, isRole, ROLES, type Role } from '../common/roles';
import type { CrmPrisma, CrmTx } from '../db/client';
import { LOCKS, lockForTransaction } from '../db/locks';
import { countMembersByRole } from '../db/member-facts';
import { pauseFollowUpsOfOwner } from './follow-ups/pause-follow-ups';

export class RosterError extends UserFacingError {
  constructor(userMessage: string, subjectUserId?: string) {
    super(userMessage, subjectUserId ? { subjectUserId } : {});
    this.name = 'RosterError';
  }
}

export async function getRole(prisma: CrmPrisma, userId: string): Promise<Role | null> {
  const m = await prisma.rosterMember.findUnique({ where: { userId } });
  return m && isRole(m.role) ? m.role : null;
}

export interface RosterSeed {
  admins: string[];
  managers: string[];
  accountManagers: string[];
}

/**
 * Adds the CRM_* users to the roster at start. Idempotent, and it never overrides a role
 * an admin has since changed from Slack (the database is the roster's source of truth).
 */
export async function seedRosterFromConfig(prisma: CrmPrisma, seed: RosterSeed): Promise<number> {
  const wanted = new Map<string, Role>();
  for (const id of seed.accountManagers) wanted.set(id, 'account_manager');
  for (const id of seed.managers) wanted.set(id, 'manager');
  for (const id of seed.admins) wanted.set(id, 'admin');
  if (wanted.size === 0) return 0;
  const existing = new Set(
    (
      await prisma.rosterMember.findMany({ where: { userId: { in: [...wanted.keys()] } }, select: { userId: true } })
    ).map((m) => m.userId),
  );
  let added = 0;
  for (const [userId, role] of wanted) {
    if (existing.has(userId)) continue;
    await prisma.rosterMember.upsert({ where: { userId }, create: { userId, role, addedBy: 'config' }, update: {} });
    added += 1;
  }
  return added;
}

export async function listRoster(prisma: CrmPrisma): Promise<{ userId: string; role: Role }[]> {
  const rows = await prisma.rosterMember.findMany({ orderBy: [{ role: 'asc' }, { userId: 'asc' }] });
  return rows.filter((r) => isRole(r.role)).map((r) => ({ userId: r.userId, role: r.role as Role }));
}

/**
 * One roster transaction: changes of several people land together or not at all, and the
 * last-admin rule is checked inside it. Concurrent roster transactions run one after the
 * other (LOCKS.roster), so two admins demoting each other at the same moment cannot both
 * see "two admins" (a transaction alone, at READ COMMITTED, would let both count the other
 * as still an admin).
 */
async function rosterTransaction<T>(prisma: CrmPrisma, work: (tx: CrmTx) => Promise<T>): Promise<T> {
  return prisma.$transaction(async (tx) => {
    await lockForTransaction(prisma, tx, LOCKS.roster);
    return work(tx);
  });
}

async function setRoleIn(tx: CrmTx, clock: Clock, actorId: string, userId: string, role: Role): Promise<void> {
  const current = await tx.rosterMember.findUnique({ where: { userId } });
  if (current?.role === role) return;
  if (current?.role === 'admin' && role !== 'admin') {
    const admins = await tx.rosterMember.count({ where: { role: 'admin' } });
    if (admins <= 1) throw new RosterError('The last admin cannot be demoted: make someone else an admin first.');
  }
  await tx.rosterMember.upsert({ where: { userId }, create: { userId, role, addedBy: actorId }, update: { role } });
  // Follow-ups go only to people who can act on them: a demotion to read-only pauses theirs.
  if (current && canEditLeads(current.role as Role) && !canEditLeads(role))
    await pauseFollowUpsOfOwner(tx, userId, 'read_only', clock.now());
  await tx.auditEntry.create({
    data: {
      actorId,
      setting: `roster:${userId}`,
      oldValue: current?.role ?? null,
      newValue: role,
      createdAt: clock.now(),
    },
  });
}

async function removeMemberIn(tx: CrmTx, clock: Clock, actorId: string, userId: string): Promise<void> {
  const current = await tx.rosterMember.findUnique({ where: { userId } });
  if (!current) throw new RosterError('is not on the roster.', userId);
  if (current.role === 'admin') {
    const admins = await tx.rosterMember.count({ where: { role: 'admin' } });
    if (admins <= 1) throw new RosterError('The last admin cannot be removed: make someone else an admin first.');
  }
  await tx.rosterMember.delete({ where: { userId } });
  await pauseFollowUpsOfOwner(tx, userId, 'removed', clock.now());
  await tx.auditEntry.create({
    data: { actorId, setting: `roster:${userId}`, oldValue: current.role, newValue: null, createdAt: clock.now() },
  });
}

/** Adds a member or changes their role; audited. The last admin cannot be demoted. */
export async function setRole(
  prisma: CrmPrisma,
  clock: Clock,
  actorId: string,
  userId: string,
  role: Role,
): Promise<void> {
  await rosterTransaction(prisma, (tx) => setRoleIn(tx, clock, actorId, userId, role));
}

/** Removes a member; audited. The last admin cannot be removed. */
export async function removeMember(prisma: CrmPrisma, clock: Clock, actorId: string, userId: string): Promise<void> {
  await rosterTransaction(prisma, (tx) => removeMemberIn(tx, clock, actorId, userId));
}

/**
 * Gives several people one role, or removes them, as one audited transaction: a refusal
 * for anyone (the last admin) saves nothing for everyone.
 */
export async function changeRoster(
  prisma: CrmPrisma,
  clock: Clock,
  actorId: string,
  userIds: readonly string[],
  change: Role | 'remove',
): Promise<void> {
  await rosterTransaction(prisma, async (tx) => {
    for (const userId of userIds) {
      if (change === 'remove') await removeMemberIn(tx, clock, actorId, userId);
      else await setRoleIn(tx, clock, actorId, userId, change);
    }
  });
}

/** How many roster members hold each role. */
export async function countRosterByRole(prisma: CrmPrisma): Promise<Record<Role, number>> {
  const stored = await countMembersByRole(prisma);
  const counts = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, number>;
  for (const [role, n] of stored) if (isRole(role)) counts[role] = n;
  return counts;
}
