import type { Job } from './scheduler';

/** Every scheduled job of the app. Features add theirs here. */
export function allJobs(): Job[] {
  return [];
}
