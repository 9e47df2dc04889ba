import type { CrmPrisma } from '../db/client';
import { type ActivityEntry, activityEntrySelect, LeadNotFoundError } from './leads';

/** A lead's Activity, newest first, one page at a time. */

export const HISTORY_PAGE_SIZE = 10;

export interface HistoryPage {
  leadId: number;
  entries: ActivityEntry[];
  /** 1-based. */
  page: number;
  pageCount: number;
  total: number;
}

export async function getLeadHistory(
  prisma: CrmPrisma,
  leadId: number,
  page = 1,
  pageSize = HISTORY_PAGE_SIZE,
): Promise<HistoryPage> {
  const exists = await prisma.lead.findUnique({ where: { id: leadId }, select: { id: true } });
  if (!exists) throw new LeadNotFoundError(leadId);
  const total = await prisma.activity.count({ where: { leadId } });
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, Math.floor(page)), pageCount);
  const rows = await prisma.activity.findMany({
    where: { leadId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    skip: (current - 1) * pageSize,
    take: pageSize,
    select: activityEntrySelect,
  });
  return { leadId, entries: rows, page: current, pageCount, total };
}
