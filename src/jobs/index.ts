import { backupJob } from './backup';
import { digestJob } from './digest';
import { followUpAlertsJob } from './follow-up-alerts';
import type { Job } from './scheduler';

/** Every scheduled job of the app. Features add theirs here. */
export function allJobs(): Job[] {
  return [digestJob, followUpAlertsJob(), backupJob];
}
