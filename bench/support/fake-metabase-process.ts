/**
 * A fake Metabase (test/support/fake-metabase.ts) in a child process, for benchmarks: a
 * real Metabase runs on another machine, so serving 100,000 rows must not take the measured
 * process's CPU or memory. The child is a fork of this file (with the parent's tsx loader);
 * the parent drives it over IPC.
 *
 * ```ts
 * const mb = await startFakeMetabaseProcess({ apiKey: 'k', customersCardId: 11, ordersCardId: 12, now: NOW });
 * await mb.setCustomers({ fixture: 'home', count: 50_000 }); // built in the child
 * await mb.warm(120);      // one export read by the child itself: JIT, serialised rows
 * await mb.setLatency(200);
 * const calls = await mb.cardCalls();
 * await mb.stop();
 * ```
 * Rows can also be sent as they are (`setCustomers(rows)`), at the cost of serialising them.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'undici';
import {
  type FakeCustomerRow,
  type FakeMetabase,
  type FakeMetabaseOptions,
  startFakeMetabase,
} from '../../test/support/fake-metabase';
import { CUSTOMER_FIXTURES, type CustomerFixtureSpec } from './customer-fixtures';

const ROLE_ENV = 'BENCH_FAKE_METABASE_CHILD';

/** The fake's options, as they can cross a process boundary: `now` is a fixed instant. */
export type FakeMetabaseProcessOptions = Omit<FakeMetabaseOptions, 'now'> & { now?: Date };

export interface FakeMetabaseProcess {
  readonly url: string;
  /** Replaces the Customers card's rows: a named fixture built in the child, or rows sent over IPC. */
  setCustomers(rows: CustomerFixtureSpec | FakeCustomerRow[]): Promise<void>;
  setLatency(ms: number): Promise<void>;
  /** Reads the Customers export once from inside the child (warming it), then forgets that request. */
  warm(days: number): Promise<void>;
  /** Card queries received since the start (or the last warm). */
  cardCalls(): Promise<number>;
  stop(): Promise<void>;
}

type Command =
  | { op: 'setCustomers'; rows: CustomerFixtureSpec | FakeCustomerRow[] }
  | { op: 'setLatency'; ms: number }
  | { op: 'warm'; days: number }
  | { op: 'cardCalls' }
  | { op: 'stop' };

type Reply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: string };

interface ChildOptions extends Omit<FakeMetabaseOptions, 'now'> {
  now?: string;
}

// ---------------------------------------------------------------------------------------
// Child side

async function serve(options: ChildOptions): Promise<void> {
  const now = options.now ? new Date(options.now) : null;
  const mb = await startFakeMetabase({ ...options, now: now ? () => now : undefined });
  const run = async (cmd: Command): Promise<unknown> => {
    switch (cmd.op) {
      case 'setCustomers':
        return mb.setCustomers(
          Array.isArray(cmd.rows) ? cmd.rows : CUSTOMER_FIXTURES[cmd.rows.fixture](cmd.rows.count, now ?? new Date()),
        );
      case 'setLatency':
        return mb.setLatency(cmd.ms);
      case 'warm':
        return warm(mb, options, cmd.days);
      case 'cardCalls':
        return mb.requests.filter((r) => r.path.startsWith('/api/card/')).length;
      case 'stop':
        await mb.close();
        process.send!({ id: -1, ok: true } satisfies Reply, () => process.exit(0));
        return undefined;
    }
  };
  process.on('message', (msg: { id: number } & Command) => {
    run(msg).then(
      (value) => msg.op !== 'stop' && process.send!({ id: msg.id, ok: true, value } satisfies Reply),
      (err: unknown) => process.send!({ id: msg.id, ok: false, error: String(err) } satisfies Reply),
    );
  });
  // An orphan (the parent crashed) does not linger.
  process.once('disconnect', () => process.exit(0));
  process.send!({ url: mb.url });
}

async function warm(mb: FakeMetabase, options: ChildOptions, days: number): Promise<void> {
  const res = await request(`${mb.url}/api/card/${options.customersCardId}/query/json`, {
    method: 'POST',
    headers: {
      ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      parameters: JSON.stringify([{ type: 'number', target: ['variable', ['template-tag', 'days']], value: days }]),
      format_rows: 'false',
    }).toString(),
  });
  await res.body.dump({ limit: Infinity });
  mb.clearRequests();
}

// ---------------------------------------------------------------------------------------
// Parent side

/** Loader flags (tsx's) the child needs to run this TypeScript file, without the parent's --eval. */
function loaderArgs(): string[] {
  const args: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    if ((argv[i] === '--require' || argv[i] === '--import' || argv[i] === '-r') && argv[i + 1])
      args.push(argv[i]!, argv[++i]!);
  }
  return args.length ? args : ['--import', 'tsx'];
}

export async function startFakeMetabaseProcess(options: FakeMetabaseProcessOptions): Promise<FakeMetabaseProcess> {
  const childOptions: ChildOptions = { ...options, now: options.now?.toISOString() };
  const child: ChildProcess = fork(__filename, [], {
    env: { ...process.env, [ROLE_ENV]: JSON.stringify(childOptions) },
    execArgv: loaderArgs(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const [ready] = (await Promise.race([
    once(child, 'message'),
    exited.then(() => {
      throw new Error('fake Metabase process exited before it was ready');
    }),
  ])) as [{ url: string }];

  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (reply: Reply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new Error(`fake Metabase process: ${reply.error}`));
  });
  void exited.then(() => {
    for (const p of pending.values()) p.reject(new Error('fake Metabase process exited'));
    pending.clear();
  });
  const call = (cmd: Command, id = nextId++): Promise<unknown> =>
    new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.send({ id, ...cmd });
    });

  return {
    url: ready.url,
    setCustomers: async (rows) => void (await call({ op: 'setCustomers', rows })),
    setLatency: async (ms) => void (await call({ op: 'setLatency', ms })),
    warm: async (days) => void (await call({ op: 'warm', days })),
    cardCalls: async () => (await call({ op: 'cardCalls' })) as number,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await Promise.all([exited, call({ op: 'stop' }, -1).catch(() => undefined)]);
    },
  };
}

if (require.main === module && process.env[ROLE_ENV]) {
  void serve(JSON.parse(process.env[ROLE_ENV]) as ChildOptions);
}
