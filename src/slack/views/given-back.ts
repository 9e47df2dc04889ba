/**
 * Text a person typed that could not be saved, shown back to them to copy: in mrkdwn code
 * blocks (no formatting, mentions or links apply), escaped, over as many blocks as it needs
 * (a section's text holds at most 3,000 characters). Pure.
 */

/** Escaped characters a block may hold, leaving room for the fences. */
const BLOCK_BUDGET = 2_900;

export interface GivenBack {
  /** mrkdwn texts, one per section block. */
  texts: string[];
  /** Characters of the original shown (less than its length when it had to be cut). */
  shown: number;
}

/** What a character costs once escaped: `&` `<` `>` become entities; a backtick next to another gets a zero-width space. */
function cost(text: string, i: number): number {
  const c = text[i];
  if (c === '&') return 5;
  if (c === '<' || c === '>') return 4;
  if (c === '`' && text[i + 1] === '`') return 2;
  return 1;
}

function fence(piece: string): string {
  const escaped = piece.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // Three backticks would close the code block early: keep adjacent backticks apart.
  return `\`\`\`\n${escaped.replace(/`(?=`)/g, '`\u200b')}\n\`\`\``;
}

/** Where to end a piece that may not go past `limit`: after a line break, else after a space, else at `limit` (never inside a surrogate pair). */
function breakAt(text: string, start: number, limit: number): number {
  const window = text.slice(start, limit);
  const minimum = Math.floor(window.length / 2);
  const newline = window.lastIndexOf('\n');
  if (newline >= minimum) return start + newline + 1;
  const space = Math.max(window.lastIndexOf(' '), window.lastIndexOf('\t'));
  if (space >= minimum) return start + space + 1;
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}

/** `text` as code blocks, at most `maxBlocks` of them; cut at a safe boundary when it needs more. */
export function givenBack(text: string, maxBlocks: number): GivenBack {
  const texts: string[] = [];
  let start = 0;
  while (start < text.length && texts.length < maxBlocks) {
    let end = start;
    let spent = 0;
    while (end < text.length && spent + cost(text, end) <= BLOCK_BUDGET) spent += cost(text, end++);
    if (end < text.length) end = breakAt(text, start, end);
    texts.push(fence(text.slice(start, end)));
    start = end;
  }
  return { texts, shown: start };
}
