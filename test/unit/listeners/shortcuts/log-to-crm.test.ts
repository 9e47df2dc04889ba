import { logToCrmShortcut } from '../../../../src/slack/listeners/shortcuts/log-to-crm';
import { refusalFor } from '../../../../src/slack/viewer';
import { LOG_TO_CRM_SHORTCUT } from '../../../../src/slack/views/action-ids';
import { buildLogToCrmModal } from '../../../../src/slack/views/log-to-crm-modal';
import { buildNoticeModal } from '../../../../src/slack/views/notice-modal';
import {
  AM,
  type Fakes,
  fakes,
  GUEST,
  type ListenerDeps,
  MANAGER,
  openListenerDeps,
  STRANGER,
  TRIGGER_ID,
  viewerOf,
} from '../../../support/listener-kit';

let t: ListenerDeps;
beforeAll(async () => {
  t = await openListenerDeps();
});
afterAll(() => t.cleanup());

/** A message shortcut as Slack sends it. */
const shortcut = (f: Fakes, userId: string, text: unknown = 'They want 40 pallets by March') => {
  const s = {
    type: 'message_action',
    callback_id: LOG_TO_CRM_SHORTCUT,
    trigger_id: TRIGGER_ID,
    user: { id: userId },
    channel: { id: 'C0SALES01' },
    message_ts: '1700000000.000100',
    message: { type: 'message', ts: '1700000000.000100', text },
    response_url: 'https://hooks.slack.com/shortcut',
  };
  return {
    ack: f.ack,
    client: f.web,
    shortcut: s,
    body: s,
    payload: s,
    respond: f.respond,
    say: jest.fn(),
    next: jest.fn(),
    logger: console,
    context: {},
  } as any;
};

describe('logToCrmShortcut', () => {
  it('acks, then opens the modal the builder makes with the message as the note', async () => {
    const f = fakes();
    await logToCrmShortcut(t.deps)(shortcut(f, AM));
    expect(f.calls[0]).toBe('ack');
    expect(f.ack.mock.calls).toEqual([[]]);
    expect(f.client.views.open.mock.calls).toEqual([
      [
        {
          trigger_id: TRIGGER_ID,
          view: buildLogToCrmModal({
            text: 'They want 40 pallets by March',
            channelId: 'C0SALES01',
            messageTs: '1700000000.000100',
          }),
        },
      ],
    ]);
  });

  it('a message without text (a file, an attachment) opens with an empty note', async () => {
    const f = fakes();
    await logToCrmShortcut(t.deps)(shortcut(f, AM, null));
    expect(f.client.views.open).toHaveBeenCalledWith({
      trigger_id: TRIGGER_ID,
      view: buildLogToCrmModal({ text: '', channelId: 'C0SALES01', messageTs: '1700000000.000100' }),
    });
  });

  it.each([
    [MANAGER, refusalFor(viewerOf(MANAGER, 'manager'), 'edit')!],
    [GUEST, 'Sorry, the CRM is not available to guest accounts.'],
    [STRANGER, 'Sorry, you are not on the CRM roster yet. Ask a CRM admin to add you.'],
  ])('refuses %s in a notice modal', async (userId, refusal) => {
    const f = fakes();
    await logToCrmShortcut(t.deps)(shortcut(f, userId));
    expect(f.calls[0]).toBe('ack');
    expect(f.client.views.open.mock.calls).toEqual([
      [{ trigger_id: TRIGGER_ID, view: buildNoticeModal('Not allowed', refusal) }],
    ]);
  });
});
