import { hiddenLinkHost } from '../../src/slack/views/link-host';
import { noteToMrkdwn } from '../../src/slack/views/slack-text';

describe('hiddenLinkHost: the real host of a link whose label names another address', () => {
  it.each([
    ['https://evil.example/login', 'https://bank.example/login', 'evil.example'],
    ['https://evil.example/login', 'bank.example/login', 'evil.example'],
    ['https://evil.example', 'www.bank.example', 'evil.example'],
    ['https://evil.example', 'BANK.EXAMPLE', 'evil.example'],
    ['http://bank.example.evil.example/', 'bank.example', 'bank.example.evil.example'],
    ['https://bank.example@evil.example/', 'https://bank.example', 'evil.example'],
    ['https://evil.example:8443/', 'bank.example:8443', 'evil.example'],
  ])('%s labelled %j shows %j', (target, label, host) => {
    expect(hiddenLinkHost(target, label)).toBe(host);
  });

  it('shows a lookalike host in its punycode form, whichever side the lookalike is on', () => {
    // "bаnk" with a Cyrillic а (U+0430) looks like "bank".
    expect(hiddenLinkHost('https://b\u0430nk.example/login', 'https://bank.example/login')).toBe('xn--bnk-6cd.example');
    expect(hiddenLinkHost('https://xn--bnk-6cd.example/', 'bank.example')).toBe('xn--bnk-6cd.example');
    expect(hiddenLinkHost('https://bank.example/', 'b\u0430nk.example')).toBe('bank.example');
  });

  it('says nothing when the label names the target host, in any spelling of it', () => {
    expect(hiddenLinkHost('https://bank.example/login', 'https://bank.example/login')).toBeUndefined();
    expect(hiddenLinkHost('https://bank.example/login', 'bank.example')).toBeUndefined();
    expect(hiddenLinkHost('https://www.bank.example/', 'bank.example/offers')).toBeUndefined();
    expect(hiddenLinkHost('https://Bank.Example./', 'http://bank.example')).toBeUndefined();
    expect(hiddenLinkHost('https://xn--bnk-6cd.example/', 'b\u0430nk.example')).toBeUndefined();
  });

  it('says nothing for a label that is no address, or for no label', () => {
    expect(hiddenLinkHost('https://evil.example/', 'the deck')).toBeUndefined();
    expect(hiddenLinkHost('https://evil.example/', 'Q3 pricing v1.2')).toBeUndefined();
    expect(hiddenLinkHost('https://evil.example/', undefined)).toBeUndefined();
  });

  it('checks mailto links by the domain of the address', () => {
    expect(hiddenLinkHost('mailto:ana@evil.example', 'ana@bank.example')).toBe('evil.example');
    expect(hiddenLinkHost('mailto:ana@evil.example?subject=hi', 'mailto:ana@bank.example')).toBe('evil.example');
    expect(hiddenLinkHost('mailto:ana@bank.example', 'ana@bank.example')).toBeUndefined();
    expect(hiddenLinkHost('https://evil.example/form', 'ana@bank.example')).toBe('evil.example');
    expect(hiddenLinkHost('mailto:ana@evil.example', 'https://bank.example')).toBe('evil.example');
  });

  it('shows the whole tel: target when its label reads as an address', () => {
    expect(hiddenLinkHost('tel:+97140000000', 'bank.example')).toBe('tel:+97140000000');
    expect(hiddenLinkHost('tel:+97140000000', 'call us')).toBeUndefined();
  });
});

describe('a note with a link that lies about its address', () => {
  it('shows the real host beside the label, in the link text so that no cut can drop it', () => {
    expect(noteToMrkdwn('pay at <https://evil.example/login|https://bank.example/login> today')).toBe(
      'pay at <https://evil.example/login|https://bank.example/login (evil.example)> today',
    );
    expect(noteToMrkdwn('<https://xn--bnk-6cd.example/|bank.example>')).toBe(
      '<https://xn--bnk-6cd.example/|bank.example (xn--bnk-6cd.example)>',
    );
    expect(noteToMrkdwn('<mailto:ana@evil.example|ana@bank.example>')).toBe(
      '<mailto:ana@evil.example|ana@bank.example (evil.example)>',
    );
  });

  it('leaves honest links and plain labels as they were', () => {
    expect(noteToMrkdwn('<https://bank.example/login|bank.example>')).toBe('<https://bank.example/login|bank.example>');
    expect(noteToMrkdwn('<https://evil.example|the deck>')).toBe('<https://evil.example|the deck>');
    expect(noteToMrkdwn('<https://evil.example>')).toBe('<https://evil.example>');
  });
});
