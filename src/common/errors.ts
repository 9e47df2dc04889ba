/**
 * An error whose message is written for the person who caused it: the Slack layer shows
 * `userMessage` (escaped) instead of a generic apology. `field` names the form input it
 * belongs to, when there is one. When `subjectUserId` is set, the message is said about that
 * person ("already owns this lead."): views put a mention of them in front, so no Slack
 * markup is written outside the Slack layer.
 */
export class UserFacingError extends Error {
  readonly userMessage: string;
  readonly field: string | undefined;
  readonly subjectUserId: string | undefined;

  constructor(
    userMessage: string,
    options: { field?: string; subjectUserId?: string; detail?: string; cause?: unknown } = {},
  ) {
    const said = options.subjectUserId ? `${options.subjectUserId} ${userMessage}` : userMessage;
    super(options.detail ?? said, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.userMessage = userMessage;
    this.field = options.field;
    this.subjectUserId = options.subjectUserId;
  }
}
