import { ManualClock } from '../../src/clock';
import { changeRoster, listRoster, RosterError, setRole } from '../../src/domain/roster';
import { openTestDatabase, type Provider } from '../support/databases';

describe.each<Provider>(['sqlite', 'postgres'])('roster changes on %s', (provider) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  const clock = new ManualClock();
  beforeAll(async () => {
    handle = await openTestDatabase(provider);
  });
  afterAll(async () => handle.cleanup());
  beforeEach(async () => {
    await handle.db.prisma.auditEntry.deleteMany();
    await handle.db.prisma.rosterMember.deleteMany();
  });
  const prisma = () => handle.db.prisma;
  const admins = async () => (await listRoster(prisma())).filter((m) => m.role === 'admin').map((m) => m.userId);

  it('a submission of several people is one transaction: the last-admin refusal saves none of them', async () => {
    await setRole(prisma(), clock, 'seed', 'UADMIN', 'admin');
    await setRole(prisma(), clock, 'seed', 'UAM', 'account_manager');
    await expect(changeRoster(prisma(), clock, 'UADMIN', ['UAM', 'UNEW', 'UADMIN'], 'manager')).rejects.toBeInstanceOf(
      RosterError,
    );
    expect(await listRoster(prisma())).toEqual([
      { userId: 'UAM', role: 'account_manager' },
      { userId: 'UADMIN', role: 'admin' },
    ]);
    expect(await prisma().auditEntry.count({ where: { actorId: 'UADMIN' } })).toBe(0);
  });

  it('two admins demoting each other at the same moment leave exactly one admin (20 rounds)', async () => {
    for (let round = 0; round < 20; round++) {
      await prisma().rosterMember.deleteMany();
      await setRole(prisma(), clock, 'seed', 'UA', 'admin');
      await setRole(prisma(), clock, 'seed', 'UB', 'admin');
      const results = await Promise.allSettled([
        changeRoster(prisma(), clock, 'UA', ['UB'], 'manager'),
        changeRoster(prisma(), clock, 'UB', ['UA'], 'remove'),
      ]);
      expect(await admins()).toHaveLength(1);
      const refused = results.filter((r) => r.status === 'rejected');
      expect(refused).toHaveLength(1);
      expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(RosterError);
    }
  }, 60_000);
});
