import { ACTION_IDS } from '../../src/slack/views/action-ids';
import { collectActionIds, unknownActionIdsSentTo } from '../support/action-id-audit';
import { FakeSlack } from '../support/fake-slack';
import { brokenMrkdwn, brokenMrkdwnSentTo } from '../support/mrkdwn-audit';

describe('the action id audit the e2e harness runs', () => {
  it('finds action ids nested anywhere in a payload', () => {
    const ids = collectActionIds({
      view: {
        blocks: [
          {
            type: 'actions',
            elements: [
              { type: 'button', action_id: 'a' },
              { type: 'overflow', action_id: 'b' },
            ],
          },
          { type: 'input', element: { action_id: 'c' } },
        ],
      },
    });
    expect([...ids].sort()).toEqual(['a', 'b', 'c']);
  });

  it('flags an id the app sent that ACTION_IDS does not list, and passes known ones', () => {
    const slack = new FakeSlack();
    slack.sent.push({
      view: {
        blocks: [
          {
            type: 'actions',
            elements: [
              { type: 'button', action_id: ACTION_IDS.homeRefresh },
              { type: 'button', action_id: 'made_up_button' },
            ],
          },
        ],
      },
    });
    expect(unknownActionIdsSentTo(slack)).toEqual(['made_up_button']);
  });
});

describe('the mrkdwn audit the e2e harness runs', () => {
  it('flags a cut through an entity or a mention, and passes whole ones and quotes', () => {
    expect(
      brokenMrkdwn('Q&amp;A with <@U123> on <!date^1795597200^{date_short}|2026-11-25>\n>quoted &lt;b&gt;'),
    ).toBeNull();
    expect(brokenMrkdwn('Q&am…')).toMatch(/stray "&"/);
    expect(brokenMrkdwn('owner <@U12…')).toMatch(/stray "<"/);
    expect(brokenMrkdwn('a <!date^179559…')).toMatch(/stray "<"/);
  });

  it('looks at every mrkdwn text the app sent, including before a reset', () => {
    const slack = new FakeSlack();
    slack.sent.push({
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Q&am…' } },
        { type: 'header', text: { type: 'plain_text', text: 'A & B' } },
      ],
    });
    slack.reset();
    expect(brokenMrkdwnSentTo(slack)).toHaveLength(1);
  });
});
