import { ManualClock } from '../../src/clock';
import { decimalToUsd } from '../../src/common/money';
import { type Database, openDatabase } from '../../src/db/client';
import {
  addRate,
  DEFAULT_RATES_DATE,
  DEFAULT_USD_RATES,
  getRates,
  listRates,
  RateValidationError,
  seedDefaultRates,
  unconvertedCurrencies,
  updateRate,
} from '../../src/domain/rates';
import { changeRates } from '../../src/domain/revalue-figures';
import { openTestDatabase, type Provider } from '../support/databases';
import { seedLead } from '../support/seed-leads';

const ADMIN = 'U0ADMIN01';

async function withDatabase(provider: Provider, run: (db: Database) => Promise<void>): Promise<void> {
  const { db, cleanup } = await openTestDatabase(provider);
  try {
    await run(db);
  } finally {
    await cleanup();
  }
}

/** The whole life of the rates: seed, read, change with audit, reseed without overwriting. */
async function rateLifecycle(db: Database): Promise<void> {
  const clock = new ManualClock('2026-11-25T09:00:00Z');
  const inserted = await seedDefaultRates(db.prisma, clock);
  expect(inserted.sort()).toEqual(Object.keys(DEFAULT_USD_RATES).sort());
  expect(inserted).toHaveLength(11);

  const rates = await getRates(db.prisma);
  expect(rates.size).toBe(11);
  expect(rates.get('KWD')).toMatchObject({ usdPerUnit: '3.26', rateDate: DEFAULT_RATES_DATE });
  expect(decimalToUsd('1234.567', 'KWD', rates)).toMatchObject({
    kind: 'usd',
    usdCents: 402469n,
    rateDate: DEFAULT_RATES_DATE,
  });

  clock.advance(3_600_000);
  const updated = await updateRate(db.prisma, { currency: 'aed', usdPerUnit: ' 0.27230 ', actorId: ADMIN }, clock);
  expect(updated).toMatchObject({ currency: 'AED', usdPerUnit: '0.2723', rateDate: clock.now(), updatedBy: ADMIN });

  clock.advance(60_000);
  await updateRate(db.prisma, { currency: 'AED', usdPerUnit: '0.2500', actorId: 'U0ADMIN02' }, clock);
  const audit = await db.prisma.auditEntry.findMany({ orderBy: { id: 'asc' } });
  expect(
    audit.map((a) => ({
      actorId: a.actorId,
      setting: a.setting,
      oldValue: a.oldValue,
      newValue: a.newValue,
      createdAt: a.createdAt,
    })),
  ).toEqual([
    {
      actorId: ADMIN,
      setting: 'rate:AED',
      oldValue: '0.2723',
      newValue: '0.2723',
      createdAt: new Date('2026-11-25T10:00:00Z'),
    },
    {
      actorId: 'U0ADMIN02',
      setting: 'rate:AED',
      oldValue: '0.2723',
      newValue: '0.25',
      createdAt: new Date('2026-11-25T10:01:00Z'),
    },
  ]);

  // Every USD figure says which rate date it used.
  const after = await getRates(db.prisma);
  expect(decimalToUsd('100.00', 'AED', after)).toEqual({
    kind: 'usd',
    usdCents: 2500n,
    currency: 'AED',
    usdPerUnit: '0.25',
    rateDate: new Date('2026-11-25T10:01:00Z'),
  });

  // Reseeding (every start) never overwrites an admin's value.
  expect(await seedDefaultRates(db.prisma, clock)).toEqual([]);
  expect((await getRates(db.prisma)).get('AED')!.usdPerUnit).toBe('0.25');
}

describe('currency rates on SQLite', () => {
  it('seeds defaults, reads them, records who changed a rate, and keeps admin values on reseed', async () => {
    await withDatabase('sqlite', rateLifecycle);
  });

  it('refuses bad input, naming the field, and changes nothing', async () => {
    await withDatabase('sqlite', async (db) => {
      const clock = new ManualClock();
      await seedDefaultRates(db.prisma, clock);
      const cases: [string, string, 'currency' | 'usdPerUnit'][] = [
        ['AED', 'abc', 'usdPerUnit'],
        ['AED', '0', 'usdPerUnit'],
        ['AED', '-0.27', 'usdPerUnit'],
        ['AED', '2.7e-1', 'usdPerUnit'],
        ['AED', '0.1234567890123', 'usdPerUnit'],
        ['AED', '', 'usdPerUnit'],
        ['XX', '1', 'currency'],
        ['XYZ', '1', 'currency'],
        ['', '1', 'currency'],
      ];
      for (const [currency, usdPerUnit, field] of cases) {
        const err = await updateRate(db.prisma, { currency, usdPerUnit, actorId: ADMIN }, clock).catch(
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(RateValidationError);
        expect(err).toMatchObject({ field, userMessage: expect.any(String) });
      }
      expect(await db.prisma.auditEntry.count()).toBe(0);
      expect((await getRates(db.prisma)).get('AED')).toMatchObject({
        usdPerUnit: '0.2723',
        rateDate: DEFAULT_RATES_DATE,
      });
    });
  });

  it('adds a rate for a known currency production starts selling in', async () => {
    await withDatabase('sqlite', async (db) => {
      const clock = new ManualClock('2026-12-01T00:00:00Z');
      await seedDefaultRates(db.prisma, clock);
      expect(decimalToUsd('10.00', 'EUR', await getRates(db.prisma))).toEqual({
        kind: 'unknown_currency',
        currency: 'EUR',
      });
      await updateRate(db.prisma, { currency: 'EUR', usdPerUnit: '1.08', actorId: ADMIN }, clock);
      expect(decimalToUsd('10.00', 'EUR', await getRates(db.prisma))).toMatchObject({ kind: 'usd', usdCents: 1080n });
      expect(await db.prisma.auditEntry.findFirst()).toMatchObject({
        setting: 'rate:EUR',
        oldValue: null,
        newValue: '1.08',
      });
    });
  });

  it('adds a new ISO 4217 currency with its exponent from the standard, never overwriting an existing rate', async () => {
    await withDatabase('sqlite', async (db) => {
      const clock = new ManualClock('2026-12-01T00:00:00Z');
      await seedDefaultRates(db.prisma, clock);
      await seedLead(db.prisma, { customerId: 'A', name: 'A', unknownCurrencies: 'GBP,XYZ' });
      await seedLead(db.prisma, { customerId: 'B', name: 'B', unknownCurrencies: 'JOD' });
      // AED has a rate: its figure was incomplete for another reason (an unreadable amount).
      await seedLead(db.prisma, { customerId: 'C', name: 'C', unknownCurrencies: 'AED' });
      expect(await unconvertedCurrencies(db.prisma)).toEqual({ needRate: ['GBP', 'JOD'], unknownCodes: ['XYZ'] });

      await addRate(db.prisma, { currency: ' jod ', usdPerUnit: '1.4104', actorId: ADMIN }, clock);
      // JOD has 3 decimals in ISO 4217: 12.345 JOD is 12,345 fils, $17.41.
      expect(decimalToUsd('12.345', 'JOD', await getRates(db.prisma))).toMatchObject({
        kind: 'usd',
        usdCents: 1741n,
        usdPerUnit: '1.4104',
      });
      expect(await unconvertedCurrencies(db.prisma)).toEqual({ needRate: ['GBP'], unknownCodes: ['XYZ'] });
      const again = await addRate(db.prisma, { currency: 'JOD', usdPerUnit: '2', actorId: ADMIN }, clock).catch(
        (e: unknown) => e,
      );
      expect(again).toMatchObject({
        field: 'currency',
        userMessage: expect.stringContaining('JOD already has a rate'),
      });
      for (const currency of ['XYZ', 'GB', 'GBPX', '12A']) {
        expect(
          await addRate(db.prisma, { currency, usdPerUnit: '1', actorId: ADMIN }, clock).catch((e: unknown) => e),
        ).toMatchObject({ field: 'currency' });
      }
      expect(
        await addRate(db.prisma, { currency: 'GBP', usdPerUnit: '-1', actorId: ADMIN }, clock).catch((e: unknown) => e),
      ).toMatchObject({ field: 'usdPerUnit' });
      expect((await getRates(db.prisma)).get('JOD')!.usdPerUnit).toBe('1.4104');
      expect(
        await db.prisma.auditEntry.findMany({ select: { setting: true, oldValue: true, newValue: true } }),
      ).toEqual([{ setting: 'rate:JOD', oldValue: null, newValue: '1.4104' }]);
    });
  });

  it("an admin's addition loses to one made meanwhile, and nothing of the same save is kept", async () => {
    await withDatabase('sqlite', async (db) => {
      const clock = new ManualClock('2026-12-01T00:00:00Z');
      await seedDefaultRates(db.prisma, clock);
      await addRate(db.prisma, { currency: 'GBP', usdPerUnit: '1.27', actorId: 'U0OTHER01' }, clock);
      const err = await changeRates(
        db.prisma,
        [
          { currency: 'AED', usdPerUnit: '0.28', actorId: ADMIN },
          { currency: 'GBP', usdPerUnit: '1.30', actorId: ADMIN, mustBeNew: true },
        ],
        clock,
      ).catch((e: unknown) => e);
      expect(err).toMatchObject({
        field: 'currency',
        currency: 'GBP',
        userMessage: 'GBP already has a rate (1.27): change it in its own field.',
      });
      const rates = await getRates(db.prisma);
      expect([rates.get('AED')!.usdPerUnit, rates.get('GBP')!.usdPerUnit]).toEqual(['0.2723', '1.27']);
      expect(await db.prisma.auditEntry.count({ where: { actorId: ADMIN } })).toBe(0);
    });
  });

  it('seeds safely from two instances at once', async () => {
    const { db, url, cleanup } = await openTestDatabase('sqlite');
    const other = openDatabase(url);
    try {
      const clock = new ManualClock();
      const [a, b] = await Promise.all([seedDefaultRates(db.prisma, clock), seedDefaultRates(other.prisma, clock)]);
      expect([...a, ...b].sort()).toEqual(Object.keys(DEFAULT_USD_RATES).sort());
      expect(await db.prisma.currencyRate.count()).toBe(11);
    } finally {
      await other.close();
      await cleanup();
    }
  });

  it('leaves out a stored value that is not a valid rate, so its currency shows as incomplete', async () => {
    await withDatabase('sqlite', async (db) => {
      const clock = new ManualClock();
      await seedDefaultRates(db.prisma, clock);
      await db.prisma.currencyRate.update({ where: { currency: 'PKR' }, data: { usdPerUnit: 'oops' } });
      const rates = await getRates(db.prisma);
      expect(rates.has('PKR')).toBe(false);
      expect(decimalToUsd('100.00', 'PKR', rates)).toEqual({ kind: 'unknown_currency', currency: 'PKR' });
      expect((await listRates(db.prisma)).map((r) => r.currency)).not.toContain('PKR');
    });
  });
});

describe('currency rates on PostgreSQL', () => {
  it('behaves the same: seed, read, audited change, reseed', async () => {
    await withDatabase('postgres', rateLifecycle);
  });
});
