import { buildDemoWorld, type DemoWorld } from '../../src/preview/demo-world';
import { blockKitBuilderUrl, buildPreviews, type PreviewSet } from '../../src/preview/surfaces';
import { isKnownActionId } from '../../src/slack/views/action-ids';
import { ADMIN_SETTINGS } from '../../src/slack/views/admin-common';
import { collectActionIds } from '../support/action-id-audit';
// The fuller validator on another branch exports the same names: switch this import when it lands.
import { checkMessage, checkView } from '../support/block-kit-limits';
import { visibleText } from '../support/lead-e2e';

describe('npm run preview: every surface from the demo data', () => {
  let world: DemoWorld;
  let set: PreviewSet;
  beforeAll(async () => {
    world = await buildDemoWorld();
    set = await buildPreviews(world);
  });
  afterAll(async () => world?.close());

  const byName = (name: string) => {
    const p = set.previews.find((x) => x.name === name);
    if (!p) throw new Error(`no preview ${name}`);
    return p;
  };

  it('covers Home for each role and no access, the lead card, orders, every modal, the DM and the digest', () => {
    expect(set.previews.map((p) => p.name)).toEqual([
      'home-account-manager',
      'home-manager',
      'home-admin',
      'home-no-access',
      'lead-card',
      'order-history',
      'modal-stage-change',
      'modal-note',
      'modal-contact',
      'modal-owner',
      'modal-follow-up',
      ...ADMIN_SETTINGS.map((s) => `modal-admin_${s}`),
      'modal-log-to-crm',
      'message-follow-up-dm',
      'message-morning-agenda',
      'message-stage-suggestion',
      'message-digest',
    ]);
    for (const p of set.previews) {
      if (p.kind === 'message') expect(Object.keys(p.payload)).toEqual(['blocks']);
      else expect((p.payload as { type: string }).type).toBe(p.kind);
    }
  });

  it("every preview is within Block Kit's limits and uses only action ids the app handles", () => {
    for (const p of set.previews) {
      const problems = p.kind === 'message' ? checkMessage(p.payload as { blocks: unknown }) : checkView(p.payload);
      expect({ name: p.name, problems }).toEqual({ name: p.name, problems: [] });
      expect([...collectActionIds(p.payload)].filter((id) => !isKnownActionId(id))).toEqual([]);
    }
  });

  it('the limits check fails a surface that breaks them, so the test above can fail', () => {
    const tooMany = { blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) };
    expect(checkMessage(tooMany)).toEqual([{ pointer: '/blocks', message: 'no more than 50 items allowed' }]);
    const longTitle = {
      type: 'modal',
      title: { type: 'plain_text', text: 'A title much longer than Slack allows' },
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }],
    };
    expect(
      checkView(longTitle)
        .map((p) => p.pointer)
        .sort(),
    ).toEqual(['/view/blocks/0/text/text', '/view/title/text']);
    const overflow = {
      type: 'home',
      blocks: [{ type: 'actions', elements: [{ type: 'overflow', action_id: 'a', options: [] }] }],
    };
    expect(checkView(overflow).map((p) => p.pointer)).toEqual(['/view/blocks/0/elements/0/options']);
  });

  it('escapes the customer who tries to ping the channel, everywhere it appears', () => {
    const shown = set.previews.filter((p) => visibleText(p.payload).includes('Evil &amp; Co'));
    expect(shown.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        'home-account-manager',
        'lead-card',
        'order-history',
        'message-follow-up-dm',
        'message-digest',
      ]),
    );
    for (const p of set.previews) expect(visibleText(p.payload)).not.toContain('<!channel>');
  });

  it('shows the figures the domain computes: each rate used, and GBP marking the figure incomplete', () => {
    const orders = visibleText(byName('order-history').payload);
    // KWD 1,234.567 at 3.26 = $4,024.69; AED 18,450.00 - 1,200.00 at 0.2723 = $4,697.18.
    expect(orders).toContain('KWD 1,234.567 · $4,024.69');
    expect(orders).toContain('• AED 17,250.00 ($4,697.18) over 2 orders');
    expect(orders).toContain('*Total in USD: $8,721.87+ (incomplete: GBP not converted)*');
    expect(orders).toContain('USD at 1 AED = $0.2723 (2025-11-24) · 1 KWD = $3.2600 (2025-11-24).');
    const card = visibleText(byName('lead-card').payload);
    expect(card).toContain('$8,721.87+ (incomplete: GBP not converted)');
    expect(card).toContain('Lifetime value in USD at 1 AED = $0.2723 (2025-11-24) · 1 KWD = $3.2600 (2025-11-24)');
    expect(visibleText(byName('modal-admin_currency_rates').payload)).toContain(
      'Customers bought in GBP, which has no rate yet',
    );
    // The admin's SAR change of 2026-11-28 is in the digest's rate range.
    expect(visibleText(byName('message-digest').payload)).toContain(
      'USD figures at the currency rates of 2025-11-24 to 2026-11-28.',
    );
  });

  it('shows each role what the app would: edit buttons for account managers, none for managers, the Admin section for admins only', () => {
    const ids = (name: string) => [...collectActionIds(byName(name).payload)];
    expect(ids('home-account-manager')).toContain('lead_overflow');
    expect(ids('home-manager')).not.toContain('admin_open_setting');
    expect(ids('home-admin')).toContain('admin_open_setting');
    expect(ids('home-account-manager')).not.toContain('admin_open_setting');
    expect(visibleText(byName('home-admin').payload)).toContain('could not be posted to <#C0DEMODIG1>');
    expect(visibleText(byName('home-no-access').payload)).toContain('not on the CRM roster');
    expect(visibleText(byName('home-no-access').payload)).not.toContain('Evil');
  });

  it('draws the digest picture as a PNG with its alt text', () => {
    expect(set.digestPicture.png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(set.digestPicture.altText).toContain('Lead: 9 leads');
  });

  it('links to Block Kit Builder with the payload in the fragment', () => {
    const p = byName('modal-note');
    const url = blockKitBuilderUrl(p.payload);
    expect(url.startsWith('https://app.slack.com/block-kit-builder/#')).toBe(true);
    expect(JSON.parse(decodeURIComponent(url.split('#')[1]!))).toEqual(p.payload);
  });
});
