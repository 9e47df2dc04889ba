import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { UserFacingError } from '../common/errors';
import type { CrmPrisma, CrmTx } from '../db/client';
import { addNoteIn, type LeadChange, validateNoteText } from './leads';

/**
 * Notes waiting for their lead: `/crm note` with a customer that matched several leads keeps
 * the note here and offers one button per lead. A button carries only the id (a button value
 * holds at most 2,000 characters; a note up to MAX_NOTE_LENGTH). The note is saved once, by
 * its author, within PENDING_NOTE_TTL_MS.
 */

export const PENDING_NOTE_TTL_MS = 30 * 60_000;
/** Expired rows are kept this long, so a late click can still give the text back. */
const EXPIRED_KEPT_MS = 24 * 60 * 60_000;

export interface PendingNoteRef {
  id: string;
  expiresAt: Date;
}

/** Keeps `text` (validated as a note) for `authorId`; clears rows expired for more than a day. */
export async function keepPendingNote(
  prisma: CrmPrisma,
  clock: Clock,
  input: { authorId: string; text: string },
): Promise<PendingNoteRef> {
  const text = validateNoteText(input.text);
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + PENDING_NOTE_TTL_MS);
  await prisma.pendingNote.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - EXPIRED_KEPT_MS) } } });
  const row = await prisma.pendingNote.create({
    data: { id: randomUUID(), authorId: input.authorId, text, createdAt: now, expiresAt },
  });
  return { id: row.id, expiresAt };
}

export type PendingNoteOutcome =
  | { kind: 'saved'; change: LeadChange }
  /** No such note (never existed, or cleared a day after it expired). */
  | { kind: 'unknown' }
  | { kind: 'not_author' }
  | { kind: 'expired'; text: string }
  | { kind: 'already_saved'; leadId: number | null }
  /** The note could not go to that lead (it vanished, say): nothing saved, the note is still kept. */
  | { kind: 'refused'; error: UserFacingError; text: string };

/**
 * Saves a kept note on `leadId` for the person who clicked: only its author, only before it
 * expires, only once. The claim and the note are one transaction, so a failure leaves the note
 * kept (the button works again) and two clicks never save it twice.
 */
export async function savePendingNote(
  prisma: CrmPrisma,
  clock: Clock,
  input: { id: string; actorId: string; leadId: number },
): Promise<PendingNoteOutcome> {
  const now = clock.now();
  const pending = await prisma.pendingNote.findUnique({ where: { id: input.id } });
  if (!pending) return { kind: 'unknown' };
  if (pending.authorId !== input.actorId) return { kind: 'not_author' };
  if (pending.usedAt) return { kind: 'already_saved', leadId: pending.leadId };
  if (pending.expiresAt.getTime() <= now.getTime()) return { kind: 'expired', text: pending.text };
  try {
    return await prisma.$transaction(async (tx: CrmTx): Promise<PendingNoteOutcome> => {
      const claimed = await tx.pendingNote.updateMany({
        where: { id: input.id, usedAt: null },
        data: { usedAt: now, leadId: input.leadId },
      });
      if (claimed.count !== 1) {
        // Another click won the race: its transaction committed first.
        const winner = await tx.pendingNote.findUnique({ where: { id: input.id }, select: { leadId: true } });
        return { kind: 'already_saved', leadId: winner?.leadId ?? null };
      }
      const change = await addNoteIn(tx, now, { leadId: input.leadId, actorId: input.actorId, text: pending.text });
      return { kind: 'saved', change };
    });
  } catch (err) {
    if (err instanceof UserFacingError) return { kind: 'refused', error: err, text: pending.text };
    throw err;
  }
}
