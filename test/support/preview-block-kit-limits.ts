/**
 * A minimal check of Block Kit's main documented limits (docs.slack.dev Block Kit
 * reference: blocks, block elements, composition objects, views), for the previews.
 * Stands in until the fuller validator (test/support/block-kit-limits.ts, another branch)
 * is on main: it exports `checkView` and `checkMessage` under the same names and returns
 * the same shape, so switching is a change of import.
 */

export interface BlockKitProblem {
  pointer: string;
  message: string;
}

type Surface = 'home' | 'modal' | 'message';
type Obj = Record<string, any>;

const BLOCKS_MAX: Record<Surface, number> = { message: 50, modal: 100, home: 100 };
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

class Checker {
  readonly problems: BlockKitProblem[] = [];

  add(pointer: string, message: string): void {
    this.problems.push({ pointer, message });
  }

  length(value: unknown, pointer: string, max: number): void {
    if (value === undefined) return;
    if (typeof value !== 'string') return this.add(pointer, 'must be a string');
    if (value.length > max) this.add(pointer, `must be less than ${max + 1} characters`);
  }

  text(value: unknown, pointer: string, max: number, plainOnly = false): void {
    if (value === undefined) return;
    if (!isObj(value) || typeof value.text !== 'string') return this.add(pointer, 'must be a text object');
    if (value.type !== 'plain_text' && (plainOnly || value.type !== 'mrkdwn')) this.add(`${pointer}/type`, plainOnly ? 'must be plain_text' : 'must be plain_text or mrkdwn');
    if (value.text.length === 0) this.add(`${pointer}/text`, 'must be more than 0 characters');
    this.length(value.text, `${pointer}/text`, max);
  }

  options(list: unknown, pointer: string, min: number, max: number): void {
    if (list === undefined) return;
    if (!Array.isArray(list)) return this.add(pointer, 'must be an array');
    if (list.length < min || list.length > max) this.add(pointer, `must have ${min} to ${max} items`);
    list.forEach((o, i) => {
      this.text(o?.text, `${pointer}/${i}/text`, 75);
      this.length(o?.value, `${pointer}/${i}/value`, 150);
      this.text(o?.description, `${pointer}/${i}/description`, 75);
    });
  }

  element(el: unknown, pointer: string): void {
    if (!isObj(el)) return this.add(pointer, 'must be an element object');
    this.length(el.action_id, `${pointer}/action_id`, 255);
    this.text(el.placeholder, `${pointer}/placeholder`, 150, true);
    if (el.type === 'button') {
      this.text(el.text, `${pointer}/text`, 75, true);
      this.length(el.value, `${pointer}/value`, 2000);
      this.length(el.url, `${pointer}/url`, 3000);
    }
    if (el.type === 'overflow') this.options(el.options, `${pointer}/options`, 1, 5);
    if (el.type === 'static_select' || el.type === 'multi_static_select' || el.type === 'radio_buttons' || el.type === 'checkboxes') {
      this.options(el.options, `${pointer}/options`, 1, el.type.endsWith('select') ? 100 : 10);
    }
    if (el.type === 'plain_text_input') this.length(el.initial_value, `${pointer}/initial_value`, 3000);
    if (isObj(el.confirm)) {
      this.text(el.confirm.title, `${pointer}/confirm/title`, 100, true);
      this.text(el.confirm.text, `${pointer}/confirm/text`, 300);
      this.text(el.confirm.confirm, `${pointer}/confirm/confirm`, 30, true);
      this.text(el.confirm.deny, `${pointer}/confirm/deny`, 30, true);
    }
  }

  block(b: unknown, pointer: string): void {
    if (!isObj(b)) return this.add(pointer, 'must be a block object');
    this.length(b.block_id, `${pointer}/block_id`, 255);
    switch (b.type) {
      case 'section':
        if (b.text === undefined && b.fields === undefined) this.add(pointer, 'a section needs text or fields');
        this.text(b.text, `${pointer}/text`, 3000);
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields) || b.fields.length > 10) this.add(`${pointer}/fields`, 'at most 10 fields');
          (b.fields ?? []).forEach((f: unknown, i: number) => this.text(f, `${pointer}/fields/${i}`, 2000));
        }
        if (b.accessory !== undefined) this.element(b.accessory, `${pointer}/accessory`);
        break;
      case 'header':
        this.text(b.text, `${pointer}/text`, 150, true);
        break;
      case 'context':
        if (!Array.isArray(b.elements) || b.elements.length < 1 || b.elements.length > 10) this.add(`${pointer}/elements`, 'must have 1 to 10 elements');
        (b.elements ?? []).forEach((e: Obj, i: number) => (e?.type === 'image' ? this.length(e.alt_text, `${pointer}/elements/${i}/alt_text`, 2000) : this.text(e, `${pointer}/elements/${i}`, 3000)));
        break;
      case 'actions':
        if (!Array.isArray(b.elements) || b.elements.length < 1 || b.elements.length > 25) this.add(`${pointer}/elements`, 'must have 1 to 25 elements');
        (b.elements ?? []).forEach((e: unknown, i: number) => this.element(e, `${pointer}/elements/${i}`));
        break;
      case 'input':
        this.text(b.label, `${pointer}/label`, 2000, true);
        this.text(b.hint, `${pointer}/hint`, 2000, true);
        this.element(b.element, `${pointer}/element`);
        break;
      case 'divider':
        break;
      case 'image':
        this.length(b.alt_text, `${pointer}/alt_text`, 2000);
        this.length(b.image_url, `${pointer}/image_url`, 3000);
        break;
      default:
        this.add(`${pointer}/type`, `${String(b.type)} is not a block type this check knows`);
    }
  }

  blocks(list: unknown, surface: Surface, pointer: string): void {
    if (!Array.isArray(list)) return this.add(pointer, 'must be an array');
    if (list.length > BLOCKS_MAX[surface]) this.add(pointer, `no more than ${BLOCKS_MAX[surface]} items allowed`);
    const ids = new Set<string>();
    list.forEach((b, i) => {
      this.block(b, `${pointer}/${i}`);
      if (isObj(b) && typeof b.block_id === 'string') {
        if (ids.has(b.block_id)) this.add(`${pointer}/${i}/block_id`, 'duplicate block_id');
        ids.add(b.block_id);
      }
    });
  }
}

/** A Home or modal view object. */
export function checkView(view: unknown, pointer = '/view'): BlockKitProblem[] {
  const c = new Checker();
  if (!isObj(view) || (view.type !== 'home' && view.type !== 'modal')) {
    c.add(`${pointer}/type`, 'must be home or modal');
    return c.problems;
  }
  if (view.type === 'modal') {
    c.text(view.title, `${pointer}/title`, 24, true);
    c.text(view.submit, `${pointer}/submit`, 24, true);
    c.text(view.close, `${pointer}/close`, 24, true);
    if (view.title === undefined) c.add(pointer, 'missing required field: title');
  }
  c.length(view.callback_id, `${pointer}/callback_id`, 255);
  c.length(view.private_metadata, `${pointer}/private_metadata`, 3000);
  c.blocks(view.blocks, view.type, `${pointer}/blocks`);
  return c.problems;
}

/** A message's blocks (`{ blocks: [...] }`). */
export function checkMessage(message: { blocks?: unknown }): BlockKitProblem[] {
  const c = new Checker();
  c.blocks(message.blocks, 'message', '/blocks');
  return c.problems;
}
