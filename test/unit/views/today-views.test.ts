import { isKnownActionId } from '../../../src/slack/views/action-ids';
import {
  buildAgendaControls,
  buildTodayBlocks,
  buildTodayMessage,
  parseSuggestionValue,
  suggestionValue,
  TODAY_HOME_MAX_BLOCKS,
  TODAY_MESSAGE_MAX_BLOCKS,
  workdaysText,
} from '../../../src/slack/views/today-section';
import { checkBlocks, checkMessage } from '../../support/block-kit-limits';
import { actionIds, visibleText } from '../../support/lead-e2e';
import { brokenMrkdwn, mrkdwnTexts } from '../../support/mrkdwn-audit';
import { todayData } from '../../support/today-fixtures';

const options = (partial = {}) => ({
  viewerId: 'U0AM00001',
  canEdit: true,
  labels: {},
  maxBlocks: TODAY_MESSAGE_MAX_BLOCKS,
  title: 'Who to call today',
  ...partial,
});

describe('who to call today, as blocks', () => {
  it('lists follow-ups, lapsed accounts by value at risk, new customers and suggestions, each line with buttons', () => {
    const message = buildTodayMessage(todayData(), options());
    const text = visibleText(message);
    expect(text).toContain('3 follow-ups · 3 accounts overdue or at risk ($770.43) · 3 new customers not contacted');
    expect(text).toContain('$256.82 at risk (a usual order)');
    expect(text).toContain('expected 2026-10-01');
    expect(text).toContain('Trial Order → Active Account?');
    expect(text).toContain(':warning: overdue since 2026-11-25');
    // Due at 05:00 UTC is 09:00 in Dubai, the reader's zone.
    expect(text).toContain('due today at 09:00');
    expect(text).toContain('unowned: yours to take');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<!here>');
    const ids = actionIds(message.blocks!);
    expect(ids).toEqual(
      expect.arrayContaining([
        'today_open_lead',
        'open_note_modal',
        'open_follow_up_modal',
        'assign_to_me',
        'suggestion_accept',
        'suggestion_dismiss',
      ]),
    );
    expect(ids.every(isKnownActionId)).toBe(true);
    expect(checkMessage(message)).toEqual([]);
  });

  it('a reader who cannot change leads gets only "Open lead"', () => {
    const ids = new Set(actionIds(buildTodayBlocks(todayData(), options({ canEdit: false }))));
    expect([...ids]).toEqual(['today_open_lead']);
  });

  it('stays within its budget whatever the data, counting what it leaves out', () => {
    const many = todayData({}, 60);
    const data = {
      ...many,
      followUps: { ...many.followUps, total: 1_500 },
      accounts: { ...many.accounts, total: 12_345 },
    };
    for (const maxBlocks of [TODAY_HOME_MAX_BLOCKS, TODAY_MESSAGE_MAX_BLOCKS]) {
      const blocks = buildTodayBlocks(data, options({ maxBlocks }));
      expect(blocks.length).toBeLessThanOrEqual(maxBlocks);
      expect(checkBlocks(blocks, 'home')).toEqual([]);
      const ids = blocks.map((b) => b.block_id).filter(Boolean);
      expect(new Set(ids).size).toBe(ids.length);
      expect(visibleText({ blocks })).toMatch(/\d+ of 12,345 shown/);
      expect(
        mrkdwnTexts(blocks)
          .map(brokenMrkdwn)
          .filter((p) => p !== null),
      ).toEqual([]);
    }
  });

  it('says when the rhythm is unknown, and that there is nothing to chase', () => {
    const empty = todayData({}, 0);
    const text = visibleText({ blocks: buildTodayBlocks({ ...empty, rhythmKnown: false }, options()) });
    expect(text).toContain('Order rhythm unknown');
    expect(text).toContain('first_order_at');
    expect(text).toContain('Nothing to chase today');
  });

  it('groups the team view by owner, unowned apart, within the budget', () => {
    const data = todayData({ team: true }, 3);
    const blocks = buildTodayBlocks(data, options({ maxBlocks: TODAY_HOME_MAX_BLOCKS }));
    const owners = blocks.filter((b) => String(b.block_id).startsWith('today_owner:')).map((b) => b.block_id);
    expect(owners).toEqual(['today_owner:U0AM00001', 'today_owner:unowned']);
    expect(visibleText({ blocks })).toContain('<@U0AM00001>: 3 follow-ups · 3 accounts at risk ($770.43)');
    expect(blocks.length).toBeLessThanOrEqual(TODAY_HOME_MAX_BLOCKS);
  });

  it('reads back its suggestion values and refuses anything else', () => {
    const s = todayData().suggestions.items[0]!;
    expect(parseSuggestionValue(suggestionValue(s))).toEqual({ leadId: s.leadId, kind: 'repeat_order', facts: '2' });
    for (const bad of ['', '1:repeat_order', 'x:repeat_order:2', '1:Repeat-Order:2', '1:repeat_order:2:3'])
      expect(parseSuggestionValue(bad)).toBeNull();
  });

  it('the agenda setting on Home: time, zone, workdays, and the switch', () => {
    const on = buildAgendaControls({
      enabled: true,
      timeOfDay: null,
      teamTime: '08:30',
      workdays: [1, 2, 3, 4, 5],
      timeZone: 'Asia/Dubai',
    });
    expect(visibleText({ blocks: on })).toContain('at *08:30* (Asia/Dubai) on Mon–Fri (the team’s time)');
    expect(actionIds(on)).toEqual(['agenda_time', 'agenda_toggle']);
    expect(checkBlocks(on, 'home')).toEqual([]);
    const off = buildAgendaControls({
      enabled: false,
      timeOfDay: '07:15',
      teamTime: '08:30',
      workdays: [1, 3, 5],
      timeZone: 'UTC',
    });
    expect(visibleText({ blocks: off })).toContain('Morning agenda DM is *off*');
    expect(workdaysText([1, 3, 5])).toBe('Mon, Wed, Fri');
    expect(workdaysText([])).toMatch(/^no day/);
  });
});
