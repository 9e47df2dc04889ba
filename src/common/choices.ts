/** Fixed sets of choices the app offers, shared by the domain (validation) and the views (menus). */

/** How a follow-up repeats. */
export const FOLLOW_UP_KINDS = ['once', 'every_days', 'every_weeks', 'weekly', 'monthly'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

/** Whose leads the Home tab shows. */
export const OWNER_FILTERS = ['all', 'mine', 'unowned', 'uncontacted'] as const;
export type OwnerFilter = (typeof OWNER_FILTERS)[number];

/** The "uncontacted in N days" choices offered on Home (default 90). */
export const UNCONTACTED_DAY_CHOICES = [7, 14, 30, 60, 90, 120, 180, 365] as const;
