import type { Conversation } from './conversation.js';
import { newId } from './ids.js';
import { readImageDataUrl, type ImageInfo } from './image-info.js';
import { isJsonObject, type ConversationItem, type JsonObject } from './types.js';

/** An OpenAI-style rejection of a client item. */
export interface ItemError {
  code: string;
  message: string;
  param: string;
}

const CONTENT_TYPES: Record<string, string[]> = {
  user: ['input_text', 'input_audio', 'input_image'],
  system: ['input_text'],
  assistant: ['output_text', 'output_audio'],
};

const MAX_ID_LENGTH = 64;

/**
 * Turns the `item` of a client's `conversation.item.create` into the item the emulator stores and
 * echoes: known fields only, an id when the client gave none, inline audio replaced by its length
 * (the emulator never needs the samples, and echoing megabytes back helps nobody).
 */
export function normaliseClientItem(
  raw: unknown,
  conversation: Conversation,
): { item: ConversationItem; inputAudioMs?: number; images?: ImageInfo[] } | { error: ItemError } {
  const fail = (code: string, message: string, param: string): { error: ItemError } => ({ error: { code, message, param } });
  if (!isJsonObject(raw)) return fail('missing_required_parameter', "Missing required parameter: 'item'.", 'item');
  let id: string;
  if (raw.id === undefined) id = newId('item');
  else if (typeof raw.id !== 'string' || raw.id.length === 0 || raw.id.length > MAX_ID_LENGTH) {
    return fail('invalid_value', `Invalid 'item.id': expected a string of 1 to ${MAX_ID_LENGTH} characters.`, 'item.id');
  } else if (conversation.has(raw.id)) {
    return fail('item_id_already_exists', `Item with id '${raw.id}' already exists.`, 'item.id');
  } else id = raw.id;

  switch (raw.type) {
    case 'message':
      return message(raw, id, fail);
    case 'function_call': {
      if (typeof raw.name !== 'string' || raw.name === '') return fail('missing_required_parameter', "Missing required parameter: 'item.name'.", 'item.name');
      if (raw.arguments !== undefined && typeof raw.arguments !== 'string') return fail('invalid_type', "Invalid type for 'item.arguments': expected a string.", 'item.arguments');
      if (raw.call_id !== undefined && typeof raw.call_id !== 'string') return fail('invalid_type', "Invalid type for 'item.call_id': expected a string.", 'item.call_id');
      const item: ConversationItem = {
        id,
        object: 'realtime.item',
        type: 'function_call',
        status: 'completed',
        name: raw.name,
        call_id: (raw.call_id as string | undefined) ?? newId('call', 16),
        arguments: (raw.arguments as string | undefined) ?? '',
      };
      return { item };
    }
    case 'function_call_output': {
      if (typeof raw.call_id !== 'string') return fail('missing_required_parameter', "Missing required parameter: 'item.call_id'.", 'item.call_id');
      if (typeof raw.output !== 'string') return fail('missing_required_parameter', "Missing required parameter: 'item.output' (a string).", 'item.output');
      if (!conversation.functionCall(raw.call_id)) {
        return fail('invalid_value', `Tool call ID '${raw.call_id}' not found in conversation.`, 'item.call_id');
      }
      return { item: { id, object: 'realtime.item', type: 'function_call_output', status: 'completed', call_id: raw.call_id, output: raw.output } };
    }
    case undefined:
      return fail('missing_required_parameter', "Missing required parameter: 'item.type'.", 'item.type');
    default:
      return fail('invalid_value', `Invalid value: '${String(raw.type)}'. The emulator supports 'message', 'function_call' and 'function_call_output' items.`, 'item.type');
  }
}

function message(
  raw: JsonObject,
  id: string,
  fail: (code: string, message: string, param: string) => { error: ItemError },
): { item: ConversationItem; inputAudioMs?: number; images?: ImageInfo[] } | { error: ItemError } {
  const role = raw.role;
  if (typeof role !== 'string' || !(role in CONTENT_TYPES)) {
    return fail('invalid_value', "Invalid 'item.role': expected 'user', 'assistant' or 'system'.", 'item.role');
  }
  if (!Array.isArray(raw.content)) return fail('missing_required_parameter', "Missing required parameter: 'item.content'.", 'item.content');
  const allowed = CONTENT_TYPES[role]!;
  const content: JsonObject[] = [];
  let inputAudioMs = 0;
  const images: ImageInfo[] = [];
  for (const [index, part] of raw.content.entries()) {
    const param = `item.content[${index}]`;
    if (!isJsonObject(part) || typeof part.type !== 'string' || !allowed.includes(part.type)) {
      return fail('invalid_value', `Invalid '${param}.type' for a ${role} message: expected one of ${allowed.join(', ')}.`, `${param}.type`);
    }
    const kept: JsonObject = { type: part.type };
    for (const key of ['text', 'transcript', 'image_url', 'detail'] as const) {
      if (part[key] === undefined || part[key] === null) continue;
      if (typeof part[key] !== 'string') return fail('invalid_type', `Invalid type for '${param}.${key}': expected a string.`, `${param}.${key}`);
      kept[key] = part[key];
    }
    if (part.type === 'input_text' || part.type === 'output_text') {
      if (typeof kept.text !== 'string') return fail('missing_required_parameter', `Missing required parameter: '${param}.text'.`, `${param}.text`);
    }
    if (part.type === 'input_image') {
      if (typeof kept.image_url !== 'string') {
        return fail('missing_required_parameter', `Missing required parameter: '${param}.image_url'.`, `${param}.image_url`);
      }
      if (kept.detail !== undefined && !['auto', 'low', 'high'].includes(kept.detail as string)) {
        return fail('invalid_value', `Invalid value for '${param}.detail': expected 'auto', 'low' or 'high'.`, `${param}.detail`);
      }
      const image = readImageDataUrl(kept.image_url);
      if ('error' in image) return fail('invalid_value', `Invalid '${param}.image_url': ${image.error}.`, `${param}.image_url`);
      images.push(image);
    }
    if (part.type === 'input_audio' && typeof part.audio === 'string') {
      // base64 → bytes → 16-bit samples at 24 kHz
      inputAudioMs += ((part.audio.length * 3) / 4 / 2 / 24000) * 1000;
    }
    content.push(kept);
  }
  const item: ConversationItem = { id, object: 'realtime.item', type: 'message', role, status: 'completed', content };
  return { item, ...(inputAudioMs > 0 ? { inputAudioMs } : {}), ...(images.length > 0 ? { images } : {}) };
}
