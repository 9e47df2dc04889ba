import { decodeSlackText, noteToMrkdwn, parseSlackText } from '../../src/slack/views/slack-text';

describe('text from Slack, decoded once', () => {
  it('gives back what was typed: entities decoded, for searches', () => {
    expect(decodeSlackText('AT&amp;T')).toBe('AT&T');
    expect(decodeSlackText('&lt;b&gt;bold&lt;/b&gt; &amp;amp;')).toBe('<b>bold</b> &amp;');
    expect(decodeSlackText('plain')).toBe('plain');
  });

  it('reads markup as it reads in Slack, in plain mode', () => {
    expect(decodeSlackText('ask <@U123> or <@U456|ana> in <#C1|sales>')).toBe('ask @U123 or @ana in #sales');
    expect(
      decodeSlackText(
        'see <https://x.example/a?b=1&amp;c=2|Q&amp;A deck> or <https://x.example> or <mailto:a@b.example|a@b.example>',
      ),
    ).toBe('see Q&A deck or https://x.example or a@b.example');
    expect(decodeSlackText('<!here> <!subteam^S1|@sales-team> on <!date^1795597200^{date_short}|Nov 25>')).toBe(
      '@here @sales-team on Nov 25',
    );
  });

  it('keeps people, channels and links in Slack markup for notes, but never a ping', () => {
    const note = decodeSlackText(
      'asked <@U0AM1|ana> about Q&amp;A pricing, see <https://x.example/p?a=1&amp;b=2|the &lt;deck&gt;> in <#C1|sales> <!channel>',
      'note',
    );
    expect(note).toBe(
      'asked <@U0AM1> about Q&A pricing, see <https://x.example/p?a=1&amp;b=2|the &lt;deck&gt;> in <#C1|sales> @channel',
    );
  });

  it('shows a stored note with its mentions and links, everything else escaped', () => {
    const stored =
      'asked <@U0AM1> about Q&A pricing, see <https://x.example/p?a=1&amp;b=2|the &lt;deck&gt;> in <#C1|sales> @channel <!channel> <b>';
    expect(noteToMrkdwn(stored)).toBe(
      'asked <@U0AM1> about Q&amp;A pricing, see <https://x.example/p?a=1&amp;b=2|the &lt;deck&gt;> in <#C1|sales> @channel &lt;!channel&gt; &lt;b&gt;',
    );
    // Typed in a modal (not encoded by Slack): shown the same way.
    expect(noteToMrkdwn('see <https://x.example|A & B>')).toBe('see <https://x.example|A &amp; B>');
  });

  it('round-trips: Slack text decoded as a note and shown again is what Slack showed', () => {
    const fromSlack = 'Called <@U123> &amp; agreed a &lt;b&gt;trial&lt;/b&gt;, see <https://x.example|deck>';
    expect(noteToMrkdwn(decodeSlackText(fromSlack, 'note'))).toBe(fromSlack);
  });

  it('leaves angle brackets that are not Slack markup as text', () => {
    expect(parseSlackText('a <notmarkup> b')).toEqual([{ kind: 'text', text: 'a <notmarkup> b' }]);
  });
});
