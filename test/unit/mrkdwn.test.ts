import { cutMrkdwn, escapeAndCut, escapeMrkdwn, fitList, truncate } from '../../src/slack/views/mrkdwn';

/** Every `&` starts an entity and every `<` closes with `>`: nothing was split. */
function wellFormed(mrkdwn: string): boolean {
  const withoutAtoms = mrkdwn.replace(/&(?:amp|lt|gt);|<[^<>\n]*>/g, '');
  return !/[&<>]/.test(withoutAtoms);
}

describe('escape, then cut', () => {
  it('applies the limit to the escaped text', () => {
    const name = '&'.repeat(100);
    const cut = escapeAndCut(name, 75);
    expect(cut.length).toBeLessThanOrEqual(75);
    expect(cut).toBe(`${'&amp;'.repeat(14)}…`);
    // Cutting first and escaping after would have sent 5 times the limit.
    expect(escapeMrkdwn(truncate(name, 75)).length).toBeGreaterThan(300);
  });

  it('never splits an entity, a mention, a link or a date', () => {
    const text = `Q&A with <@U0AMANAGE1> on <!date^1795597200^{date_short}|2026-11-25>, see <https://example.com/deck?a=1&amp;b=2|the deck> &lt;draft&gt;`;
    const escaped = text.replace(/&(?!amp;|lt;|gt;)/g, '&amp;');
    for (let max = 1; max <= escaped.length; max++) {
      const cut = cutMrkdwn(escaped, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(wellFormed(cut)).toBe(true);
    }
  });

  it('cuts after a whole line when that keeps at least half of the room', () => {
    const text = ['first line', 'second line', 'third line that is long'].join('\n');
    expect(cutMrkdwn(text, 30)).toBe('first line\nsecond line\n…');
    expect(cutMrkdwn(`short\n${'x'.repeat(40)}`, 30)).toBe(`short\n${'x'.repeat(23)}…`);
  });

  it('leaves text within the limit alone, and never splits an emoji', () => {
    expect(cutMrkdwn('a &amp; b', 9)).toBe('a &amp; b');
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(cutMrkdwn('ab😀cd', 4)).toBe('ab…');
  });
});

describe('fitList', () => {
  const lines = Array.from({ length: 30 }, (_, i) => `• Customer ${i} &amp; Sons · <@U0AM0000${i % 10}>`);

  it('keeps whole entries and says how many it left out', () => {
    const text = fitList({ head: '*Leads*', lines }, 400);
    expect(text.length).toBeLessThanOrEqual(400);
    const shown = text.split('\n').filter((l) => l.startsWith('•'));
    expect(shown.length).toBeGreaterThan(3);
    expect(lines.slice(0, shown.length)).toEqual(shown);
    expect(text.endsWith(`_…and ${30 - shown.length} more_`)).toBe(true);
    expect(text.startsWith('*Leads*\n')).toBe(true);
  });

  it('counts entries beyond the lines given (total), and uses the caller’s wording', () => {
    expect(fitList({ lines: ['• a', '• b'], total: 12, more: (n) => `_${n} older orders in the totals_` }, 3000)).toBe(
      '• a\n• b\n_10 older orders in the totals_',
    );
    expect(fitList({ lines: ['• a', '• b'] }, 3000)).toBe('• a\n• b');
  });

  it('cuts a single entry too long on its own, at a safe place', () => {
    const long = `• ${'&amp;'.repeat(100)}`;
    const text = fitList({ lines: [long, '• next'] }, 60);
    expect(text.length).toBeLessThanOrEqual(60);
    expect(wellFormed(text)).toBe(true);
    expect(text.endsWith('_…and 1 more_')).toBe(true);
  });
});
