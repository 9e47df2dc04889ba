import { normaliseSql, type SchemaObject, schemaDifferences } from '../../src/db/sqlite-schema';

const column = (name: string, type = 'TEXT', notNull = true, defaultValue: string | null = null, primaryKey = 0) => ({
  name,
  type,
  notNull,
  defaultValue,
  primaryKey,
});

const roster = (
  columns: SchemaObject['columns'],
  sql = 'CREATE TABLE "RosterMember"("userId" TEXT NOT NULL PRIMARY KEY,"role" TEXT NOT NULL)',
): SchemaObject => ({
  type: 'table',
  name: 'RosterMember',
  table: 'RosterMember',
  sql,
  columns,
});

describe('schemaDifferences', () => {
  const expected = [roster([column('userId', 'TEXT', true, null, 1), column('role')])];

  it('finds nothing between a schema and itself, whatever the statement layout', () => {
    expect(normaliseSql('CREATE TABLE  "a" (\n  "x" TEXT ,\n "y" INTEGER\n)')).toBe(
      normaliseSql('CREATE TABLE "a"("x" TEXT,"y" INTEGER)'),
    );
    expect(schemaDifferences(expected, expected)).toEqual([]);
  });

  it('names a column whose type, nullability or default changed', () => {
    const actual = [
      roster([column('userId', 'TEXT', true, null, 1), column('role', 'TEXT', false, "'admin'")], 'changed'),
    ];
    expect(schemaDifferences(expected, actual)).toEqual([
      `column "role" of table "RosterMember" is TEXT nullable DEFAULT 'admin' (expected TEXT NOT NULL)`,
    ]);
    const retyped = [roster([column('userId', 'INTEGER', true, null, 1), column('role')], 'changed')];
    expect(schemaDifferences(expected, retyped)).toEqual([
      'column "userId" of table "RosterMember" is INTEGER NOT NULL PRIMARY KEY (expected TEXT NOT NULL PRIMARY KEY)',
    ]);
  });

  it('names a table whose columns match but whose constraints do not', () => {
    const actual = [
      roster(
        expected[0]!.columns,
        'CREATE TABLE "RosterMember"("userId" TEXT NOT NULL PRIMARY KEY,"role" TEXT NOT NULL CHECK(1))',
      ),
    ];
    expect(schemaDifferences(expected, actual)).toEqual([
      'table "RosterMember" has other constraints than its migrations make',
    ]);
  });

  it('names a missing column and a missing table', () => {
    expect(schemaDifferences(expected, [roster([column('userId', 'TEXT', true, null, 1)])])).toEqual([
      'column "role" of table "RosterMember" is missing',
    ]);
    expect(schemaDifferences(expected, [])).toEqual(['table "RosterMember" is missing']);
  });
});
