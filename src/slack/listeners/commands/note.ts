import { addNote, homesToRepublish } from '../../../domain/leads';
import { customerTitle } from '../../views/lead-format';
import { leadFromArgument, splitCustomerAndText } from './lead-argument';
import { UsageError, type Subcommand } from './subcommand';

export const noteCommand: Subcommand = {
  name: 'note',
  usage: '/crm note <customer> <text>',
  description: 'add a note to a lead (quote a name with spaces: "ACME Trading")',
  access: 'edit',
  async run(ctx) {
    if (!ctx.args) throw new UsageError('Say which customer, then the note.');
    // Split on the note form, so the note keeps its mentions and links.
    const { customer, rest, exact } = await splitCustomerAndText(ctx, ctx.noteArgs);
    if (!rest) throw new UsageError('Write the note after the customer.');
    const lead = exact ?? (await leadFromArgument(ctx, customer, this.usage));
    if (!lead) return;
    const change = await addNote(ctx.deps.db.prisma, ctx.deps.clock, { leadId: lead.leadId, actorId: ctx.viewer.userId, text: rest });
    await ctx.reply({ text: `Note saved on ${customerTitle(lead.name, lead.company)}.` });
    await ctx.deps.homePublisher.republish(ctx.client, homesToRepublish(ctx.viewer.userId, change));
  },
};
