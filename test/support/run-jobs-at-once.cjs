// Preloaded into the app's process by test/e2e/process.test.ts: a scheduled job named in
// RUN_AT_ONCE (comma-separated, e.g. "backup") also runs once as soon as the app schedules it,
// so a test sees the job's first run without waiting for the next minute on the clock. The
// job still runs only if the app's scheduler started it, through node-cron's own task.
const cron = require('node-cron').default;
const names = new Set((process.env.RUN_AT_ONCE || '').split(',').filter(Boolean));
const schedule = cron.schedule.bind(cron);
cron.schedule = (expression, fn, options) => {
  const task = schedule(expression, fn, options);
  if (names.has(options?.name)) setImmediate(() => task.execute());
  return task;
};
