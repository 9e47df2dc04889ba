import { Session } from 'node:inspector/promises';
import { relative } from 'node:path';

/**
 * The files of src/ with a function that ran between `start()` and `files()`: V8's precise
 * coverage (call counts, reset when taken). The export getters the compiler adds
 * (`function() { return name; }`) are not counted: a file whose exports were only looked
 * up did not run.
 */
export async function coverageRecorder() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Debugger.enable');
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
  const sources = new Map<string, string>();
  const sourceOf = async (scriptId: string) => {
    let text = sources.get(scriptId);
    if (text === undefined) {
      text = (await session.post('Debugger.getScriptSource', { scriptId })).scriptSource;
      sources.set(scriptId, text);
    }
    return text;
  };
  const root = `${process.cwd()}/src/`;
  return {
    /** Resets the counts: what ran before is forgotten. */
    async start() {
      await session.post('Profiler.takePreciseCoverage');
    },
    /** The files of src/ that ran since `start()`, sorted, with the functions that ran. */
    async files(): Promise<Map<string, string[]>> {
      const { result } = await session.post('Profiler.takePreciseCoverage');
      const out = new Map<string, string[]>();
      for (const script of result) {
        const path = script.url.replace(/^file:\/\//, '');
        if (!path.startsWith(root) || path.includes('/generated/')) continue;
        const ran: string[] = [];
        for (const fn of script.functions) {
          const range = fn.ranges[0];
          if (!range || range.count === 0 || (fn.functionName === '' && range.startOffset === 0)) continue;
          const text = (await sourceOf(script.scriptId)).slice(range.startOffset, range.endOffset);
          if (/^(get\s*\w*|function\s*\w*)\s*\(\)\s*\{\s*return [\w$.]+;?\s*\}$/.test(text)) continue;
          ran.push(fn.functionName || '(anonymous)');
        }
        if (ran.length) out.set(relative(root, path), ran);
      }
      return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
    },
    async stop() {
      await session.post('Profiler.stopPreciseCoverage');
      session.disconnect();
    },
  };
}
