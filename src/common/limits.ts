/** Longest texts the forms accept (Slack's input limits leave room for the rest of a message). */
export const MAX_NOTE_LENGTH = 2900;
export const MAX_CHURN_REASON_LENGTH = 500;
export const MAX_CONTACT_FIELD_LENGTH = 150;
export const MAX_FOLLOW_UP_MESSAGE_LENGTH = 1000;

/**
 * Longest search text (after runs of spaces fold into one): `/crm find`, the lead typeahead and
 * the customer named in `/crm lead`, `note`, `stage`, `orders`, `remind`. A longer text names
 * no customer better, and its cost (the pattern the index and SQLite's LIKE/GLOB match) grows
 * with it.
 */
export const MAX_SEARCH_LENGTH = 100;
