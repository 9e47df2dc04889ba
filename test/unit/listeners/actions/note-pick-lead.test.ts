import { getLeadCard } from '../../../../src/domain/lead-card-data';
import { keepPendingNote } from '../../../../src/domain/pending-notes';
import { notePickLead } from '../../../../src/slack/listeners/actions/note-pick-lead';
import { refusalFor } from '../../../../src/slack/viewer';
import { ACTION_IDS } from '../../../../src/slack/views/action-ids';
import {
  buildNoteAlreadySaved,
  buildNoteExpired,
  buildNoteNotSaved,
  buildNoteSavedOn,
  pickLeadValue,
} from '../../../../src/slack/views/note-replies';
import {
  AM,
  AM2,
  blockAction,
  captureResponseUrls,
  type Fakes,
  fakes,
  type ListenerDeps,
  MANAGER,
  openListenerDeps,
  RESPONSE_URL,
  viewerOf,
} from '../../../support/listener-kit';
import { seedLead } from '../../../support/seed-leads';

captureResponseUrls();

let t: ListenerDeps;
let first: number;
let second: number;
beforeAll(async () => {
  t = await openListenerDeps();
  first = await seedLead(t.deps.db.prisma, { customerId: 'C1', name: 'Acme <Foods> & Co', ownerId: AM2 });
  second = await seedLead(t.deps.db.prisma, { customerId: 'C2', name: 'Acme Metals' });
});
afterAll(() => t.cleanup());

const prisma = () => t.deps.db.prisma;
const keep = (text: string, authorId = AM) => keepPendingNote(prisma(), t.deps.clock, { authorId, text });
const click = (f: Fakes, userId: string, value: string) =>
  notePickLead(t.deps)(blockAction(f, { userId, actionId: ACTION_IDS.notePickLead, value, from: 'message' }));
const notes = async (leadId: number) =>
  (await getLeadCard(prisma(), leadId, { notes: 10 })).recentNotes.map((n) => n.text);
/** What the button answered in the message it was on. */
const answered = (f: Fakes, message: { text: string; blocks?: unknown[] }, replace: boolean) =>
  expect(f.responseUrlPosts).toEqual([
    { url: RESPONSE_URL, body: { response_type: 'ephemeral', replace_original: replace, ...message } },
  ]);

it('saves the kept note on the lead picked, once: the message becomes the confirmation, a second click says it is saved already', async () => {
  const pending = await keep('Wants <b>samples</b> & prices');
  const f = fakes();
  await click(f, AM, pickLeadValue(pending.id, first));
  expect(f.calls[0]).toBe('ack');
  expect(await notes(first)).toEqual(['Wants <b>samples</b> & prices']);
  answered(f, buildNoteSavedOn({ name: 'Acme <Foods> & Co', company: null }), true);
  expect(f.responseUrlPosts[0]!.body.text).toBe('Note saved on *Acme &lt;Foods&gt; &amp; Co*.');
  // The Homes of the author and of the lead's owner show the touch.
  expect(f.client.views.publish.mock.calls.map((c) => c[0].user_id).sort()).toEqual([AM, AM2].sort());

  for (const leadId of [first, second]) {
    const again = fakes();
    await click(again, AM, pickLeadValue(pending.id, leadId));
    answered(again, buildNoteAlreadySaved({ name: 'Acme <Foods> & Co', company: null }), true);
  }
  expect(await notes(first)).toEqual(['Wants <b>samples</b> & prices']);
  expect(await notes(second)).toEqual([]);
});

it('two clicks at once save the note once', async () => {
  const pending = await keep('Only once');
  const [a, b] = [fakes(), fakes()];
  await Promise.all([click(a, AM, pickLeadValue(pending.id, first)), click(b, AM, pickLeadValue(pending.id, second))]);
  const saved = [...(await notes(first)), ...(await notes(second))].filter((n) => n === 'Only once');
  expect(saved).toHaveLength(1);
});

it('someone other than the author: refused, nothing saved, the text not shown', async () => {
  const pending = await keep('Private thoughts');
  const f = fakes();
  await click(f, AM2, pickLeadValue(pending.id, second));
  answered(f, { text: 'This note was written by someone else: only they can save it.' }, false);
  expect(await notes(second)).not.toContain('Private thoughts');
  expect(JSON.stringify(f.responseUrlPosts)).not.toContain('Private thoughts');
});

it('after 30 minutes: not saved, says so and gives the note back', async () => {
  const pending = await keep('Late & lost?');
  t.clock.advance(30 * 60_000);
  const f = fakes();
  await click(f, AM, pickLeadValue(pending.id, second));
  answered(f, buildNoteExpired('Late & lost?', 30), true);
  expect(JSON.stringify(f.responseUrlPosts[0]!.body.blocks)).toContain('Late &amp; lost?');
  expect(await notes(second)).not.toContain('Late & lost?');
});

it('a lead that is gone: not saved, the note given back and still kept for another button', async () => {
  const pending = await keep('Try another');
  const f = fakes();
  await click(f, AM, pickLeadValue(pending.id, 999_999));
  answered(
    f,
    buildNoteNotSaved('That lead no longer exists. Pick another lead above, or send the note again.', 'Try another'),
    false,
  );
  const retry = fakes();
  await click(retry, AM, pickLeadValue(pending.id, second));
  expect(await notes(second)).toContain('Try another');
});

it('the database fails: logged, the note still kept, the button works again', async () => {
  const pending = await keep('Survives a fault');
  const f = fakes();
  const error = jest.spyOn(t.deps.logger, 'error');
  const tx = jest.spyOn(prisma(), '$transaction').mockRejectedValueOnce(new Error('database is locked'));
  await click(f, AM, pickLeadValue(pending.id, second));
  tx.mockRestore();
  answered(
    f,
    { text: 'Sorry, saving the note failed. It has been logged; the note is still kept, so try the button again.' },
    false,
  );
  expect(error).toHaveBeenCalledWith(expect.objectContaining({ leadId: second }), 'saving a kept note failed');
  error.mockRestore();
  await click(fakes(), AM, pickLeadValue(pending.id, second));
  expect(await notes(second)).toContain('Survives a fault');
});

it('a manager cannot save notes; a forged value is ignored', async () => {
  const pending = await keep('From a manager', MANAGER);
  const f = fakes();
  await click(f, MANAGER, pickLeadValue(pending.id, second));
  answered(f, { text: refusalFor(viewerOf(MANAGER, 'manager'), 'edit')! }, false);
  const forged = fakes();
  await click(forged, AM, 'not-a-note:1');
  expect(forged.shown()).toEqual([]);
  expect(await notes(second)).not.toContain('From a manager');
});
