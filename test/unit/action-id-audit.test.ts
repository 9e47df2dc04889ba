import { collectActionIds, unknownActionIdsSentTo } from '../support/action-id-audit';
import { ACTION_IDS } from '../../src/slack/views/action-ids';
import { FakeSlack } from '../support/fake-slack';

describe('the action id audit the e2e harness runs', () => {
  it('finds action ids nested anywhere in a payload', () => {
    const ids = collectActionIds({ view: { blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'a' }, { type: 'overflow', action_id: 'b' }] }, { type: 'input', element: { action_id: 'c' } }] } });
    expect([...ids].sort()).toEqual(['a', 'b', 'c']);
  });

  it('flags an id the app sent that ACTION_IDS does not list, and passes known ones', () => {
    const slack = new FakeSlack();
    slack.calls.push({ method: 'views.publish', args: { view: { blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: ACTION_IDS.homeRefresh }, { type: 'button', action_id: 'made_up_button' }] }] } }, contentType: 'application/json', authorization: undefined, at: 0 });
    expect(unknownActionIdsSentTo(slack)).toEqual(['made_up_button']);
  });
});
