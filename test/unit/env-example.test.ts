import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '../../src/config';

describe('.env.example', () => {
  const lines = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8').split('\n');
  const listed = lines.flatMap((line, i) => {
    const m = /^(?:# )?([A-Z][A-Z0-9_]+)=/.exec(line);
    return m ? [{ name: m[1]!, comment: lines[i - 1] ?? '' }] : [];
  });

  it('lists every variable the app reads, and no other', () => {
    expect(listed.map((v) => v.name).sort()).toEqual(Object.keys(configSchema.shape).sort());
  });

  it('says in one comment line above each variable what it is for', () => {
    for (const { name, comment } of listed) {
      expect({ name, comment: /^# [A-Z].{10,}/.test(comment) && !/^# [A-Z][A-Z0-9_]+=/.test(comment) }).toEqual({
        name,
        comment: true,
      });
    }
  });
});
