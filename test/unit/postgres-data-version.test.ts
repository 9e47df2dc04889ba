import { PostgresDataVersion } from '../../src/db/postgres-data-version';

// Snapshots as pg_current_snapshot() prints them (xmin:xmax:ids in progress below xmax), and the
// rows of "DataWrite" a read returns (`id:concern`, from the lowest id open at the reference on).
describe('the data versions made from PostgreSQL transaction snapshots and the noted writes', () => {
  /** One read as the pipeline's queries make it: `writes` are those the query found from `since` on. */
  function read(v: PostgresDataVersion, snapshot: string, writes: string | null = null, horizon = '0') {
    const started = v.begin();
    return started.of({ ps: snapshot, ph: horizon, pw: writes });
  }

  it('keeps both versions while only transactions that wrote no CRM data ended', () => {
    const v = new PostgresDataVersion();
    const first = read(v, '100:100:');
    // 100 to 109 ended (heartbeats, leases, an outside UPDATE of nothing counted): no row noted.
    expect(read(v, '110:110:')).toEqual(first);
    expect(read(v, '120:125:121')).toEqual(first);
  });

  it('changes the CRM data’s version alone for a CRM write, the sync’s alone for a run record', () => {
    const v = new PostgresDataVersion();
    const first = read(v, '100:100:')!;
    const crm = read(v, '103:103:', '101:crm')!;
    expect(crm.data).not.toBe(first.data);
    expect(crm.sync).toBe(first.sync);
    // 101's row is still there, but it had ended at the reference: nothing new.
    const sync = read(v, '105:105:', '101:crm,104:sync')!;
    expect(sync).toEqual({ data: crm.data, sync: expect.not.stringMatching(`^${crm.sync}$`) });
    expect(read(v, '106:106:', '101:crm,104:sync')).toEqual(sync);
  });

  it('counts a write that was in progress at the reference when it ends, and not before', () => {
    const v = new PostgresDataVersion();
    const first = read(v, '90:100:90,95')!;
    // 95 still running: its row is not seen yet.
    expect(read(v, '90:101:90,95')).toEqual(first);
    const ended = read(v, '90:101:90', '95:crm')!;
    expect(ended.data).not.toBe(first.data);
    expect(read(v, '101:101:', '95:crm')).toEqual(ended);
  });

  it('counts everything as changed when rows it needs may have been pruned, or before any reference', () => {
    const v = new PostgresDataVersion();
    const first = read(v, '100:100:')!;
    const pruned = read(v, '200:200:', null, '150')!;
    expect(pruned.data).not.toBe(first.data);
    expect(pruned.sync).not.toBe(first.sync);
    expect(read(v, '201:201:', null, '150')).toEqual(pruned);
  });

  it('keeps the newer reference when an older snapshot is answered later', () => {
    const v = new PostgresDataVersion();
    read(v, '100:100:');
    const early = v.begin();
    const current = read(v, '110:110:', '105:crm')!;
    // A read begun before, whose snapshot is older: it found the same write and changes nothing.
    expect(early.of({ ps: '108:108:', ph: '0', pw: '105:crm' })).toEqual(current);
    expect(read(v, '111:111:', '105:crm')).toEqual(current);
  });

  it('prunes below a snapshot taken at least ten minutes before', () => {
    const v = new PostgresDataVersion();
    expect(v.pruneBelow('100:105:100', 0)).toBeNull();
    expect(v.pruneBelow('200:200:', 5 * 60_000)).toBeNull();
    expect(v.pruneBelow('300:300:', 10 * 60_000)).toBe(100n);
    expect(v.pruneBelow('400:400:', 12 * 60_000)).toBeNull();
    expect(v.pruneBelow('500:500:', 16 * 60_000)).toBe(200n);
  });
});
