import { UserFacingError } from '../../../common/errors';
import { MAX_NOTE_LENGTH } from '../../../common/limits';
import { resolveLeadText, searchTextOverLimit, searchTooLongMessage } from '../../../domain/lead-search';
import {
  addNote,
  homesToRepublish,
  type LeadChange,
  LeadValidationError,
  validateNoteText,
} from '../../../domain/leads';
import { keepPendingNote, PENDING_NOTE_TTL_MS } from '../../../domain/pending-notes';
import { loadStageLabels } from '../../../domain/settings';
import { customerTitle } from '../../views/lead-format';
import { escapeMrkdwn, truncate } from '../../views/mrkdwn';
import { buildNoteLeadChoice, buildNoteNotSaved, NOTE_CHOICES, NOTE_USAGE } from '../../views/note-replies';
import { userErrorText } from '../../views/user-error';
import { splitCustomerAndText } from './lead-argument';
import { type CommandContext, type Subcommand, UsageError } from './subcommand';

const USAGE = NOTE_USAGE;

/**
 * `/crm note <customer> <text>`. A note that cannot be saved is never dropped: the reply gives
 * it back, and a customer matching several leads gets one button per lead that saves it there.
 */
export const noteCommand: Subcommand = {
  name: 'note',
  usage: USAGE,
  description: 'add a note to a lead (quote a name with spaces: "ACME Trading")',
  access: 'edit',
  async run(ctx) {
    if (!ctx.args) throw new UsageError('Say which customer, then the note.');
    // Split on the note form, so the note keeps its mentions and links.
    // A note too long whichever words name the customer is refused without looking any up.
    const { customer, rest, exact } = await splitCustomerAndText(
      ctx,
      ctx.noteArgs,
      (shortestRest) => shortestRest.length > MAX_NOTE_LENGTH,
    );
    if (!rest) throw new UsageError('Write the note after the customer.');
    try {
      validateNoteText(rest);
    } catch (err) {
      if (err instanceof LeadValidationError) return ctx.reply(buildNoteNotSaved(userErrorText(err), rest));
      throw err;
    }
    const over = exact ? null : searchTextOverLimit(customer);
    if (over !== null) {
      ctx.deps.logger.info({ userId: ctx.viewer.userId, length: over }, '/crm note: customer text too long; refused');
      return ctx.reply(buildNoteNotSaved(searchTooLongMessage(over), rest, USAGE));
    }
    let lead = exact;
    if (!lead) {
      const resolution = await resolveLeadText(ctx.deps.db.prisma, customer, NOTE_CHOICES);
      if (resolution.kind === 'none')
        return ctx.reply(buildNoteNotSaved(`No lead matches “${escapeMrkdwn(truncate(customer, 100))}”.`, rest, USAGE));
      if (resolution.kind === 'ambiguous')
        return offerLeads(ctx, customer, rest, resolution.candidates, resolution.total);
      lead = resolution.lead;
    }
    let change: LeadChange;
    try {
      change = await addNote(ctx.deps.db.prisma, ctx.deps.clock, {
        leadId: lead.leadId,
        actorId: ctx.viewer.userId,
        text: rest,
      });
    } catch (err) {
      if (err instanceof UserFacingError) return ctx.reply(buildNoteNotSaved(userErrorText(err), rest));
      ctx.deps.logger.error({ err, leadId: lead.leadId }, '/crm note: saving failed');
      return ctx.reply(
        buildNoteNotSaved('Sorry, saving the note failed. It has been logged; try again in a moment.', rest),
      );
    }
    await ctx.reply({ text: `Note saved on ${customerTitle(lead.name, lead.company)}.` });
    await ctx.deps.homePublisher.republish(ctx.client, homesToRepublish(ctx.viewer.userId, change));
  },
};

/** Keeps the note for its author and offers the matching leads as buttons. */
async function offerLeads(
  ctx: CommandContext,
  customer: string,
  note: string,
  candidates: Parameters<typeof buildNoteLeadChoice>[0]['candidates'],
  total: number,
): Promise<void> {
  const pending = await keepPendingNote(ctx.deps.db.prisma, ctx.deps.clock, {
    authorId: ctx.viewer.userId,
    text: note,
  }).catch((err: unknown) => {
    ctx.deps.logger.error({ err }, '/crm note: keeping the note for a choice failed');
    return null;
  });
  if (!pending) {
    return ctx.reply(
      buildNoteNotSaved(
        `“${escapeMrkdwn(truncate(customer, 100))}” matches ${total} leads, and keeping your note for a choice failed (logged). Send it again with the customer id.`,
        note,
        USAGE,
      ),
    );
  }
  const labels = await loadStageLabels(ctx.deps.db.prisma);
  await ctx.reply(
    buildNoteLeadChoice({
      query: customer,
      candidates,
      total,
      pendingId: pending.id,
      note,
      minutes: PENDING_NOTE_TTL_MS / 60_000,
      usage: USAGE,
      labels,
    }),
  );
}
