import { type LeadMatch, type LeadResolution, resolveLeadExactly, resolveLeadText } from '../../../domain/lead-search';
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

const MAX_NAME_WORDS = 8;

/**
 * Splits "<customer> <rest>" where the customer may have spaces: a quoted customer
 * ("ACME Trading" called them), else the longest leading words that are exactly a customer
 * id or a lead's name, else the first word.
 */
export async function splitCustomerAndText(
  ctx: CommandContext,
  args: string,
): Promise<{ customer: string; rest: string; exact: LeadMatch | null }> {
  const quoted = /^["“”']([^"“”']+)["“”']\s*([\s\S]*)$/.exec(args);
  if (quoted) return { customer: quoted[1]!.trim(), rest: quoted[2]!.trim(), exact: null };
  const words = [...args.matchAll(/\S+/g)].map((m) => ({ text: m[0], end: m.index + m[0].length }));
  for (let n = Math.min(MAX_NAME_WORDS, words.length - 1); n >= 1; n -= 1) {
    const candidate = words
      .slice(0, n)
      .map((w) => w.text)
      .join(' ');
    const exact = await resolveLeadExactly(ctx.deps.db.prisma, candidate);
    if (exact) return { customer: candidate, rest: args.slice(words[n - 1]!.end).trim(), exact };
  }
  return { customer: words[0]?.text ?? '', rest: words[0] ? args.slice(words[0].end).trim() : '', exact: null };
}
