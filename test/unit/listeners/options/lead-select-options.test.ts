import { MAX_SEARCH_LENGTH } from '../../../../src/common/limits';
import { searchLeads } from '../../../../src/domain/lead-search';
import {
  LEAD_OPTIONS_LIMIT,
  leadSelectOptions,
  SEARCH_TOO_LONG_OPTION,
} from '../../../../src/slack/listeners/options/lead-select-options';
import { ACTION_IDS } from '../../../../src/slack/views/action-ids';
import { buildLeadOptions } from '../../../../src/slack/views/log-to-crm-modal';
import {
  AM,
  type Fakes,
  fakes,
  GUEST,
  type ListenerDeps,
  MANAGER,
  openListenerDeps,
  STRANGER,
} from '../../../support/listener-kit';
import { seedLead } from '../../../support/seed-leads';

let t: ListenerDeps;
beforeAll(async () => {
  t = await openListenerDeps();
  await seedLead(t.deps.db.prisma, { customerId: 'C100', name: 'ACME Trading', company: 'ACME LLC' });
  await seedLead(t.deps.db.prisma, { customerId: 'C101', name: 'Acme Foods' });
  await seedLead(t.deps.db.prisma, { customerId: 'C102', name: 'Zenith' });
});
afterAll(() => t.cleanup());

/** block_suggestion for the lead picker. */
const suggestion = (f: Fakes, userId: string, value: string) => {
  const body = {
    type: 'block_suggestion',
    action_id: ACTION_IDS.leadSelect,
    block_id: 'lead_block',
    user: { id: userId },
    value,
    view: { id: 'V0MODAL01' },
  };
  return {
    ack: f.ack,
    client: f.web,
    body,
    options: body,
    payload: body,
    next: jest.fn(),
    logger: console,
    context: {},
  } as any;
};

describe('leadSelectOptions', () => {
  it('a text over the search limit: one option saying the limit, no search', async () => {
    const f = fakes();
    const search = jest.spyOn(t.deps.db.prisma, '$queryRaw');
    try {
      await leadSelectOptions(t.deps)(suggestion(f, AM, 'a'.repeat(MAX_SEARCH_LENGTH + 1)));
      const searches = search.mock.calls.filter((call) =>
        /CustomerSearch|LOWER\(c\.|instr\(|strpos\(/.test(JSON.stringify(call)),
      );
      expect(searches).toEqual([]);
    } finally {
      search.mockRestore();
    }
    expect(f.ack.mock.calls).toEqual([[{ options: [SEARCH_TOO_LONG_OPTION] }]]);
    expect(SEARCH_TOO_LONG_OPTION.text.text).toBe(`Too long: type at most ${MAX_SEARCH_LENGTH} characters`);
  });

  it('answers with the options the builder makes for the ranked search', async () => {
    const f = fakes();
    await leadSelectOptions(t.deps)(suggestion(f, AM, 'acme'));
    const { matches } = await searchLeads(t.deps.db.prisma, 'acme', LEAD_OPTIONS_LIMIT);
    expect(matches.map((m) => m.customerId).sort()).toEqual(['C100', 'C101']);
    expect(f.ack.mock.calls).toEqual([[{ options: buildLeadOptions(matches) }]]);
    expect(f.ack.mock.calls[0]![0].options.map((o: any) => o.text.text)).toContain('ACME Trading (ACME LLC) · C100');
  });

  it('a manager may search (reading is enough)', async () => {
    const f = fakes();
    await leadSelectOptions(t.deps)(suggestion(f, MANAGER, 'zen'));
    expect(f.ack.mock.calls[0]![0].options.map((o: any) => o.text.text)).toEqual(['Zenith · C102']);
  });

  it.each([GUEST, STRANGER])('%s gets no options at all', async (userId) => {
    const f = fakes();
    await leadSelectOptions(t.deps)(suggestion(f, userId, 'acme'));
    expect(f.ack.mock.calls).toEqual([[{ options: [] }]]);
  });
});
