import { z } from 'zod';
import type { CrmPrisma } from '../db/client';

/**
 * Problems only an admin can fix (a follow-up that cannot be delivered, a digest channel
 * the app cannot post to), shown to admins until one dismisses them. What happened is
 * stored as data (JSON in AdminNotice.text), never as Slack markup: names and errors stay
 * as they came from production, users or Slack, and the Slack layer words and escapes them.
 */

const adminNoticeSchema = z.discriminatedUnion('kind', [
  /** Slack kept refusing one follow-up's reminder, so the follow-up was disabled. */
  z.object({
    kind: z.literal('follow_up_failed'),
    leadName: z.string(),
    ownerId: z.string(),
    attempts: z.number().int(),
    error: z.string(),
  }),
  /** The owner cannot receive messages any more: all their follow-ups were disabled. */
  z.object({
    kind: z.literal('owner_unreachable'),
    ownerId: z.string(),
    /** How many follow-ups were disabled. */
    count: z.number().int(),
    /** The leads of the first few of them. */
    leadNames: z.array(z.string()),
    error: z.string(),
  }),
  /** The owner lost access to the CRM (removed, demoted, or a guest): their follow-ups were paused. */
  z.object({
    kind: z.literal('owner_no_access'),
    ownerId: z.string(),
    count: z.number().int(),
    leadNames: z.array(z.string()),
    /** removed | read_only | guest */
    reason: z.string(),
  }),
  /** A scheduled digest could not be posted; `error` is Slack's error code. */
  z.object({ kind: z.literal('digest_not_posted'), frequency: z.string(), channelId: z.string(), error: z.string() }),
  /** No good backup of the CRM database for more than two backup periods; lastGoodAt null: none yet. */
  z.object({ kind: z.literal('backup_stale'), lastGoodAt: z.string().nullable(), intervalHours: z.number().int() }),
]);

export type AdminNotice = z.infer<typeof adminNoticeSchema>;

/** A notice written before notices were stored as data: Slack mrkdwn, escaped when it was written. */
export interface MrkdwnAdminNotice {
  kind: 'mrkdwn';
  text: string;
}

export interface AdminNoticeItem {
  id: number;
  notice: AdminNotice | MrkdwnAdminNotice;
  createdAt: Date;
}

/** The leads named in an owner_unreachable notice; the rest are counted. */
export const NOTICE_LEAD_NAMES = 5;

/** Through the schema, so equal notices are equal texts (keys in one order) and onlyOnce can compare them. */
function encode(notice: AdminNotice): string {
  return JSON.stringify(adminNoticeSchema.parse(notice));
}

function decode(text: string): AdminNotice | MrkdwnAdminNotice {
  try {
    const parsed = adminNoticeSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: an older notice
  }
  return { kind: 'mrkdwn', text };
}

/** The part of a Prisma client (or transaction) notices are written with. */
type NoticeWriter = Pick<CrmPrisma, 'adminNotice'>;

/**
 * Records a notice for admins. `onlyOnce`: not if the same notice is still open, so a
 * problem retried every few minutes is told once. `onceEver`: not if the same notice was
 * ever raised, so a condition checked every minute is not told again after an admin dismissed it.
 * True when the notice was recorded.
 */
export async function raiseAdminNotice(
  db: NoticeWriter,
  notice: AdminNotice,
  now: Date,
  options: { onlyOnce?: boolean; onceEver?: boolean } = {},
): Promise<boolean> {
  const text = encode(notice);
  if (options.onceEver && (await db.adminNotice.findFirst({ where: { text }, select: { id: true } }))) return false;
  if (options.onlyOnce && (await db.adminNotice.findFirst({ where: { text, resolvedAt: null }, select: { id: true } })))
    return false;
  await db.adminNotice.create({ data: { text, createdAt: now } });
  return true;
}

/** Resolves every open notice of one kind, when what it reported is no longer true. */
export async function resolveAdminNoticesOfKind(
  prisma: CrmPrisma,
  kind: AdminNotice['kind'],
  now: Date,
): Promise<void> {
  // encode() writes through the schema, so "kind" is always the first key of the stored JSON.
  await prisma.adminNotice.updateMany({
    where: { text: { startsWith: `{"kind":${JSON.stringify(kind)},` }, resolvedAt: null },
    data: { resolvedAt: now },
  });
}

/** The latest open notices, newest first, and how many are open in all. */
export async function listOpenAdminNotices(
  prisma: CrmPrisma,
  limit: number,
): Promise<{ notices: AdminNoticeItem[]; total: number }> {
  const where = { resolvedAt: null };
  const [rows, total] = await Promise.all([
    prisma.adminNotice.findMany({
      where,
      orderBy: { createdAt: 'desc' },
      take: limit,
      select: { id: true, text: true, createdAt: true },
    }),
    prisma.adminNotice.count({ where }),
  ]);
  return { notices: rows.map((r) => ({ id: r.id, notice: decode(r.text), createdAt: r.createdAt })), total };
}

export async function resolveAdminNotice(prisma: CrmPrisma, id: number, now: Date): Promise<void> {
  await prisma.adminNotice.updateMany({ where: { id, resolvedAt: null }, data: { resolvedAt: now } });
}
