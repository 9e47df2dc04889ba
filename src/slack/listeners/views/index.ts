import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { registerAdminSettingsSubmissions } from './admin-settings';
import { registerStageChangeSubmission } from './stage-change';
import { registerLeadNoteSubmission } from './lead-note';
import { registerLeadContactSubmission } from './lead-contact';
import { registerLeadOwnerSubmission } from './lead-owner';
import { registerLogToCrmSubmission } from './log-to-crm';
import { registerFollowUpSubmission } from './follow-up';

export function registerViews(app: App, deps: AppDeps): void {
  // Listeners of this kind are registered here, one file per callback.
  registerAdminSettingsSubmissions(app, deps);
  registerStageChangeSubmission(app, deps);
  registerLeadNoteSubmission(app, deps);
  registerLeadContactSubmission(app, deps);
  registerLeadOwnerSubmission(app, deps);
  registerLogToCrmSubmission(app, deps);
  registerFollowUpSubmission(app, deps);
}
