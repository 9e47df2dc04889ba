/**
 * The pipeline's six stages, in order (DESIGN.md "Pipeline"). Slugs never change; labels
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
