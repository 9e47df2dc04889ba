// The order jest starts the test files in: the longest first, so that the two workers end
// together instead of one of them running a 40-second file alone at the end.
//
// jest does this by itself when its cache holds the time each file took last run. On a fresh
// clone (and in CI) there is no cache, and jest then starts the biggest files first, by
// bytes: a short file that runs a minute of scenarios would start last. So where the cache
// has no time for a file, this uses the time below (seconds on a quiet 2-core machine, the
// files of 4 s or more), and for any other file a guess from its size (a few seconds at most).
// Keep the table roughly true when a file gets much slower or faster: only the order matters.
const Sequencer = require('@jest/test-sequencer').default;

const KNOWN_SECONDS = {
  'test/integration/exactly-once-faults.test.ts': 40,
  'test/integration/agenda-exactly-once.test.ts': 28,
  'test/e2e/log-safety.test.ts': 25,
  'test/integration/lead-sync-worker.test.ts': 16,
  'test/e2e/process.test.ts': 15,
  'test/integration/backups.test.ts': 14,
  'test/integration/follow-up-delivery-instances.test.ts': 12,
  'test/e2e/preview-cli.test.ts': 11,
  'test/e2e/runtime-image.test.ts': 10,
  'test/e2e/home-dashboard.test.ts': 10,
  'test/e2e/slack-behaviour.test.ts': 9,
  'test/e2e/socket-mode.test.ts': 8,
  'test/e2e/lead-ownership.test.ts': 6,
  'test/e2e/slack-io-limits.test.ts': 5,
  'test/e2e/doctor-cli.test.ts': 5,
  'test/integration/follow-up-delivery.test.ts': 5,
  'test/e2e/sqlite-instances.test.ts': 5,
  'test/e2e/home-sync.test.ts': 5,
  'test/integration/lead-sync.test.ts': 5,
  'test/e2e/digest-picture.test.ts': 5,
  'test/integration/crm-data-export.test.ts': 5,
  'test/e2e/admin-settings.test.ts': 4,
  'test/integration/stage-totals.test.ts': 4,
};

/** Milliseconds a file is expected to take when jest's cache does not know. */
function estimateMs(test) {
  const relative = test.path
    .slice(test.context.config.rootDir.length + 1)
    .split('\\')
    .join('/');
  const known = KNOWN_SECONDS[relative];
  if (known !== undefined) return known * 1000;
  const bytes = test.context.hasteFS.getSize(test.path) ?? 0;
  // A 20 KB test file takes a couple of seconds; none unknown here takes 4.
  return Math.min(3900, bytes / 10);
}

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    for (const test of tests) test.duration = this.time(test) ?? estimateMs(test);
    return tests.sort((a, b) => {
      const failedA = this.hasFailed(a);
      if (failedA !== this.hasFailed(b)) return failedA ? -1 : 1;
      return b.duration - a.duration;
    });
  }
}

module.exports = SlowFirstSequencer;
