import { ManualClock } from '../../src/clock';
import type { Database } from '../../src/db/client';
import { getLeadCard } from '../../src/domain/lead-card-data';
import { getLeadHistory } from '../../src/domain/lead-history';
import { resolveLeadText, searchLeads } from '../../src/domain/lead-search';
import {
  addNote,
  changeOwner,
  changeStage,
  LeadValidationError,
  StaleLeadError,
  updateContact,
} from '../../src/domain/leads';
import { findUncontacted } from '../../src/domain/uncontacted-leads';
import { openTestDatabase, type Provider } from '../support/databases';
import { seedLead } from '../support/seed-leads';

describe.each<Provider>(['sqlite', 'postgres'])('lead domain on %s', (provider) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  const clock = new ManualClock('2026-11-25T09:00:00Z');
  beforeAll(async () => {
    ({ db, cleanup } = await openTestDatabase(provider));
    await db.prisma.rosterMember.create({ data: { userId: 'U0AM00001', role: 'account_manager' } });
  });
  afterAll(async () => cleanup());

  it('ranks search results: exact id, exact name, word prefix, contains; then lifetime USD', async () => {
    const p = db.prisma;
    await seedLead(p, { customerId: 'S-100', name: 'Nile Foods', lifetimeUsdCents: 5_00n });
    await seedLead(p, { customerId: 'S-101', name: 'Nile', lifetimeUsdCents: 1_00n });
    await seedLead(p, { customerId: 'S-102', name: 'Grand Nile Trading', lifetimeUsdCents: 900_00n });
    await seedLead(p, { customerId: 'S-103', name: 'Juvenile Supplies', lifetimeUsdCents: 999_00n });
    await seedLead(p, { customerId: 'NILE', name: 'Unrelated 100% Co_', lifetimeUsdCents: 2_00n });
    const { matches, total } = await searchLeads(p, 'nile', 10);
    expect(total).toBe(5);
    expect(matches.map((m) => m.customerId)).toEqual(['NILE', 'S-101', 'S-102', 'S-100', 'S-103']);
    // LIKE wildcards in the text are literal.
    expect((await searchLeads(p, '100%', 10)).matches.map((m) => m.customerId)).toEqual(['NILE']);
    expect((await searchLeads(p, 'co_', 10)).total).toBe(1);
    const resolved = await resolveLeadText(p, 'Nile Foods');
    expect(resolved.kind === 'found' && resolved.lead.customerId).toBe('S-100');
    expect((await resolveLeadText(p, 'supplies')).kind).toBe('found');
    expect((await resolveLeadText(p, 'ni')).kind).toBe('ambiguous');
  });

  it('changes stage with optimistic concurrency and records who, from, to and the note', async () => {
    const p = db.prisma;
    const leadId = await seedLead(p, { customerId: 'V-1', name: 'Versioned' });
    const card = await getLeadCard(p, leadId);
    await changeStage(p, clock, {
      leadId,
      expectedVersion: card.version,
      actorId: 'U0AM00001',
      toStage: 'contacted',
      note: 'Called',
    });
    await expect(
      changeStage(p, clock, { leadId, expectedVersion: card.version, actorId: 'U0AM00001', toStage: 'negotiation' }),
    ).rejects.toBeInstanceOf(StaleLeadError);
    await expect(changeStage(p, clock, { leadId, actorId: 'U0AM00001', toStage: 'churned' })).rejects.toMatchObject({
      field: 'churnReason',
    });
    const after = await getLeadCard(p, leadId);
    expect(after).toMatchObject({ stage: 'contacted', version: card.version + 1 });
    expect(after.lastTouchAt?.toISOString()).toBe('2026-11-25T09:00:00.000Z');
    expect(after.recentActivity[0]).toMatchObject({
      kind: 'stage_change',
      actorId: 'U0AM00001',
      fromValue: 'lead',
      toValue: 'contacted',
      text: 'Called',
    });
  });

  it('refuses an owner who is not on the roster, validates contacts, pages history', async () => {
    const p = db.prisma;
    const leadId = await seedLead(p, { customerId: 'O-1', name: 'Owned' });
    await expect(changeOwner(p, clock, { leadId, actorId: 'U0AM00001', ownerId: 'U0NOBODY1' })).rejects.toBeInstanceOf(
      LeadValidationError,
    );
    await changeOwner(p, clock, { leadId, actorId: 'U0AM00001', ownerId: 'U0AM00001' });
    await expect(
      updateContact(p, clock, { leadId, actorId: 'U0AM00001', contact: { email: 'not-an-email' } }),
    ).rejects.toMatchObject({ field: 'contactEmail' });
    await updateContact(p, clock, {
      leadId,
      actorId: 'U0AM00001',
      contact: { name: 'Jane', email: 'jane@owned.com', phone: '+971 4 123 4567' },
    });
    for (let i = 0; i < 12; i++) await addNote(p, clock, { leadId, actorId: 'U0AM00001', text: `note ${i}` });
    const page1 = await getLeadHistory(p, leadId, 1, 10);
    const page2 = await getLeadHistory(p, leadId, 2, 10);
    expect(page1).toMatchObject({ total: 14, pageCount: 2, page: 1 });
    expect(page1.entries[0]!.text).toBe('note 11');
    expect(page2.entries.map((e) => e.kind)).toEqual(['note', 'note', 'contact_change', 'owner_change']);
    const lead = await p.lead.findUniqueOrThrow({ where: { id: leadId } });
    expect(lead).toMatchObject({ ownerId: 'U0AM00001', contactEmail: 'jane@owned.com', version: 15 });
  });

  it('lists uncontacted customers in the window, biggest first, and drops touched ones', async () => {
    const p = db.prisma;
    const now = clock.now();
    await seedLead(p, {
      customerId: 'U-1',
      name: 'Uncontacted Small',
      lifetimeUsdCents: 10_00n,
      lastOrderAt: new Date('2026-11-01T00:00:00Z'),
    });
    const big = await seedLead(p, {
      customerId: 'U-2',
      name: 'Uncontacted Big',
      lifetimeUsdCents: 1_000_000_00n,
      lastOrderAt: new Date('2026-10-01T00:00:00Z'),
    });
    await seedLead(p, {
      customerId: 'U-3',
      name: 'Ordered Long Ago',
      lifetimeUsdCents: 2_000_000_00n,
      lastOrderAt: new Date('2026-01-01T00:00:00Z'),
    });
    const before = await findUncontacted(p, { days: 90, now });
    expect(before.leads.map((l) => l.customerId).filter((c) => c.startsWith('U-'))).toEqual(['U-2', 'U-1']);
    await addNote(p, clock, { leadId: big, actorId: 'U0AM00001', text: 'called' });
    const after = await findUncontacted(p, { days: 90, now });
    expect(after.leads.map((l) => l.customerId)).not.toContain('U-2');
    expect(after.total).toBe(before.total - 1);
  });
});
