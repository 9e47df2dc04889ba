import type { Database } from '../../src/db/client';
import { readMemberFacts, saveUserFacts } from '../../src/db/member-facts';
import { openTestDatabase, type Provider } from '../support/databases';

describe.each<Provider>(['sqlite', 'postgres'])('role and cached users.info facts read together on %s', (provider) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  const fetchedAt = new Date('2026-11-25T09:00:00.000Z');

  beforeAll(async () => {
    ({ db, cleanup } = await openTestDatabase(provider));
    await db.prisma.rosterMember.create({ data: { userId: 'U_GUEST', role: 'account_manager' } });
    await db.prisma.rosterMember.create({ data: { userId: 'U_NEW', role: 'admin' } });
    await saveUserFacts(db.prisma, 'U_GUEST', {
      tz: 'Asia/Dubai',
      isRestricted: true,
      isUltraRestricted: false,
      deleted: false,
      fetchedAt,
    });
    await saveUserFacts(db.prisma, 'U_STRANGER', {
      tz: null,
      isRestricted: false,
      isUltraRestricted: true,
      deleted: true,
      fetchedAt,
    });
  });
  afterAll(() => cleanup());

  it('gives a member their role and the facts as stored', async () => {
    expect(await readMemberFacts(db, 'U_GUEST')).toEqual({
      role: 'account_manager',
      facts: { tz: 'Asia/Dubai', isRestricted: true, isUltraRestricted: false, deleted: false, fetchedAt },
    });
  });

  it('gives a member never looked up no facts, so users.info is asked', async () => {
    expect(await readMemberFacts(db, 'U_NEW')).toEqual({ role: 'admin', facts: null });
  });

  it('gives someone off the roster no role, with their facts if stored', async () => {
    expect(await readMemberFacts(db, 'U_STRANGER')).toEqual({
      role: null,
      facts: { tz: null, isRestricted: false, isUltraRestricted: true, deleted: true, fetchedAt },
    });
    expect(await readMemberFacts(db, 'U_NOBODY')).toEqual({ role: null, facts: null });
  });
});
