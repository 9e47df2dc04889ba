import type { Clock } from '../clock';
import { splitList } from '../common/lists';
import type { Role } from '../common/roles';
import { STAGES, type StageLabels, type StageSlug, stageLabel } from '../common/stages';
import { MS_PER_DAY } from '../common/zoned-time';
import { TimeSlicer } from '../cooperative';
import type { CrmPrisma } from '../db/client';
import { earliestDueByLead } from '../db/follow-up-aggregates';
import { countLeadsByOwner, currenciesOfTotals } from '../db/lead-aggregates';
import type { LeadExportWhere } from '../db/lead-export-sql';
import { bulkReads, bulkReadsOf } from '../db/off-loop-reads';
import { csvRecord, toCsv, UTF8_BOM } from './csv';
import { type CsvOptions, csvCells, csvHeader, type LeadExportRow } from './lead-export-csv';
import { DEFAULT_UNCONTACTED_DAYS, MAX_UNCONTACTED_DAYS } from './uncontacted-leads';

export {
  type CsvOptions,
  type CurrencyTotal,
  csvRecordsOf,
  type LeadExportRow,
  minorToDecimal,
} from './lead-export-csv';

/**
 * Leads as a spreadsheet: which leads a person may export, the rows, the CSV, and the audit
 * entry every export leaves. Managers and admins oversee the whole pipeline and export all of
 * it; an account manager exports the book they own (a file leaves the CRM's access control
 * for good, so it carries no more than that person answers for).
 */

export type ExportFilter =
  | { kind: 'all' }
  | { kind: 'stage'; stage: StageSlug }
  | { kind: 'mine' }
  | { kind: 'uncontacted'; days: number };

/** Null: every lead; otherwise only leads owned by this user. */
export type ExportScope = { ownerId: string | null };

export function exportScopeFor(role: Role, userId: string): ExportScope {
  return role === 'account_manager' ? { ownerId: userId } : { ownerId: null };
}

/** A request the user typed wrong; the message says how to fix it. */
export class ExportRequestError extends Error {
  constructor(readonly userMessage: string) {
    super(userMessage);
    this.name = 'ExportRequestError';
  }
}

function stageFromName(name: string, labels: StageLabels): StageSlug | null {
  const wanted = name.trim().toLowerCase();
  for (const s of STAGES) {
    const names = [s.slug, s.slug.replace(/_/g, ' '), s.label, stageLabel(s.slug, labels)].map((n) => n.toLowerCase());
    if (names.includes(wanted)) return s.slug;
  }
  return null;
}

/** `""`, `stage <name>`, `mine`, `uncontacted [days]`. */
export function parseExportRequest(args: string, labels: StageLabels): ExportFilter {
  const text = args.trim();
  if (!text) return { kind: 'all' };
  const [word = '', ...restWords] = text.split(/\s+/);
  const rest = restWords.join(' ');
  switch (word.toLowerCase()) {
    case 'mine':
      if (rest) throw new ExportRequestError('`mine` takes nothing after it.');
      return { kind: 'mine' };
    case 'stage': {
      const stages = STAGES.map((s) => stageLabel(s.slug, labels)).join(', ');
      if (!rest) throw new ExportRequestError(`Say which stage: ${stages}.`);
      const stage = stageFromName(rest, labels);
      if (!stage) throw new ExportRequestError(`“${rest.slice(0, 40)}” is not a stage. Stages: ${stages}.`);
      return { kind: 'stage', stage };
    }
    case 'uncontacted': {
      if (!rest) return { kind: 'uncontacted', days: DEFAULT_UNCONTACTED_DAYS };
      const days = Number(rest);
      if (!/^\d+$/.test(rest) || days < 1 || days > MAX_UNCONTACTED_DAYS) {
        throw new ExportRequestError(
          `“${rest.slice(0, 40)}” is not a number of days from 1 to ${MAX_UNCONTACTED_DAYS}.`,
        );
      }
      return { kind: 'uncontacted', days };
    }
    default:
      throw new ExportRequestError(`“${word.slice(0, 40)}” is not something to export.`);
  }
}

/** "stage Negotiation", "own leads", "uncontacted, ordered in the last 30 days", "all leads"; with the scope. */
export function describeExport(filter: ExportFilter, scope: ExportScope, labels: StageLabels): string {
  const what =
    filter.kind === 'all'
      ? 'all leads'
      : filter.kind === 'mine'
        ? 'own leads'
        : filter.kind === 'stage'
          ? `stage ${stageLabel(filter.stage, labels)}`
          : `uncontacted, ordered in the last ${filter.days} days`;
  return scope.ownerId && filter.kind !== 'mine' ? `${what} (own leads only)` : what;
}

/** A short name for the file: crm-leads-stage-negotiation-2026-11-30.csv. */
export function exportFileName(filter: ExportFilter, day: string): string {
  const part =
    filter.kind === 'stage'
      ? `stage-${filter.stage.replace(/_/g, '-')}`
      : filter.kind === 'uncontacted'
        ? `uncontacted-${filter.days}d`
        : filter.kind;
  return `crm-leads-${part}-${day}.csv`;
}

/**
 * Leads per page, and the most a request may ask for. Each page is one keyset query (no
 * OFFSET: the 200th page costs what the first does) plus one grouped query for the page's
 * next follow-ups by the page's lead ids (SQLite takes at most 999 parameters). The queries
 * run off the event loop (bulkReads); what stays on it, turning the rows into objects and
 * text, grows with the page, so a page is small.
 */
export const EXPORT_PAGE_SIZE = 250;

export interface ExportRequest {
  filter: ExportFilter;
  scope: ExportScope;
  viewerId: string;
  now: Date;
  pageSize?: number;
}

/** The leads an export covers, as a Prisma `where`. */
function exportConditions(request: ExportRequest): object[] {
  const { filter, scope } = request;
  const conditions: object[] = [];
  if (scope.ownerId) conditions.push({ ownerId: scope.ownerId });
  if (filter.kind === 'mine') conditions.push({ ownerId: request.viewerId });
  if (filter.kind === 'stage') conditions.push({ stage: filter.stage });
  if (filter.kind === 'uncontacted') {
    conditions.push({
      lastTouchAt: null,
      customer: { lastOrderAt: { gte: new Date(request.now.getTime() - filter.days * MS_PER_DAY) } },
    });
  }
  return conditions;
}

/** The same leads as exportConditions, as plain values, for the SQLite export thread's own SQL. */
export function exportWhere(request: ExportRequest): LeadExportWhere {
  const { filter, scope } = request;
  const ownerIds: string[] = [];
  if (scope.ownerId) ownerIds.push(scope.ownerId);
  if (filter.kind === 'mine') ownerIds.push(request.viewerId);
  return {
    ownerIds,
    stage: filter.kind === 'stage' ? filter.stage : null,
    uncontactedSince: filter.kind === 'uncontacted' ? new Date(request.now.getTime() - filter.days * MS_PER_DAY) : null,
  };
}

type Keyset = { cents: bigint; customerId: string };

/** Customers after `k` in export order (lifetime USD descending, then customer id). */
const after = (k: Keyset) => ({
  // The bound on its own first: SQLite serves it as a range of the index, where it would scan for the OR alone.
  lifetimeUsdCents: { lte: k.cents },
  OR: [{ lifetimeUsdCents: { lt: k.cents } }, { customerId: { gt: k.customerId } }],
});

/**
 * Every matching lead, biggest lifetime USD first (as on Home), a page at a time. Read from
 * the customers' side, in the order of their lifetime-USD index, so each page is an index
 * range (a page costs the same whether it is the first or the hundredth, and no query sorts
 * the book).
 */
export function leadExportPages(prisma: CrmPrisma, request: ExportRequest): AsyncGenerator<LeadExportRow[]> {
  return bulkReadsOf(pagesOf(prisma, request));
}

async function* pagesOf(prisma: CrmPrisma, request: ExportRequest): AsyncGenerator<LeadExportRow[]> {
  const pageSize = Math.min(request.pageSize ?? EXPORT_PAGE_SIZE, EXPORT_PAGE_SIZE);
  const lead = { is: { AND: exportConditions(request) } };
  let last: Keyset | null = null;
  for (;;) {
    const page = await prisma.customerFigures.findMany({
      where: { AND: [{ lead }, ...(last ? [after(last)] : [])] },
      orderBy: [{ lifetimeUsdCents: 'desc' }, { customerId: 'asc' }],
      take: pageSize,
      select: {
        customerId: true,
        name: true,
        company: true,
        markets: true,
        lifetimeUsdCents: true,
        unknownCurrencies: true,
        lastOrderAt: true,
        totals: { select: { currency: true, lifetimeMinor: true } },
        lead: { select: { id: true, stage: true, ownerId: true, lastTouchAt: true } },
      },
    });
    if (page.length === 0) return;
    const end = page[page.length - 1]!;
    const pageEnd: Keyset = { cents: end.lifetimeUsdCents, customerId: end.customerId };
    // The page's own leads, by the follow-ups' lead index: a list as long as the page (never longer
    // than EXPORT_PAGE_SIZE, well under SQLite's 999 parameters), whatever the book.
    const nextByLead = await earliestDueByLead(prisma, {
      leadId: { in: page.map((c) => c.lead!.id) },
      active: true,
      nextDueAt: { not: null },
    });
    yield page.map((c) => ({
      customerId: c.customerId,
      name: c.name,
      company: c.company,
      stage: c.lead!.stage,
      ownerId: c.lead!.ownerId,
      markets: splitList(c.markets),
      lifetimeUsdCents: c.lifetimeUsdCents,
      unknownCurrencies: splitList(c.unknownCurrencies),
      totals: c.totals
        .map((t) => ({ currency: t.currency, minor: t.lifetimeMinor }))
        .sort((a, b) => a.currency.localeCompare(b.currency)),
      lastOrderAt: c.lastOrderAt,
      lastTouchAt: c.lead!.lastTouchAt,
      nextFollowUpAt: nextByLead.get(c.lead!.id) ?? null,
    }));
    if (page.length < pageSize) return;
    last = pageEnd;
  }
}

/** Every matching lead in one array: for small books and tests (exports stream leadExportPages). */
export async function loadLeadsForExport(prisma: CrmPrisma, request: ExportRequest): Promise<LeadExportRow[]> {
  const rows: LeadExportRow[] = [];
  for await (const page of leadExportPages(prisma, request)) rows.push(...page);
  return rows;
}

/** The currencies the matching leads bought in (one CSV column each), sorted: a short list, whatever the book. */
export async function exportCurrencies(prisma: CrmPrisma, request: ExportRequest): Promise<string[]> {
  // A grouped scan of the book's totals, off the event loop.
  return bulkReads(() =>
    currenciesOfTotals(prisma, { customer: { lead: { is: { AND: exportConditions(request) } } } }),
  );
}

/** The owners of the matching leads (at most the roster), and how many leads match. */
export async function exportOwnersAndCount(
  prisma: CrmPrisma,
  request: ExportRequest,
): Promise<{ ownerIds: string[]; count: number }> {
  const counts = await bulkReads(() => countLeadsByOwner(prisma, { AND: exportConditions(request) }));
  return {
    ownerIds: [...counts.keys()].flatMap((ownerId) => (ownerId ? [ownerId] : [])),
    count: [...counts.values()].reduce((n, c) => n + c, 0),
  };
}

/** The CSV of rows already in memory: fixed columns, then one column per currency the rows bought in. */
export function leadExportCsv(rows: readonly LeadExportRow[], options: CsvOptions): string {
  const currencies = [...new Set(rows.flatMap((r) => r.totals.map((t) => t.currency)))].sort();
  return toCsv(
    csvHeader(currencies, options.timeZone),
    rows.map((r) => csvCells(r, currencies, options)),
  );
}

/**
 * The same CSV, as text pieces: the header, then one piece per page of leads, read as it is
 * written (a page is about 50 KB). `currencies` comes from exportCurrencies. Yields to the
 * event loop whenever a slice of work is used up; `tally.rows` counts the leads written.
 */
export async function* leadExportCsvPieces(
  pages: AsyncIterable<readonly LeadExportRow[]>,
  currencies: readonly string[],
  options: CsvOptions,
  tally: { rows: number },
): AsyncGenerator<string> {
  yield UTF8_BOM + csvRecord(csvHeader(currencies, options.timeZone));
  const slicer = new TimeSlicer();
  for await (const page of pages) {
    // A slice of rows at a time: formatting dates in a time zone costs microseconds a cell.
    let piece: string[] = [];
    for (const r of page) {
      piece.push(csvRecord(csvCells(r, currencies, options)));
      tally.rows += 1;
      if (slicer.due()) {
        yield piece.join('');
        piece = [];
        await slicer.yield();
      }
    }
    if (piece.length) yield piece.join('');
    await slicer.yieldIfDue();
  }
}

/** AuditEntry.setting of a lead export. */
export const EXPORT_AUDIT_SETTING = 'export:leads';

/** Every export is audited before the file is sent; returns the entry's id. */
export async function recordExport(prisma: CrmPrisma, clock: Clock, actorId: string, summary: string): Promise<number> {
  const entry = await prisma.auditEntry.create({
    data: { actorId, setting: EXPORT_AUDIT_SETTING, oldValue: null, newValue: summary, createdAt: clock.now() },
  });
  return entry.id;
}

/** The file never reached the person: the audit entry says so rather than vanishing. */
export async function markExportUndelivered(prisma: CrmPrisma, auditId: number, reason: string): Promise<void> {
  const entry = await prisma.auditEntry.findUnique({ where: { id: auditId } });
  if (!entry) return;
  await prisma.auditEntry.update({
    where: { id: auditId },
    data: { newValue: `${entry.newValue ?? ''} (not delivered: ${reason})` },
  });
}

/** The audit line's text: "CSV of 12 leads: stage Negotiation". */
export function exportAuditSummary(count: number, description: string): string {
  return `CSV of ${count.toLocaleString('en-US')} ${count === 1 ? 'lead' : 'leads'}: ${description}`;
}
