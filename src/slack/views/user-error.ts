import { escapeMrkdwn } from './mrkdwn';

/** The parts of a UserFacingError a view needs. */
export interface UserMessage {
  userMessage: string;
  subjectUserId?: string | undefined;
}

/** A user-facing error as mrkdwn: the message escaped, the person it is about mentioned. */
export function userErrorText(err: UserMessage): string {
  const text = escapeMrkdwn(err.userMessage);
  return err.subjectUserId ? `<@${err.subjectUserId}> ${text}` : text;
}

/** The same as plain text (modal field errors do not render mentions): the user id in front. */
export function userErrorPlain(err: UserMessage): string {
  return err.subjectUserId ? `${err.subjectUserId} ${err.userMessage}` : err.userMessage;
}
