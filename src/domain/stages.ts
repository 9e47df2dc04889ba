import type { CrmPrisma } from '../db/client';
import { parseStageLabels, STAGE_LABELS_SETTING, type StageLabels } from '../shared/stages';

export * from '../shared/stages';

/** The current labels (admin's where set). */
export async function loadStageLabels(prisma: Pick<CrmPrisma, 'setting'>): Promise<StageLabels> {
  const row = await prisma.setting.findUnique({ where: { key: STAGE_LABELS_SETTING } });
  return parseStageLabels(row?.value);
}
