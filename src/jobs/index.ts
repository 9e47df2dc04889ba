import type { Job } from './scheduler';
import { digestJob } from './digest';
import { followUpAlertsJob } from './follow-up-alerts';
import { backupJob } from './backup';

/** Every scheduled job of the app. Features add theirs here. */
export function allJobs(): Job[] {
  return [digestJob, followUpAlertsJob(), backupJob];
}
