import { Writable } from 'node:stream';
import { type Database, openDatabase } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import { createLogger } from '../../src/logger';
import { tempSqliteUrl } from '../support/databases';

/** Prisma prints a failed call's arguments into the error message: logs keep only its first and last lines. */
describe('logging a database error', () => {
  const target = tempSqliteUrl();
  let db: Database;
  beforeAll(async () => {
    await migrateDatabase(target.url);
    db = openDatabase(target.url);
  });
  afterAll(async () => {
    await db.close();
    await target.cleanup();
  });

  it('says which call failed and why, without the customer data it was given', async () => {
    const email = 'jane.prisma@customer.example';
    const phone = '+971 55 000 1234';
    // A call missing required fields, as a bug would make it: Prisma rejects it with the arguments in the message.
    const err = await db.prisma.customerFigures.create({ data: { customerId: 'C-1', email, phone } as never }).then(
      () => new Error('the call was expected to fail'),
      (e: unknown) => e as Error,
    );
    expect(err.message).toContain(email);

    const lines: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk, _enc, cb) {
          lines.push(String(chunk));
          cb();
        },
      }),
    );
    logger.error({ err }, 'saving failed');
    const out = lines.join('');
    expect(out).not.toContain(email);
    expect(out).not.toContain(phone);
    expect(JSON.parse(out).err).toMatchObject({
      type: 'PrismaClientValidationError',
      message: expect.stringMatching(
        /^Invalid `[\w.]*customerFigures\.create\(\)` invocation.* … Argument `\w+` is missing\.$/,
      ),
    });
  });
});
