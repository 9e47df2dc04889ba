import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../../deps';
import type { Viewer } from '../viewer';
import { loadAdminHomeSection } from './admin-section';
import { loadFollowUpHomeSections } from '../follow-ups/home-section';

/**
 * Sections of the Home tab that belong to other features (notices for admins, the
 * viewer's follow-ups, the admin settings). Each is built by its feature's pure builder;
 * the pipeline gets what is left of Slack's 100-block budget.
 */
export interface HomeExtras {
  /** Shown first (e.g. admin notices: an alert disabled because its owner left). */
  notices: KnownBlock[];
  /** "My follow-ups". */
  followUps: KnownBlock[];
  /** Admin settings and audit, admins only. */
  admin: KnownBlock[];
}

/** Upper bound of blocks all extras may use together, so the pipeline always fits. */
export const HOME_EXTRAS_BLOCK_BUDGET = 30;

export async function loadHomeExtras(deps: AppDeps, _client: WebClient, viewer: Viewer): Promise<HomeExtras> {
  const [followUpSections, admin] = await Promise.all([loadFollowUpHomeSections(deps, viewer), loadAdminHomeSection(deps, viewer)]);
  return { notices: followUpSections.notices, followUps: followUpSections.followUps, admin };
}
