import type { ErrorCode } from '../../errors/codes.js';
import type { ClarifyResource } from '../../client/types.js';

/** Whether a value is an object (an array too), whose keys then read as unknown. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Items of a collection attribute; `null` and `{items: null}` read as empty. */
export function collectionItems(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object' && 'items' in value && Array.isArray(value.items)) return value.items;
  return [];
}

export interface PersonNameValue {
  firstName: string | null;
  lastName: string | null;
  fullName: string | null;
}

/** Person name as an object; a plain string (an older variant) is split on the first space. */
export function personName(value: unknown): PersonNameValue | null {
  if (typeof value === 'string') {
    const full = value.trim();
    const space = full.indexOf(' ');
    return {
      firstName: space < 0 ? full : full.slice(0, space),
      lastName: space < 0 ? null : full.slice(space + 1),
      fullName: full,
    };
  }
  if (!isRecord(value)) return null;
  const first = text(value.first_name);
  const last = text(value.last_name);
  const full = text(value.full_name) ?? ([first, last].filter(Boolean).join(' ') || null);
  return { firstName: first, lastName: last, fullName: full };
}

export interface RichTextValue {
  blocks: unknown[];
  plainText: string;
}

/** Rich text `{text: [blocks]}`, reading both BlockNote `content` and `children` block styles. */
export function richText(value: unknown): RichTextValue | null {
  if (!value || typeof value !== 'object') return typeof value === 'string' ? { blocks: [], plainText: value } : null;
  const blocks = 'text' in value ? value.text : undefined;
  if (!Array.isArray(blocks)) return null;
  return { blocks, plainText: blocks.map(blockText).join('\n') };
}

/** Plain text as BlockNote blocks: one paragraph per line. */
export function plainTextBlocks(text: string): unknown[] {
  return text.split(/\r?\n/).map((line) => ({ type: 'paragraph', content: line === '' ? [] : [{ type: 'text', text: line }] }));
}

function blockText(block: unknown): string {
  if (typeof block === 'string') return block;
  if (!isRecord(block)) return '';
  if (typeof block.text === 'string') return block.text;
  const parts = [block.content, block.children].filter(Array.isArray).flat();
  return parts.map(blockText).join('');
}

/** The id an FK field points at, from the attribute or the `relationships` block. */
export function referenceId(resource: ClarifyResource, field: string): string | null {
  const attribute = resource.attributes[field];
  if (typeof attribute === 'string' && attribute) return attribute;
  const relationship = resource.relationships[field];
  if (relationship?.kind === 'one') return relationship.data?.id ?? null;
  return null;
}

export function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function booleanValue(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

export function numberValue(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/**
 * Errors a mutation returns as data (`userErrors`), so that a form can show them next to the
 * input that caused them. `field` is the GraphQL input path (`["input", "emailAddresses", "0"]`).
 */
export interface UserErrorValue {
  field: string[] | null;
  message: string;
  code: ErrorCode;
}
