import { parseStageLabels, STAGE_LABELS_SETTING, type StageLabels } from '../common/stages';
import type { CrmPrisma } from '../db/client';

export * from '../common/stages';

/** The current labels (admin's where set). */
export async function loadStageLabels(prisma: Pick<CrmPrisma, 'setting'>): Promise<StageLabels> {
  const row = await prisma.setting.findUnique({ where: { key: STAGE_LABELS_SETTING } });
  return parseStageLabels(row?.value);
}
