import type { Provider } from '../support/databases';
import { runDigestScenario, runFollowUpScenario, SCENARIOS, type Scenario } from '../support/exactly-once';

// Two instances on one database, Slack or the database misbehaving: every follow-up DM and
// every digest reaches Slack, and none twice (a killed instance may leave at most one
// duplicate; with the metadata check it leaves none).
jest.setTimeout(90_000);

const cases: [Provider, Scenario][] = (['sqlite', 'postgres'] as Provider[]).flatMap((p) =>
  SCENARIOS.map((s) => [p, s] as [Provider, Scenario]),
);

describe.each(cases)('on %s, %s', (provider, scenario) => {
  it('follow-up DMs: none lost, none doubled, every send recorded', async () => {
    const t = await runFollowUpScenario(scenario, provider, 30);
    expect({ lost: t.lost, unrecorded: t.unrecorded }).toEqual({ lost: 0, unrecorded: 0 });
    expect(t.delivered).toBe(30);
    expect(t.duplicates).toBeLessThanOrEqual(t.killed);
  });

  it('the digest: posted once, and recorded', async () => {
    const t = await runDigestScenario(scenario, provider);
    expect({ delivered: t.delivered, lost: t.lost, unrecorded: t.unrecorded }).toEqual({
      delivered: 1,
      lost: 0,
      unrecorded: 0,
    });
    expect(t.duplicates).toBeLessThanOrEqual(t.killed);
  });
});
