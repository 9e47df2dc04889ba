/**
 * The pipeline's six stages, in order. Slugs never change; labels
 * may be renamed by an admin (Setting 'stage_labels'), so callers pass the current labels.
 */
export const STAGES = [
  { slug: 'lead', label: 'Lead' },
  { slug: 'contacted', label: 'Contacted' },
  { slug: 'negotiation', label: 'Negotiation' },
  { slug: 'trial_order', label: 'Trial Order' },
  { slug: 'active_account', label: 'Active Account' },
  { slug: 'churned', label: 'Churned' },
] as const;

export type StageSlug = (typeof STAGES)[number]['slug'];

/** Admin-renamed labels by slug; a missing slug falls back to the default label. */
export type StageLabels = Partial<Record<StageSlug, string>>;

export function isStageSlug(value: string): value is StageSlug {
  return STAGES.some((s) => s.slug === value);
}

/** The label to show for a stage: the admin's label if set, else the default; unknown slugs as given. */
export function stageLabel(slug: string, labels?: StageLabels): string {
  if (!isStageSlug(slug)) return slug;
  return labels?.[slug] ?? STAGES.find((s) => s.slug === slug)!.label;
}

/** Setting key of the admin-renamed labels: a JSON object slug -> label. */
export const STAGE_LABELS_SETTING = 'stage_labels';

/** Longest label accepted from the setting; longer ones are cut so headings stay readable. */
export const MAX_STAGE_LABEL_LENGTH = 40;

/**
 * Reads the labels from the setting's JSON text. Anything malformed (bad JSON, unknown
 * slugs, empty or non-string labels) is ignored so a bad value falls back to the defaults
 * instead of breaking every view that shows a stage.
 */
export function parseStageLabels(json: string | null | undefined): StageLabels {
  if (!json) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return {};
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const labels: StageLabels = {};
  for (const [slug, label] of Object.entries(value as Record<string, unknown>)) {
    if (!isStageSlug(slug) || typeof label !== 'string') continue;
    const trimmed = label.trim().slice(0, MAX_STAGE_LABEL_LENGTH);
    if (trimmed) labels[slug] = trimmed;
  }
  return labels;
}
