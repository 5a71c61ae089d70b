import type { ImageInfo } from './image-info.js';
import type { ConversationItem } from './types.js';

/** Facts about an item that are not on the wire. */
export interface ItemMeta {
  /** Milliseconds of audio the emulator produced for an assistant message. */
  audioMs?: number;
  /** Milliseconds of microphone audio behind a user message. */
  inputAudioMs?: number;
  /** Images of a user message, as read from their headers. */
  images?: ImageInfo[];
}

/**
 * The conversation: items in order, addressable by id. `previous_item_id` placement follows the
 * API: omitted appends, `root` puts the item first, an id puts it right after that item.
 */
export class Conversation {
  readonly #items: ConversationItem[] = [];
  readonly #meta = new Map<string, ItemMeta>();

  /** The items in order (live objects; copy before handing them out). */
  get items(): readonly ConversationItem[] {
    return this.#items;
  }

  has(id: string): boolean {
    return this.#items.some((item) => item.id === id);
  }

  get(id: string): ConversationItem | undefined {
    return this.#items.find((item) => item.id === id);
  }

  meta(id: string): ItemMeta {
    let meta = this.#meta.get(id);
    if (!meta) {
      meta = {};
      this.#meta.set(id, meta);
    }
    return meta;
  }

  /**
   * Inserts `item`; returns the id of the item before it (null at the start), or an error message
   * when `previousItemId` names no item.
   */
  insert(item: ConversationItem, previousItemId?: string): { previousItemId: string | null } | { error: string } {
    let index = this.#items.length;
    if (previousItemId === 'root') index = 0;
    else if (previousItemId !== undefined) {
      const at = this.#items.findIndex((candidate) => candidate.id === previousItemId);
      if (at < 0) return { error: `Item with id '${previousItemId}' not found.` };
      index = at + 1;
    }
    this.#items.splice(index, 0, item);
    return { previousItemId: index === 0 ? null : this.#items[index - 1]!.id };
  }

  /** The id of the last item, or null when the conversation is empty. */
  get lastId(): string | null {
    return this.#items.at(-1)?.id ?? null;
  }

  delete(id: string): boolean {
    const at = this.#items.findIndex((item) => item.id === id);
    if (at < 0) return false;
    this.#items.splice(at, 1);
    this.#meta.delete(id);
    return true;
  }

  /** The function call whose `call_id` is `callId`, if the conversation has one. */
  functionCall(callId: string): ConversationItem | undefined {
    return this.#items.find((item) => item.type === 'function_call' && item.call_id === callId);
  }
}
