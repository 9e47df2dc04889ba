import { STAGES, type StageLabels, type StageSlug, stageLabel } from '../../../common/stages';
import { resolveLeadText } from '../../../domain/lead-search';
import { changeStage, getLeadSummary, homesToRepublish } from '../../../domain/leads';
import { loadStageLabels } from '../../../domain/settings';
import { buildStageChangeModal } from '../../views/lead-card';
import { customerTitle } from '../../views/lead-format';
import { escapeAndCut, escapeMrkdwn } from '../../views/mrkdwn';
import { leadFromArgument, leadFromResolution, refuseLongSearch } from './lead-argument';
import { type CommandContext, type Subcommand, UsageError } from './subcommand';

/** Every way to name a stage (slug, default label, admin label), lower-cased, longest first. */
function stageNames(labels: StageLabels): { name: string; slug: StageSlug }[] {
  const names: { name: string; slug: StageSlug }[] = [];
  for (const s of STAGES) {
    for (const n of [s.slug, s.slug.replace(/_/g, ' '), s.label, stageLabel(s.slug, labels)])
      names.push({ name: n.toLowerCase(), slug: s.slug });
  }
  return names.sort((a, b) => b.name.length - a.name.length);
}

/** "<customer> <stage>" where both may contain spaces: the stage is recognised at the end. */
export function splitCustomerAndStage(
  args: string,
  labels: StageLabels,
): { customer: string; stage: StageSlug | null } {
  const lower = args.toLowerCase();
  for (const { name, slug } of stageNames(labels)) {
    if (lower === name) return { customer: '', stage: slug };
    if (lower.endsWith(` ${name}`)) return { customer: args.slice(0, args.length - name.length).trim(), stage: slug };
  }
  return { customer: args, stage: null };
}

async function openStageModal(
  ctx: CommandContext,
  leadId: number,
  labels: StageLabels,
  preselect?: StageSlug,
): Promise<void> {
  const lead = await getLeadSummary(ctx.deps.db.prisma, leadId);
  await ctx.client.views.open({
    trigger_id: ctx.triggerId,
    view: buildStageChangeModal(lead, { labels, ...(preselect ? { preselect } : {}) }),
  });
}

export const stageCommand: Subcommand = {
  name: 'stage',
  usage: '/crm stage <customer> <stage>',
  description: `move a lead to a stage (${STAGES.map((s) => s.label).join(', ')}); without a stage, opens the form`,
  access: 'edit',
  async run(ctx) {
    if (!ctx.args) throw new UsageError('Say which customer and which stage.');
    const { prisma } = ctx.deps.db;
    const labels = await loadStageLabels(prisma);
    const { customer, stage } = splitCustomerAndStage(ctx.args, labels);
    if (!customer) throw new UsageError('Say which customer to move.');
    refuseLongSearch(ctx, customer);
    if (!stage) {
      // "stage ACME": let the user pick in the form. "stage ACME bogus": say the stage is unknown.
      const resolution = await resolveLeadText(prisma, customer);
      const words = customer.split(/\s+/);
      if (resolution.kind !== 'found' && words.length > 1) {
        const stageList = STAGES.map((s) => stageLabel(s.slug, labels)).join(', ');
        throw new UsageError(
          `“${escapeAndCut(words[words.length - 1]!, 40)}” is not a stage. Stages: ${escapeMrkdwn(stageList)}.`,
        );
      }
      const lead = await leadFromResolution(ctx, customer, resolution, this.usage);
      if (lead) await openStageModal(ctx, lead.leadId, labels);
      return;
    }
    const lead = await leadFromArgument(ctx, customer, this.usage);
    if (!lead) return;
    if (stage === 'churned') {
      await openStageModal(ctx, lead.leadId, labels, 'churned');
      await ctx.reply({
        text: `Moving ${customerTitle(lead.name, lead.company)} to ${escapeMrkdwn(stageLabel('churned', labels))} needs a reason: fill it in the form.`,
      });
      return;
    }
    const change = await changeStage(prisma, ctx.deps.clock, {
      leadId: lead.leadId,
      actorId: ctx.viewer.userId,
      toStage: stage,
      labels,
    });
    await ctx.reply({
      text: `Moved ${customerTitle(lead.name, lead.company)} from ${escapeMrkdwn(stageLabel(lead.stage, labels))} to *${escapeMrkdwn(stageLabel(stage, labels))}*.`,
    });
    await ctx.deps.homePublisher.republish(ctx.client, homesToRepublish(ctx.viewer.userId, change));
  },
};
