import type { TestApp } from './harness';

/** Helpers for lead-workflow e2e tests: what the user sees, as text. */

export const ADMIN = 'U0ADMIN01';
export const MANAGER = 'U0MANAGER1';
export const AM = 'U0AMANAGE1';
export const AM2 = 'U0AMANAGE2';
export const GUEST = 'U0GUEST01';
export const STRANGER = 'U0STRANGE1';

export const ROSTER_ENV = {
  CRM_ADMINS: ADMIN,
  CRM_MANAGERS: MANAGER,
  CRM_ACCOUNT_MANAGERS: `${AM},${AM2},${GUEST}`,
};

export function addRosterUsers(t: TestApp): void {
  for (const id of [ADMIN, MANAGER, AM, AM2, STRANGER]) t.slack.addUser({ id });
  t.slack.addUser({ id: GUEST, is_restricted: true });
}

/** Every piece of text in a message or view, joined: what a reader would see. */
export function visibleText(payload: any): string {
  const out: string[] = [];
  const walk = (node: any) => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node.text === 'string') out.push(node.text);
    for (const [k, v] of Object.entries(node)) if (k !== 'text' || typeof v === 'object') walk(v);
  };
  walk(payload);
  return out.join('\n');
}

/** Runs `/crm <text>` and returns the response_url message it produced. */
export async function crm(t: TestApp, userId: string, text: string): Promise<any> {
  const before = t.slack.responses.length;
  const res = await t.driver.crm(userId, text);
  if (res.status !== 200) throw new Error(`/crm answered HTTP ${res.status}`);
  const responses = await t.slack.waitForResponse(before + 1);
  return responses[before]!.body;
}

/** All interactive elements' action ids in blocks. */
export function actionIds(blocks: any[]): string[] {
  const ids: string[] = [];
  const walk = (node: any) => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node.action_id === 'string') ids.push(node.action_id);
    Object.values(node).forEach(walk);
  };
  walk(blocks);
  return ids;
}
