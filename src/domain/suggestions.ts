import type { Clock } from '../clock';
import { UserFacingError } from '../common/errors';
import { type StageLabels, stageLabel } from '../common/stages';
import type { CrmPrisma } from '../db/client';
import { type StageSuggestion, SUGGESTED_STAGE, type SuggestionKind } from './who-to-call';

/**
 * Stage suggestions are never applied by themselves: Accept opens the stage modal (the
 * change and its note land in the lead's history as any change does), Dismiss hides the
 * suggestion until its facts change and is recorded in the history too.
 */

export const SUGGESTION_KINDS: readonly SuggestionKind[] = ['repeat_order', 'at_risk', 'ordered_again'];

export function isSuggestionKind(v: string): v is SuggestionKind {
  return (SUGGESTION_KINDS as readonly string[]).includes(v);
}

/** The note the stage modal opens with when a suggestion is accepted. */
export function acceptedSuggestionNote(s: Pick<StageSuggestion, 'kind' | 'orderCount'>): string {
  switch (s.kind) {
    case 'repeat_order':
      return `Suggested by the CRM: ordered again after the trial (${s.orderCount} orders).`;
    case 'at_risk':
      return 'Suggested by the CRM: no order for more than twice its usual interval.';
    case 'ordered_again':
      return `Suggested by the CRM: ordered again after churning (${s.orderCount} orders).`;
  }
}

export interface Dismissal {
  leadId: number;
  kind: string;
  facts: string;
  actorId: string;
}

/**
 * Hides a suggestion while its facts stay the same, and records that in the lead's history
 * (not a touch: dismissing is not contacting). Dismissing again is harmless.
 */
export async function dismissSuggestion(
  prisma: CrmPrisma,
  clock: Clock,
  d: Dismissal,
  labels?: StageLabels,
): Promise<void> {
  if (!isSuggestionKind(d.kind) || !/^\d{1,9}$/.test(d.facts))
    throw new UserFacingError('That suggestion could not be read; open Home again.');
  const now = clock.now();
  await prisma.$transaction(async (tx) => {
    const lead = await tx.lead.findUnique({ where: { id: d.leadId }, select: { id: true } });
    if (!lead) throw new UserFacingError('That lead no longer exists.');
    await tx.suggestionDismissal.upsert({
      where: { leadId_kind: { leadId: d.leadId, kind: d.kind } },
      create: { leadId: d.leadId, kind: d.kind, facts: d.facts, dismissedBy: d.actorId, dismissedAt: now },
      update: { facts: d.facts, dismissedBy: d.actorId, dismissedAt: now },
    });
    await tx.activity.create({
      data: {
        leadId: d.leadId,
        actorId: d.actorId,
        kind: 'suggestion_dismissed',
        toValue: SUGGESTED_STAGE[d.kind as SuggestionKind],
        text: `Dismissed the suggestion to move it to ${stageLabel(SUGGESTED_STAGE[d.kind as SuggestionKind], labels)}`,
        isTouch: false,
        createdAt: now,
      },
    });
  });
}
