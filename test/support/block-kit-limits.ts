/**
 * Block Kit's documented limits, checked the way Slack checks them: every problem comes back
 * with a JSON pointer into the payload, and `slackMessages` formats them as Slack's
 * `response_metadata.messages` (e.g. `[ERROR] must be less than 151 characters
 * [json-pointer:/view/blocks/0/text/text]`). Used by the fake Slack on every view and
 * message it receives, and usable on any built view or message (previews, unit tests).
 *
 * Sources: the Block Kit reference on docs.slack.dev (blocks, block elements, composition
 * objects, view objects) and the docstrings of @slack/types, which quote it. Where the two
 * differ the reference wins (option `value`: 150 characters in the reference, 75 in older
 * @slack/types docstrings). An overflow menu takes 1 to 5 options: the reference says "up
 * to five", and Slack has accepted a single option for years (python-slack-sdk issue 1218).
 */

export type Surface = 'home' | 'modal' | 'message';

export interface BlockKitProblem {
  /** JSON pointer into the request, e.g. `/view/blocks/2/accessory/options`. */
  pointer: string;
  message: string;
}

export const LIMITS = {
  /** Blocks per surface: 50 in a message, 100 in a modal or the Home tab. */
  blocks: { message: 50, modal: 100, home: 100 } as Record<Surface, number>,
  blockId: 255,
  actionId: 255,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  accessibilityLabel: 75,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  overflowOptions: { min: 1, max: 5 },
  selectOptions: 100,
  optionGroups: 100,
  optionGroupLabel: 75,
  choiceOptions: 10,
  placeholder: 150,
  inputLabel: 2000,
  inputHint: 2000,
  textInputLength: 3000,
  imageUrl: 3000,
  altText: 2000,
  imageTitle: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
  /** Any text object (mrkdwn or plain_text) where no tighter limit applies. */
  anyText: 3000,
} as const;

const BLOCK_TYPES = new Set([
  'section',
  'header',
  'divider',
  'context',
  'actions',
  'input',
  'image',
  'rich_text',
  'markdown',
  'video',
  'file',
  'table',
]);

const SELECTS = ['static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select'];
const MULTI_SELECTS = SELECTS.map((s) => `multi_${s}`);
const ACCESSORY_ELEMENTS = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'image',
  'overflow',
  'radio_buttons',
  'timepicker',
  'workflow_button',
  ...SELECTS,
  ...MULTI_SELECTS,
]);
const ACTIONS_ELEMENTS = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'overflow',
  'radio_buttons',
  'timepicker',
  'workflow_button',
  'rich_text_input',
  ...SELECTS,
  ...MULTI_SELECTS,
]);
const INPUT_ELEMENTS = new Set([
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'email_text_input',
  'file_input',
  'number_input',
  'plain_text_input',
  'radio_buttons',
  'rich_text_input',
  'timepicker',
  'url_text_input',
  ...SELECTS,
  ...MULTI_SELECTS,
]);

type Obj = Record<string, any>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

class Checker {
  readonly problems: BlockKitProblem[] = [];

  add(pointer: string, message: string): void {
    this.problems.push({ pointer, message });
  }

  required(obj: Obj, key: string, pointer: string): boolean {
    if (obj[key] === undefined || obj[key] === null) {
      this.add(pointer, `missing required field: ${key}`);
      return false;
    }
    return true;
  }

  /** An optional string field no longer than `max`. */
  string(value: unknown, pointer: string, max: number): void {
    if (value === undefined) return;
    if (typeof value !== 'string') {
      this.add(pointer, 'must be a string');
      return;
    }
    if (value.length > max) this.add(pointer, `must be less than ${max + 1} characters`);
  }

  /** A text object: `plain_text` (or `mrkdwn` when allowed) with 1 to `max` characters. */
  text(value: unknown, pointer: string, max: number, kinds: 'plain' | 'any' = 'any'): void {
    if (!isObj(value)) {
      this.add(pointer, 'must be a text object');
      return;
    }
    const allowed = kinds === 'plain' ? ['plain_text'] : ['plain_text', 'mrkdwn'];
    if (!allowed.includes(value.type)) this.add(`${pointer}/type`, `must be one of ${allowed.join(', ')}`);
    if (value.type === 'mrkdwn' && 'emoji' in value)
      this.add(`${pointer}/emoji`, 'emoji is only allowed on plain_text');
    if (typeof value.text !== 'string') {
      this.add(pointer, 'missing required field: text');
      return;
    }
    if (value.text.length === 0) this.add(`${pointer}/text`, 'must be more than 0 characters');
    if (value.text.length > max) this.add(`${pointer}/text`, `must be less than ${max + 1} characters`);
  }

  count(list: unknown, pointer: string, min: number, max: number): list is unknown[] {
    if (!Array.isArray(list)) {
      this.add(pointer, 'must be an array');
      return false;
    }
    if (list.length < min) this.add(pointer, `must provide at least ${min} items`);
    if (list.length > max) this.add(pointer, `no more than ${max} items allowed`);
    return true;
  }

  confirm(value: unknown, pointer: string): void {
    if (value === undefined) return;
    if (!isObj(value)) {
      this.add(pointer, 'must be a confirm object');
      return;
    }
    for (const key of ['title', 'text', 'confirm', 'deny']) this.required(value, key, pointer);
    if (value.title) this.text(value.title, `${pointer}/title`, LIMITS.confirmTitle, 'plain');
    if (value.text) this.text(value.text, `${pointer}/text`, LIMITS.confirmText);
    if (value.confirm) this.text(value.confirm, `${pointer}/confirm`, LIMITS.confirmButton, 'plain');
    if (value.deny) this.text(value.deny, `${pointer}/deny`, LIMITS.confirmButton, 'plain');
  }

  option(value: unknown, pointer: string, kinds: 'plain' | 'any' = 'plain', allowUrl = false): void {
    if (!isObj(value)) {
      this.add(pointer, 'must be an option object');
      return;
    }
    if (this.required(value, 'text', pointer)) this.text(value.text, `${pointer}/text`, LIMITS.optionText, kinds);
    if (this.required(value, 'value', pointer)) this.string(value.value, `${pointer}/value`, LIMITS.optionValue);
    if (value.description !== undefined)
      this.text(value.description, `${pointer}/description`, LIMITS.optionDescription, kinds);
    if (value.url !== undefined) {
      if (!allowUrl) this.add(`${pointer}/url`, 'url is only allowed on overflow menu options');
      this.string(value.url, `${pointer}/url`, LIMITS.url);
    }
  }

  /** Options of a select, overflow or the answer to a block_suggestion. */
  options(
    list: unknown,
    pointer: string,
    min: number,
    max: number,
    kinds: 'plain' | 'any' = 'plain',
    allowUrl = false,
  ): void {
    if (!this.count(list, pointer, min, max)) return;
    for (const [i, o] of (list as unknown[]).entries()) this.option(o, `${pointer}/${i}`, kinds, allowUrl);
  }

  element(el: unknown, pointer: string, allowed: Set<string>, where: string): void {
    if (!isObj(el)) {
      this.add(pointer, 'must be an element object');
      return;
    }
    if (!this.required(el, 'type', pointer)) return;
    if (!allowed.has(el.type)) {
      this.add(`${pointer}/type`, `${String(el.type)} is not allowed in ${where}`);
      return;
    }
    this.string(el.action_id, `${pointer}/action_id`, LIMITS.actionId);
    this.confirm(el.confirm, `${pointer}/confirm`);
    if (el.placeholder !== undefined) this.text(el.placeholder, `${pointer}/placeholder`, LIMITS.placeholder, 'plain');
    switch (el.type) {
      case 'button':
      case 'workflow_button':
        if (this.required(el, 'text', pointer)) this.text(el.text, `${pointer}/text`, LIMITS.buttonText, 'plain');
        this.string(el.value, `${pointer}/value`, LIMITS.buttonValue);
        this.string(el.url, `${pointer}/url`, LIMITS.url);
        this.string(el.accessibility_label, `${pointer}/accessibility_label`, LIMITS.accessibilityLabel);
        if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger')
          this.add(`${pointer}/style`, 'must be one of primary, danger');
        break;
      case 'overflow':
        this.options(
          el.options,
          `${pointer}/options`,
          LIMITS.overflowOptions.min,
          LIMITS.overflowOptions.max,
          'plain',
          true,
        );
        break;
      case 'static_select':
      case 'multi_static_select':
        this.staticSelect(el, pointer);
        break;
      case 'checkboxes':
      case 'radio_buttons':
        this.options(el.options, `${pointer}/options`, 1, LIMITS.choiceOptions, 'any');
        break;
      case 'plain_text_input':
        if (
          el.max_length !== undefined &&
          !(Number.isInteger(el.max_length) && el.max_length >= 1 && el.max_length <= LIMITS.textInputLength)
        ) {
          this.add(`${pointer}/max_length`, `must be between 1 and ${LIMITS.textInputLength}`);
        }
        if (
          el.min_length !== undefined &&
          !(Number.isInteger(el.min_length) && el.min_length >= 0 && el.min_length <= LIMITS.textInputLength)
        ) {
          this.add(`${pointer}/min_length`, `must be between 0 and ${LIMITS.textInputLength}`);
        }
        this.string(el.initial_value, `${pointer}/initial_value`, LIMITS.textInputLength);
        break;
      case 'number_input':
        if (typeof el.is_decimal_allowed !== 'boolean') this.add(pointer, 'missing required field: is_decimal_allowed');
        break;
      case 'datepicker':
        if (el.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(el.initial_date)))
          this.add(`${pointer}/initial_date`, 'must be in the format YYYY-MM-DD');
        break;
      case 'timepicker':
        if (el.initial_time !== undefined && !/^\d{2}:\d{2}$/.test(String(el.initial_time)))
          this.add(`${pointer}/initial_time`, 'must be in the format HH:mm');
        break;
      case 'image':
        this.image(el, pointer);
        break;
    }
  }

  staticSelect(el: Obj, pointer: string): void {
    const hasOptions = el.options !== undefined;
    const hasGroups = el.option_groups !== undefined;
    if (hasOptions === hasGroups) {
      this.add(pointer, 'exactly one of options or option_groups is required');
      return;
    }
    let all: Obj[] = [];
    if (hasOptions) {
      this.options(el.options, `${pointer}/options`, 1, LIMITS.selectOptions);
      if (Array.isArray(el.options)) all = el.options;
    } else if (this.count(el.option_groups, `${pointer}/option_groups`, 1, LIMITS.optionGroups)) {
      for (const [i, g] of (el.option_groups as unknown[]).entries()) {
        const p = `${pointer}/option_groups/${i}`;
        if (!isObj(g)) {
          this.add(p, 'must be an option group object');
          continue;
        }
        if (this.required(g, 'label', p)) this.text(g.label, `${p}/label`, LIMITS.optionGroupLabel, 'plain');
        this.options(g.options, `${p}/options`, 1, LIMITS.selectOptions);
        if (Array.isArray(g.options)) all.push(...g.options);
      }
    }
    // Slack refuses an initial option that is not one of the options offered.
    const initial = [el.initial_option, ...(Array.isArray(el.initial_options) ? el.initial_options : [])].filter(
      (o) => o !== undefined,
    );
    for (const o of initial) {
      if (!isObj(o) || !all.some((a) => isObj(a) && a.value === o.value && a.text?.text === o.text?.text)) {
        this.add(
          `${pointer}/${el.initial_option !== undefined ? 'initial_option' : 'initial_options'}`,
          'must match one of the provided options',
        );
      }
    }
  }

  image(el: Obj, pointer: string): void {
    if (el.image_url === undefined && el.slack_file === undefined)
      this.add(pointer, 'missing required field: image_url');
    this.string(el.image_url, `${pointer}/image_url`, LIMITS.imageUrl);
    if (this.required(el, 'alt_text', pointer)) this.string(el.alt_text, `${pointer}/alt_text`, LIMITS.altText);
  }

  /** action_ids must be unique within the block they are in. */
  uniqueActionIds(elements: unknown[], pointer: string): void {
    const seen = new Set<string>();
    elements.forEach((el, i) => {
      const id = isObj(el) ? el.action_id : undefined;
      if (typeof id !== 'string') return;
      if (seen.has(id)) this.add(`${pointer}/${i}/action_id`, `duplicate action_id in the block: ${id}`);
      seen.add(id);
    });
  }

  block(block: unknown, pointer: string): void {
    if (!isObj(block)) {
      this.add(pointer, 'must be a block object');
      return;
    }
    if (!this.required(block, 'type', pointer)) return;
    if (!BLOCK_TYPES.has(block.type)) {
      this.add(`${pointer}/type`, `invalid block type: ${String(block.type)}`);
      return;
    }
    if (block.block_id !== undefined) {
      if (typeof block.block_id !== 'string' || block.block_id.length === 0)
        this.add(`${pointer}/block_id`, 'must be a non-empty string');
      else this.string(block.block_id, `${pointer}/block_id`, LIMITS.blockId);
    }
    switch (block.type) {
      case 'section':
        if (block.text === undefined && block.fields === undefined)
          this.add(pointer, 'missing required field: text or fields');
        if (block.text !== undefined) this.text(block.text, `${pointer}/text`, LIMITS.sectionText);
        if (block.fields !== undefined && this.count(block.fields, `${pointer}/fields`, 1, LIMITS.sectionFields)) {
          for (const [i, f] of (block.fields as unknown[]).entries())
            this.text(f, `${pointer}/fields/${i}`, LIMITS.sectionFieldText);
        }
        if (block.accessory !== undefined)
          this.element(block.accessory, `${pointer}/accessory`, ACCESSORY_ELEMENTS, 'a section accessory');
        break;
      case 'header':
        if (this.required(block, 'text', pointer)) this.text(block.text, `${pointer}/text`, LIMITS.headerText, 'plain');
        break;
      case 'context':
        if (this.count(block.elements, `${pointer}/elements`, 1, LIMITS.contextElements)) {
          (block.elements as unknown[]).forEach((e, i) => {
            const p = `${pointer}/elements/${i}`;
            if (isObj(e) && e.type === 'image') this.image(e, p);
            else this.text(e, p, LIMITS.anyText);
          });
        }
        break;
      case 'actions':
        if (this.count(block.elements, `${pointer}/elements`, 1, LIMITS.actionsElements)) {
          for (const [i, e] of (block.elements as unknown[]).entries())
            this.element(e, `${pointer}/elements/${i}`, ACTIONS_ELEMENTS, 'an actions block');
          this.uniqueActionIds(block.elements, `${pointer}/elements`);
        }
        break;
      case 'input':
        if (this.required(block, 'label', pointer))
          this.text(block.label, `${pointer}/label`, LIMITS.inputLabel, 'plain');
        if (block.hint !== undefined) this.text(block.hint, `${pointer}/hint`, LIMITS.inputHint, 'plain');
        if (this.required(block, 'element', pointer))
          this.element(block.element, `${pointer}/element`, INPUT_ELEMENTS, 'an input block');
        break;
      case 'image':
        this.image(block, pointer);
        if (block.title !== undefined) this.text(block.title, `${pointer}/title`, LIMITS.imageTitle, 'plain');
        break;
    }
  }

  blocks(blocks: unknown, pointer: string, surface: Surface): void {
    if (!this.count(blocks, pointer, 0, LIMITS.blocks[surface])) return;
    const ids = new Set<string>();
    (blocks as unknown[]).forEach((b, i) => {
      this.block(b, `${pointer}/${i}`);
      const id = isObj(b) ? b.block_id : undefined;
      if (typeof id === 'string') {
        if (ids.has(id)) this.add(`${pointer}/${i}/block_id`, `duplicate block_id: ${id}`);
        ids.add(id);
      }
    });
  }

  view(view: unknown, pointer: string): void {
    if (!isObj(view)) {
      this.add(pointer, 'must be a view object');
      return;
    }
    if (view.type !== 'modal' && view.type !== 'home') {
      this.add(`${pointer}/type`, 'must be one of modal, home');
      return;
    }
    if (this.required(view, 'blocks', pointer)) this.blocks(view.blocks, `${pointer}/blocks`, view.type);
    this.string(view.private_metadata, `${pointer}/private_metadata`, LIMITS.privateMetadata);
    this.string(view.callback_id, `${pointer}/callback_id`, LIMITS.callbackId);
    this.string(view.external_id, `${pointer}/external_id`, LIMITS.externalId);
    if (view.type === 'modal') {
      if (this.required(view, 'title', pointer)) this.text(view.title, `${pointer}/title`, LIMITS.viewTitle, 'plain');
      if (view.submit !== undefined) this.text(view.submit, `${pointer}/submit`, LIMITS.viewButton, 'plain');
      if (view.close !== undefined) this.text(view.close, `${pointer}/close`, LIMITS.viewButton, 'plain');
      // "submit is required when an input block is within the blocks array" (view reference).
      if (
        view.submit === undefined &&
        Array.isArray(view.blocks) &&
        view.blocks.some((b: unknown) => isObj(b) && b.type === 'input')
      ) {
        this.add(`${pointer}/submit`, 'submit is required when blocks contain input blocks');
      }
    } else {
      for (const key of ['title', 'submit', 'close'])
        if (view[key] !== undefined) this.add(`${pointer}/${key}`, `${key} is not allowed in a home view`);
    }
  }
}

/** Problems of a view sent with views.open/update/push/publish (pointers start at `/view`). */
export function checkView(view: unknown, pointer = '/view'): BlockKitProblem[] {
  const c = new Checker();
  c.view(view, pointer);
  return c.problems;
}

/** Problems of a blocks array on a surface (pointers start at `pointer`, default `/blocks`). */
export function checkBlocks(blocks: unknown, surface: Surface, pointer = '/blocks'): BlockKitProblem[] {
  const c = new Checker();
  c.blocks(blocks, pointer, surface);
  return c.problems;
}

/** Problems of a message's `blocks` (chat.postMessage, chat.update, response_url posts). */
export function checkMessage(message: { blocks?: unknown }): BlockKitProblem[] {
  return message.blocks === undefined ? [] : checkBlocks(message.blocks, 'message', '/blocks');
}

/** Problems of the options answered to a block_suggestion request. */
export function checkSuggestionOptions(answer: { options?: unknown; option_groups?: unknown }): BlockKitProblem[] {
  const c = new Checker();
  if (answer.options !== undefined) c.options(answer.options, '/options', 0, LIMITS.selectOptions);
  else if (answer.option_groups !== undefined) c.staticSelect({ option_groups: answer.option_groups }, '');
  else c.add('', 'missing required field: options');
  return c.problems;
}

/** Slack's `response_metadata.messages` for these problems. */
export function slackMessages(problems: BlockKitProblem[]): string[] {
  return problems.map((p) => `[ERROR] ${p.message} [json-pointer:${p.pointer}]`);
}
