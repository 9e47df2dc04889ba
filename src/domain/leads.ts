import type { Clock } from '../clock';
import { UserFacingError } from '../common/errors';
import { MAX_CHURN_REASON_LENGTH, MAX_CONTACT_FIELD_LENGTH, MAX_NOTE_LENGTH } from '../common/limits';
import { isStageSlug, type StageLabels, type StageSlug, stageLabel } from '../common/stages';
import type { CrmPrisma, CrmTx } from '../db/client';
import { getRole } from './roster';
import { loadStageLabels } from './settings';

/**
 * Everything a person does to a lead: stage changes, notes, contact info, ownership and
 * logged touches. Each change writes one Activity row and bumps Lead.version in the same
 * transaction; updates that carry an expected version fail with StaleLeadError when the
 * lead changed meanwhile, so an old modal never overwrites newer data.
 */

/** Activity kinds written here (the sync writes `created`, follow-ups write `follow_up`). */
export type ActivityKind =
  | 'stage_change'
  | 'owner_change'
  | 'note'
  | 'contact_change'
  | 'touch'
  | 'follow_up'
  | 'suggestion_dismissed'
  | 'created';

export class LeadNotFoundError extends UserFacingError {
  constructor(readonly leadId: number) {
    super('That lead no longer exists.', { detail: `lead ${leadId} not found` });
    this.name = 'LeadNotFoundError';
  }
}

/** The lead changed since the user loaded it: nothing was written. */
export class StaleLeadError extends UserFacingError {
  constructor(
    readonly leadId: number,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(
      'Someone changed this lead after you opened this form, so nothing was saved. Close it and open it again to see the latest.',
      {
        detail: `lead ${leadId} is at version ${actualVersion}, expected ${expectedVersion}`,
      },
    );
    this.name = 'StaleLeadError';
  }
}

/** Input a person has to correct; `field` names the form field it belongs to. */
export type LeadField =
  | 'stage'
  | 'note'
  | 'churnReason'
  | 'contactName'
  | 'contactRole'
  | 'contactEmail'
  | 'contactPhone'
  | 'owner';

export class LeadValidationError extends UserFacingError {
  declare readonly field: LeadField;
  constructor(field: LeadField, userMessage: string, subjectUserId?: string) {
    super(userMessage, { field, ...(subjectUserId ? { subjectUserId } : {}) });
    this.name = 'LeadValidationError';
  }
}

export interface LeadContact {
  name: string | null;
  role: string | null;
  email: string | null;
  phone: string | null;
}

export interface ActivityEntry {
  id: number;
  kind: string;
  actorId: string | null;
  fromValue: string | null;
  toValue: string | null;
  text: string | null;
  permalink: string | null;
  createdAt: Date;
}

/** The Prisma `select` that reads an Activity row as an ActivityEntry. */
export const activityEntrySelect = {
  id: true,
  kind: true,
  actorId: true,
  fromValue: true,
  toValue: true,
  text: true,
  permalink: true,
  createdAt: true,
} as const satisfies Record<keyof ActivityEntry, true>;

/** The contact person stored in a Lead row's contact columns. */
export function contactOf(lead: {
  contactName: string | null;
  contactRole: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
}): LeadContact {
  return { name: lead.contactName, role: lead.contactRole, email: lead.contactEmail, phone: lead.contactPhone };
}

/** Who a lead is and where it stands: the fields every list, modal and message names it by. */
export interface LeadIdentity {
  leadId: number;
  customerId: string;
  name: string;
  company: string | null;
  stage: string;
  ownerId: string | null;
}

/** The minimum a modal needs about a lead: who it is and which version the user saw. */
export interface LeadSummary extends LeadIdentity {
  contact: LeadContact;
  version: number;
}

export async function getLeadSummary(prisma: CrmPrisma, leadId: number): Promise<LeadSummary> {
  const lead = await prisma.lead.findUnique({
    where: { id: leadId },
    include: { customer: { select: { name: true, company: true } } },
  });
  if (!lead) throw new LeadNotFoundError(leadId);
  return {
    leadId: lead.id,
    customerId: lead.customerId,
    name: lead.customer.name,
    company: lead.customer.company,
    stage: lead.stage,
    ownerId: lead.ownerId,
    contact: contactOf(lead),
    version: lead.version,
  };
}

/** Result of a change: the lead as it is now, and the owner before the change (for republishing Homes). */
export interface LeadChange {
  leadId: number;
  version: number;
  ownerId: string | null;
  previousOwnerId: string | null;
  activityId: number;
}

const leadBeforeSelect = {
  version: true,
  ownerId: true,
  stage: true,
  contactName: true,
  contactRole: true,
  contactEmail: true,
  contactPhone: true,
} as const;
type LeadBefore = {
  version: number;
  ownerId: string | null;
  stage: string;
  contactName: string | null;
  contactRole: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
};

/** Checks the lead before a change (throws to refuse it) and may give the activity's fromValue. */
type ChangeCheck = (lead: LeadBefore) => { fromValue?: string | null } | undefined;

interface ApplyArgs {
  leadId: number;
  /** Undefined: apply whatever the current version (appending a note never overwrites anything). */
  expectedVersion?: number;
  actorId: string;
  /** Lead columns to set besides version (and lastTouchAt for touches). */
  data: {
    stage?: string;
    ownerId?: string | null;
    contactName?: string | null;
    contactRole?: string | null;
    contactEmail?: string | null;
    contactPhone?: string | null;
  };
  activity: {
    kind: ActivityKind;
    fromValue?: string | null;
    toValue?: string | null;
    text?: string | null;
    permalink?: string | null;
    isTouch: boolean;
  };
}

/**
 * One change in one transaction: a conditional update (id and, when given, version) so two
 * concurrent writers cannot both win, then the Activity row.
 */
async function applyChange(prisma: CrmPrisma, clock: Clock, args: ApplyArgs, check?: ChangeCheck): Promise<LeadChange> {
  const now = clock.now();
  return prisma.$transaction((tx: CrmTx) => applyChangeIn(tx, now, args, check));
}

/** applyChange inside a transaction the caller runs (a change saved together with other writes). */
async function applyChangeIn(tx: CrmTx, now: Date, args: ApplyArgs, check?: ChangeCheck): Promise<LeadChange> {
  const before = await tx.lead.findUnique({ where: { id: args.leadId }, select: leadBeforeSelect });
  if (!before) throw new LeadNotFoundError(args.leadId);
  if (args.expectedVersion !== undefined && before.version !== args.expectedVersion) {
    throw new StaleLeadError(args.leadId, args.expectedVersion, before.version);
  }
  const fromValue = check?.(before)?.fromValue ?? args.activity.fromValue ?? null;
  const updated = await tx.lead.updateMany({
    where: { id: args.leadId, version: before.version },
    data: {
      ...args.data,
      version: { increment: 1 },
      ...(args.activity.isTouch ? { lastTouchAt: now } : {}),
      updatedAt: now,
    },
  });
  if (updated.count !== 1) {
    const current = await tx.lead.findUnique({ where: { id: args.leadId }, select: { version: true } });
    throw new StaleLeadError(args.leadId, args.expectedVersion ?? before.version, current?.version ?? before.version);
  }
  const activity = await tx.activity.create({
    data: {
      leadId: args.leadId,
      actorId: args.actorId,
      kind: args.activity.kind,
      fromValue,
      toValue: args.activity.toValue ?? null,
      text: args.activity.text ?? null,
      permalink: args.activity.permalink ?? null,
      isTouch: args.activity.isTouch,
      createdAt: now,
    },
  });
  const ownerId = args.data.ownerId !== undefined ? args.data.ownerId : before.ownerId;
  return {
    leadId: args.leadId,
    version: before.version + 1,
    ownerId,
    previousOwnerId: before.ownerId,
    activityId: activity.id,
  };
}

function cleanText(text: string | null | undefined): string {
  return (text ?? '').replace(/\r\n/g, '\n').trim();
}

export interface StageChangeInput {
  leadId: number;
  expectedVersion?: number;
  actorId: string;
  toStage: string;
  note?: string | null;
  /** Required when moving to churned. */
  churnReason?: string | null;
  /** The stage labels when the caller has them (a refusal names the stage); else read when needed. */
  labels?: StageLabels;
}

/**
 * Moves a lead to another stage. A move to any stage but `lead` is a human touch (see
 * "What contacted means" in docs/product.md). Moving to churned needs a reason.
 */
export async function changeStage(prisma: CrmPrisma, clock: Clock, input: StageChangeInput): Promise<LeadChange> {
  const toStage = input.toStage.trim();
  if (!isStageSlug(toStage)) throw new LeadValidationError('stage', `"${toStage}" is not a pipeline stage.`);
  const note = cleanText(input.note);
  const reason = cleanText(input.churnReason);
  if (note.length > MAX_NOTE_LENGTH)
    throw new LeadValidationError(
      'note',
      `The note is too long (${note.length} characters; at most ${MAX_NOTE_LENGTH}).`,
    );
  if (toStage === 'churned' && !reason)
    throw new LeadValidationError('churnReason', 'Moving a lead to Churned needs a reason.');
  if (reason.length > MAX_CHURN_REASON_LENGTH)
    throw new LeadValidationError(
      'churnReason',
      `The reason is too long (at most ${MAX_CHURN_REASON_LENGTH} characters).`,
    );
  const text =
    [toStage === 'churned' && reason ? `Churn reason: ${reason}` : null, note || null].filter(Boolean).join('\n') ||
    null;
  try {
    return await applyChange(
      prisma,
      clock,
      {
        leadId: input.leadId,
        expectedVersion: input.expectedVersion,
        actorId: input.actorId,
        data: { stage: toStage },
        activity: { kind: 'stage_change', toValue: toStage, text, isTouch: toStage !== 'lead' },
      },
      (lead) => {
        if (lead.stage === toStage) throw new AlreadyInStage();
        return { fromValue: lead.stage };
      },
    );
  } catch (err) {
    if (!(err instanceof AlreadyInStage)) throw err;
    // Worded with the stage's current name: the labels are read for this refusal only.
    const labels = input.labels ?? (await loadStageLabels(prisma));
    throw new LeadValidationError('stage', `The lead is already in ${stageLabel(toStage, labels)}.`);
  }
}

/** The lead is already in the stage asked for (nothing was written). */
class AlreadyInStage extends Error {}

export interface NoteInput {
  leadId: number;
  actorId: string;
  text: string;
  /** Link to the Slack message the note came from ("Log to CRM"). */
  permalink?: string | null;
  expectedVersion?: number;
}

/** The note as it would be saved (line ends normalised, trimmed); LeadValidationError when empty or too long. */
export function validateNoteText(text: string): string {
  const clean = cleanText(text);
  if (!clean) throw new LeadValidationError('note', 'The note is empty.');
  if (clean.length > MAX_NOTE_LENGTH)
    throw new LeadValidationError(
      'note',
      `The note is too long (${clean.length} characters; at most ${MAX_NOTE_LENGTH}).`,
    );
  return clean;
}

function noteChange(input: NoteInput): ApplyArgs {
  return {
    leadId: input.leadId,
    expectedVersion: input.expectedVersion,
    actorId: input.actorId,
    data: {},
    activity: { kind: 'note', text: validateNoteText(input.text), permalink: input.permalink ?? null, isTouch: true },
  };
}

/** Adds a note (a human touch). Appending never overwrites, so no version is needed. */
export async function addNote(prisma: CrmPrisma, clock: Clock, input: NoteInput): Promise<LeadChange> {
  return applyChange(prisma, clock, noteChange(input));
}

/** addNote inside the caller's transaction, so the note lands together with the caller's other writes. */
export async function addNoteIn(tx: CrmTx, now: Date, input: NoteInput): Promise<LeadChange> {
  return applyChangeIn(tx, now, noteChange(input));
}

// A practical e-mail check: one @, a dot in the domain, no spaces. Full RFC 5322 is not the point.
const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[A-Za-z]{2,}$/;
// Digits with the usual separators; 6 to 20 digits in all.
const PHONE_RE = /^\+?[0-9 ().\-/]+$/;

export interface ContactInput {
  leadId: number;
  expectedVersion?: number;
  actorId: string;
  contact: { name?: string | null; role?: string | null; email?: string | null; phone?: string | null };
}

/** Validates contact fields; returns the cleaned values (empty = null). Throws LeadValidationError. */
export function validateContact(contact: ContactInput['contact']): LeadContact {
  const clean = (v: string | null | undefined) => cleanText(v) || null;
  const out: LeadContact = {
    name: clean(contact.name),
    role: clean(contact.role),
    email: clean(contact.email),
    phone: clean(contact.phone),
  };
  const fields = [
    ['contactName', out.name],
    ['contactRole', out.role],
    ['contactEmail', out.email],
    ['contactPhone', out.phone],
  ] as const;
  for (const [field, value] of fields) {
    if (value && value.length > MAX_CONTACT_FIELD_LENGTH)
      throw new LeadValidationError(field, `Too long (at most ${MAX_CONTACT_FIELD_LENGTH} characters).`);
  }
  if (out.email && !EMAIL_RE.test(out.email))
    throw new LeadValidationError('contactEmail', 'That is not a valid e-mail address, e.g. jane@acme.com.');
  if (out.phone) {
    const digits = out.phone.replace(/\D/g, '').length;
    if (!PHONE_RE.test(out.phone) || digits < 6 || digits > 20) {
      throw new LeadValidationError('contactPhone', 'That is not a valid phone number, e.g. +971 4 123 4567.');
    }
  }
  return out;
}

const describeContact = (c: LeadContact) => [c.name, c.role, c.email, c.phone].filter(Boolean).join(' · ') || null;

/** Sets the lead's contact person. Not a touch: editing details is not contacting the customer. */
export async function updateContact(prisma: CrmPrisma, clock: Clock, input: ContactInput): Promise<LeadChange> {
  const next = validateContact(input.contact);
  return applyChange(
    prisma,
    clock,
    {
      leadId: input.leadId,
      expectedVersion: input.expectedVersion,
      actorId: input.actorId,
      data: { contactName: next.name, contactRole: next.role, contactEmail: next.email, contactPhone: next.phone },
      activity: { kind: 'contact_change', toValue: describeContact(next), isTouch: false },
    },
    (lead) => ({ fromValue: describeContact(contactOf(lead)) }),
  );
}

export interface OwnerInput {
  leadId: number;
  expectedVersion?: number;
  actorId: string;
  /** Null: unassign. */
  ownerId: string | null;
  /** Refuse when the lead already has another owner (for "Assign to me" from an old card). */
  onlyIfUnownedOrMine?: boolean;
}

/** Gives the lead an owner, who must be on the roster. Not a touch. */
export async function changeOwner(prisma: CrmPrisma, clock: Clock, input: OwnerInput): Promise<LeadChange> {
  if (input.ownerId !== null && (await getRole(prisma, input.ownerId)) === null) {
    throw new LeadValidationError(
      'owner',
      'That person is not on the CRM roster, so cannot own leads. Ask a CRM admin to add them first.',
    );
  }
  return applyChange(
    prisma,
    clock,
    {
      leadId: input.leadId,
      expectedVersion: input.expectedVersion,
      actorId: input.actorId,
      data: { ownerId: input.ownerId },
      activity: { kind: 'owner_change', toValue: input.ownerId, isTouch: false },
    },
    (lead) => {
      if (lead.ownerId === input.ownerId) {
        throw new LeadValidationError(
          'owner',
          input.ownerId
            ? input.ownerId === input.actorId
              ? 'You already own this lead.'
              : 'They already own this lead.'
            : 'The lead has no owner already.',
        );
      }
      if (input.onlyIfUnownedOrMine && lead.ownerId !== null && lead.ownerId !== input.ownerId) {
        throw new LeadValidationError(
          'owner',
          'already owns this lead. Use "Change owner" to take it over.',
          lead.ownerId,
        );
      }
      return { fromValue: lead.ownerId };
    },
  );
}

/** Slack user ids whose Home tab shows this lead differently after a change. */
export function homesToRepublish(actorId: string, change: Pick<LeadChange, 'ownerId' | 'previousOwnerId'>): string[] {
  return [...new Set([actorId, change.ownerId, change.previousOwnerId].filter((id): id is string => Boolean(id)))];
}

export type { StageSlug };
