/**
 * Opens the follow-up modal for a lead (from the lead card, the Home tab overflow menu and
 * `/crm remind`). Returns a message to show the user instead when it cannot open.
 */
export { openNewFollowUpModal as openFollowUpModal } from './follow-ups/modal-flow';
