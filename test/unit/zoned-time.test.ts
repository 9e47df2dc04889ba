import { formatLocalDateOf, localDateTimeOf, localDayBounds, zonedToInstant } from '../../src/common/zoned-time';

/** What Intl itself says a wall clock in `timeZone` shows at `ms`: the reference. */
const references = new Map<string, Intl.DateTimeFormat>();
function intlWallClock(ms: number, timeZone: string): string {
  const f =
    references.get(timeZone) ??
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  references.set(timeZone, f);
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

function ours(ms: number, timeZone: string): string {
  const { minutes, seconds } = localDateTimeOf(ms, timeZone);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${formatLocalDateOf(new Date(ms), timeZone)} ${hh}:${mm}:${String(seconds).padStart(2, '0')}`;
}

// Zones with whole-hour, half-hour and 45-minute offsets, DST in either hemisphere, a
// 30-minute DST step (Lord Howe), a two-hour one (Troll) and a DST suspended for Ramadan
// (Casablanca).
const ZONES = [
  'UTC',
  'America/New_York',
  'America/St_Johns',
  'Europe/London',
  'Africa/Casablanca',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Antarctica/Troll',
];

describe('the wall clock of a zone at an instant', () => {
  it.each(ZONES)('is what Intl says in %s, every 97 minutes and some seconds over two years', (zone) => {
    const from = Date.UTC(2025, 0, 1);
    const to = Date.UTC(2027, 0, 1);
    const wrong: string[] = [];
    for (let ms = from, i = 0; ms < to; ms += 97 * 60_000 + (i++ % 60) * 1000 + 123) {
      if (ours(ms, zone) !== intlWallClock(ms, zone)) wrong.push(new Date(ms).toISOString());
    }
    expect(wrong).toEqual([]);
  });

  it.each(ZONES)('is what Intl says in %s on every second around its clock changes', (zone) => {
    const wrong: string[] = [];
    // Every hour of two years whose first and last second differ in offset holds a change.
    for (let hour = Date.UTC(2025, 0, 1); hour < Date.UTC(2027, 0, 1); hour += 3_600_000) {
      const start = Date.parse(`${intlWallClock(hour, zone).replace(' ', 'T')}Z`) - hour;
      const end = Date.parse(`${intlWallClock(hour + 3_599_000, zone).replace(' ', 'T')}Z`) - hour - 3_599_000;
      if (start === end) continue;
      for (let ms = hour - 60_000; ms < hour + 3_660_000; ms += 1000) {
        if (ours(ms, zone) !== intlWallClock(ms, zone)) wrong.push(new Date(ms).toISOString());
      }
    }
    expect(wrong).toEqual([]);
  });

  it('is the same for a Date and its milliseconds, before 1970 too', () => {
    const at = Date.UTC(1969, 6, 20, 20, 17, 40, 500);
    expect(localDateTimeOf(new Date(at), 'America/Chicago')).toEqual(localDateTimeOf(at, 'America/Chicago'));
    expect(ours(at, 'America/Chicago')).toBe(intlWallClock(at, 'America/Chicago'));
  });

  it('refuses an invalid instant as Intl does', () => {
    expect(() => localDateTimeOf(Number.NaN, 'Europe/London')).toThrow(RangeError);
  });
});

describe('the bounds of a local day', () => {
  it.each(['America/New_York', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kathmandu'])(
    'are the same asked in any order, every 17 minutes over a year, in %s',
    (zone) => {
      const fresh = (at: number) => {
        const day = localDateTimeOf(at, zone).day;
        return [day, zonedToInstant(day, 0, zone).getTime(), zonedToInstant(day + 1, 0, zone).getTime()];
      };
      const wrong: string[] = [];
      const instants: number[] = [];
      for (let at = Date.UTC(2026, 0, 1); at < Date.UTC(2027, 0, 1); at += 17 * 60_000) instants.push(at);
      // Forwards, then jumping about (a day back, a month on) as opens in different zones and days do.
      const order = [...instants, ...instants.map((_, i) => instants[(i * 7919) % instants.length]!)];
      for (const at of order) {
        const b = localDayBounds(new Date(at), zone);
        const [day, start, end] = fresh(at);
        if (b.day !== day || b.start.getTime() !== start || b.end.getTime() !== end)
          wrong.push(new Date(at).toISOString());
        if (at < b.start.getTime() || at >= b.end.getTime()) wrong.push(`outside ${new Date(at).toISOString()}`);
      }
      expect(wrong).toEqual([]);
    },
  );
});
