import {
  firstExactLead,
  type LeadMatch,
  type LeadResolution,
  resolveLeadText,
  searchTextOverLimit,
  searchTooLongMessage,
} from '../../../domain/lead-search';
import { loadStageLabels } from '../../../domain/settings';
import { buildCandidatesMessage } from '../../views/lead-lists';
import { escapeAndCut } from '../../views/mrkdwn';
import { type CommandContext, UsageError } from './subcommand';

/**
 * Turns the customer a user typed into one lead. Unknown: a UsageError (the router adds the
 * usage). Ambiguous: the candidates are listed to the user and null comes back.
 */
export async function leadFromArgument(ctx: CommandContext, text: string, usage: string): Promise<LeadMatch | null> {
  const q = text.trim();
  if (!q) throw new UsageError('Say which customer: a customer id, name, company or e-mail.');
  refuseLongSearch(ctx, q);
  return leadFromResolution(ctx, q, await resolveLeadText(ctx.deps.db.prisma, q), usage);
}

/** leadFromArgument for a text the caller has already resolved. */
export async function leadFromResolution(
  ctx: CommandContext,
  q: string,
  resolution: LeadResolution,
  usage: string,
): Promise<LeadMatch | null> {
  if (resolution.kind === 'found') return resolution.lead;
  if (resolution.kind === 'none') throw new UsageError(`No lead matches “${escapeAndCut(q, 100)}”.`);
  await ctx.reply(
    buildCandidatesMessage(
      q,
      resolution.candidates,
      resolution.total,
      usage,
      await loadStageLabels(ctx.deps.db.prisma),
    ),
  );
  return null;
}

/** A UsageError saying the limit when `text` is too long to search for (logged, without the text). */
export function refuseLongSearch(ctx: CommandContext, text: string): void {
  const over = searchTextOverLimit(text);
  if (over === null) return;
  ctx.deps.logger.info({ userId: ctx.viewer.userId, length: over }, 'search text too long; refused');
  throw new UsageError(searchTooLongMessage(over));
}

const MAX_NAME_WORDS = 8;

/**
 * Splits "<customer> <rest>" where the customer may have spaces: a quoted customer
 * ("ACME Trading" called them), else the longest leading words that are exactly a customer
 * id or a lead's name, else the first word.
 */
export async function splitCustomerAndText(
  ctx: CommandContext,
  args: string,
  /** When even the longest customer leaves a rest this refuses, no look-up runs: the first word is the customer. */
  refusesRest?: (rest: string) => boolean,
): Promise<{ customer: string; rest: string; exact: LeadMatch | null }> {
  const quoted = /^["“”']([^"“”']+)["“”']\s*([\s\S]*)$/.exec(args);
  if (quoted) return { customer: quoted[1]!.trim(), rest: quoted[2]!.trim(), exact: null };
  // The first words only: a customer is named by at most MAX_NAME_WORDS, then comes the rest.
  const words: { text: string; end: number }[] = [];
  for (const m of args.matchAll(/\S+/g)) {
    words.push({ text: m[0], end: m.index + m[0].length });
    if (words.length > MAX_NAME_WORDS) break;
  }
  const firstWord = {
    customer: words[0]?.text ?? '',
    rest: words[0] ? args.slice(words[0].end).trim() : '',
    exact: null,
  };
  // Longest first; every candidate is looked up in one query.
  const candidates: { text: string; end: number }[] = [];
  for (let n = Math.min(MAX_NAME_WORDS, words.length - 1); n >= 1; n -= 1) {
    const text = words
      .slice(0, n)
      .map((w) => w.text)
      .join(' ');
    candidates.push({ text, end: words[n - 1]!.end });
  }
  if (candidates.length === 0 || refusesRest?.(args.slice(candidates[0]!.end).trim())) return firstWord;
  const found = await firstExactLead(
    ctx.deps.db.prisma,
    candidates.map((c) => c.text),
  );
  if (!found) return firstWord;
  const end = candidates.find((c) => c.text === found.text)!.end;
  return { customer: found.text, rest: args.slice(end).trim(), exact: found.lead };
}
