// Exactly-once under faults: for each fault, two app instances on one database (SQLite file
// or PostgreSQL schema) send 30 follow-up DMs and one digest to the fake Slack while it (or
// the database) misbehaves; counts what reached Slack. "killed" instances may leave at most
// one duplicate each.
// Run: npx tsx bench/exactly-once.bench.ts   (or npm run bench -- exactly-once)

import type { Provider } from '../test/support/databases';
import { runDigestScenario, runFollowUpScenario, SCENARIOS, type Tally } from '../test/support/exactly-once';
import { runWhenMain } from './support/run-directly';

type Row = Record<string, string | number>;

function row(t: Tally): Row {
  return {
    job: t.job,
    fault: t.scenario.replace(/_/g, ' '),
    database: t.database,
    sent: t.sent,
    delivered: t.delivered,
    lost: t.lost,
    duplicates: t.duplicates,
    'killed instances': t.killed,
  };
}

export async function runExactlyOnceBench(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const scenario of SCENARIOS) {
    for (const provider of ['sqlite', 'postgres'] as Provider[]) {
      rows.push(row(await runFollowUpScenario(scenario, provider, 30, { deadlineMs: 30_000 })));
      rows.push(row(await runDigestScenario(scenario, provider)));
    }
  }
  return rows;
}

runWhenMain(module, runExactlyOnceBench);
