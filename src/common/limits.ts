/** Longest texts the forms accept (Slack's input limits leave room for the rest of a message). */
export const MAX_NOTE_LENGTH = 2900;
export const MAX_CHURN_REASON_LENGTH = 500;
export const MAX_CONTACT_FIELD_LENGTH = 150;
export const MAX_FOLLOW_UP_MESSAGE_LENGTH = 1000;
