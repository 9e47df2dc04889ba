import type { Provider } from '../support/databases';
import { runAgendaScenario, SCENARIOS, type Scenario } from '../support/exactly-once';

// The morning agenda under the same faults as follow-up DMs: two instances on one database,
// Slack rate limiting, answers lost after Slack accepted the post, the database refusing to
// record, an instance killed mid-send. Every account manager gets their agenda, none twice.
jest.setTimeout(90_000);

const cases: [Provider, Scenario][] = (['sqlite', 'postgres'] as Provider[]).flatMap((p) =>
  SCENARIOS.map((s) => [p, s] as [Provider, Scenario]),
);

describe.each(cases)('on %s, %s', (provider, scenario) => {
  it('morning agendas: one per person, none lost, none doubled, every send recorded', async () => {
    const t = await runAgendaScenario(scenario, provider, 30);
    expect({ lost: t.lost, unrecorded: t.unrecorded }).toEqual({ lost: 0, unrecorded: 0 });
    expect(t.delivered).toBe(30);
    expect(t.duplicates).toBeLessThanOrEqual(t.killed);
  });
});
