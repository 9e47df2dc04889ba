import { PostgresDataVersion } from '../../src/db/postgres-data-version';

// Snapshots as pg_current_snapshot() prints them: xmin:xmax:ids in progress below xmax.
describe('the data version made from PostgreSQL transaction snapshots', () => {
  it('stays while nothing ended, and while only own bookkeeping transactions ended', () => {
    const v = new PostgresDataVersion();
    const first = v.versionOf('100:100:');
    expect(v.versionOf('100:100:')).toBe(first);
    v.noteOwn(100n);
    // Own 100 running, then ended; own 101 ended while 102 (another's) still runs.
    expect(v.versionOf('100:101:100')).toBe(first);
    expect(v.versionOf('101:101:')).toBe(first);
    v.noteOwn(101n);
    expect(v.versionOf('102:103:102')).toBe(first);
    expect(v.versionOf('103:103:')).not.toBe(first);
  });

  it('changes when another transaction ends: one started after the last snapshot, or one in progress then', () => {
    const v = new PostgresDataVersion();
    const a = v.versionOf('50:60:55');
    const b = v.versionOf('50:61:55');
    expect(b).not.toBe(a);
    // 55 was in progress at both; it ends now.
    const c = v.versionOf('61:61:');
    expect(c).not.toBe(b);
    expect(v.versionOf('61:61:')).toBe(c);
  });

  it('counts ids still in progress as not ended, and own ids among many', () => {
    const v = new PostgresDataVersion();
    const a = v.versionOf('10:10:');
    v.noteOwn(11n);
    v.noteOwn(13n);
    // 10 and 12 (another's) started and still run; 11 and 13 (own) ended.
    expect(v.versionOf('10:14:10,12')).toBe(a);
    // 12 ends.
    expect(v.versionOf('10:14:10')).not.toBe(a);
  });

  it('keeps the version for a snapshot answered after a newer one, and moves on from the newer', () => {
    const v = new PostgresDataVersion();
    v.versionOf('20:20:');
    const newer = v.versionOf('21:21:');
    expect(v.versionOf('20:20:')).toBe(newer);
    expect(v.versionOf('21:21:')).toBe(newer);
    expect(v.versionOf('22:22:')).not.toBe(newer);
  });

  it('counts own ids as changes when unsure that every own id was noted', () => {
    const v = new PostgresDataVersion();
    const a = v.versionOf('30:30:');
    v.noteOwn(30n);
    expect(v.versionOf('31:31:', true)).not.toBe(a);
  });

  it('never gives an earlier version again after a change', () => {
    const v = new PostgresDataVersion();
    const seen = new Set<string>();
    for (let x = 1; x <= 5; x++) seen.add(v.versionOf(`${x}:${x}:`));
    expect(seen.size).toBe(5);
  });
});
