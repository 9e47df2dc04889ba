import type { AppContext } from '../../../app-context';
import { getLeadSummary } from '../../../domain/leads';
import { loadStageLabels } from '../../../domain/settings';
import { buildStageChangeModal } from '../../views/lead-modals';
import { openModal } from '../../web-api/reply';
import type { ButtonListener } from '../listener-types';
import { type LeadVerb, leadButton } from './lead-verb';

/** "Change stage": opens the stage-change modal (with the current labels). */
export const stageVerb: LeadVerb = {
  name: 'stage',
  access: 'edit',
  async run({ deps, client, origin, leadId }) {
    const { prisma } = deps.db;
    const [lead, labels] = await Promise.all([getLeadSummary(prisma, leadId), loadStageLabels(prisma)]);
    await openModal(client, origin, buildStageChangeModal(lead, { labels, responseUrl: origin.responseUrl }));
  },
};

export function openStageModal(deps: AppContext): ButtonListener {
  return leadButton(deps, stageVerb);
}
