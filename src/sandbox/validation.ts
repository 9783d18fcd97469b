import { ApiError, badRequest, errorObject, type ErrorObject } from './errors.js';
import type { FieldDef, ObjectDef } from './model.js';
import { isObject } from './schema-registry.js';
import type { Store } from './store.js';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
/** DECIMAL(16,4): at most 12 digits before the point. */
const NUMBER_LIMIT = 1e12;

/** Collects field errors so one response can name all of them. */
export class ErrorList {
  readonly errors: ErrorObject[] = [];

  add(status: number, detail: string, pointer: string): void {
    this.errors.push(errorObject(status, detail, { pointer }));
  }

  /** Throws when anything was collected: 400 problems win over 422 ones. */
  throwIfAny(): void {
    if (this.errors.length === 0) return;
    const status = this.errors.some((error) => error.status === '400') ? 400 : 422;
    throw ApiError.many(status, this.errors.filter((error) => error.status === String(status)));
  }
}

export interface WriteItem {
  id?: string;
  attributes: Record<string, unknown>;
  /** JSON pointer of the item, `/data` or `/data/3`. */
  pointer: string;
}

type IdRule = 'forbidden' | 'required' | 'optional';

/** Checks one `{type, id?, attributes}` item of a write envelope. */
export function parseItem(object: ObjectDef, item: unknown, pointer: string, idRule: IdRule, errors: ErrorList): WriteItem | undefined {
  if (!isObject(item)) {
    errors.add(400, `${pointer} must be an object with "type" and "attributes"`, pointer);
    return undefined;
  }
  const { type, id, attributes } = item;
  if (typeof type !== 'string') errors.add(400, `${pointer}/type is required`, `${pointer}/type`);
  else if (type !== object.slug && type !== 'record') {
    errors.add(422, `type "${type}" does not match the object "${object.slug}"`, `${pointer}/type`);
  }
  if (idRule === 'forbidden' && id !== undefined) {
    errors.add(422, 'id is assigned by the server and may not be sent in a create', `${pointer}/id`);
  }
  if (idRule === 'required' && (typeof id !== 'string' || id === '')) {
    errors.add(422, 'Every item of a bulk update needs an id', `${pointer}/id`);
  }
  if (idRule === 'optional' && id !== undefined && typeof id !== 'string') {
    errors.add(422, 'id must be a string', `${pointer}/id`);
  }
  if (attributes === undefined && idRule !== 'forbidden') return { ...(typeof id === 'string' ? { id } : {}), attributes: {}, pointer };
  if (!isObject(attributes)) {
    errors.add(400, `${pointer}/attributes must be an object`, `${pointer}/attributes`);
    return undefined;
  }
  return { ...(typeof id === 'string' ? { id } : {}), attributes, pointer };
}

/** The `data` member of a body: an object (single writes) or an array (bulk). */
export function envelopeData(body: unknown, shape: 'object' | 'array'): unknown {
  if (!isObject(body) || !('data' in body)) {
    throw badRequest(`The request body must be a JSON object with a "data" ${shape === 'array' ? 'array' : 'object'}`, { pointer: '/data' });
  }
  const data = body.data;
  if (shape === 'array' ? !Array.isArray(data) : !isObject(data)) {
    throw badRequest(`"data" must be ${shape === 'array' ? 'an array' : 'an object'}`, { pointer: '/data' });
  }
  return data;
}

/**
 * Validates and normalises write attributes into stored values (null = clear).
 * `create` also checks required fields.
 */
export function normalizeAttributes(
  store: Store,
  object: ObjectDef,
  item: WriteItem,
  mode: 'create' | 'update',
  errors: ErrorList,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const base = `${item.pointer}/attributes`;
  for (const [name, value] of Object.entries(item.attributes)) {
    const pointer = `${base}/${name}`;
    if (name.startsWith('_')) {
      errors.add(422, `${name} is a system field and cannot be written`, pointer);
      continue;
    }
    const field = object.fields.get(name);
    if (!field) {
      errors.add(422, `${name} is not a field of ${object.slug}`, pointer);
      continue;
    }
    const normalized = normalizeValue(store, field, value, pointer, errors);
    if (normalized !== undefined) out[name] = normalized;
  }
  for (const name of object.required) {
    const value = name in out ? out[name] : undefined;
    const missing = mode === 'create' ? value === undefined || value === null : name in out && value === null;
    if (missing && !errors.errors.some((error) => error.source?.pointer === `${base}/${name}`)) {
      errors.add(422, `${name} is required`, `${base}/${name}`);
    }
  }
  return out;
}

/** Returns the stored value, null to clear, or undefined after recording an error. */
function normalizeValue(store: Store, field: FieldDef, value: unknown, pointer: string, errors: ErrorList): unknown {
  const fail = (detail: string, status = 422): undefined => {
    errors.add(status, `${field.name}: ${detail}`, pointer);
    return undefined;
  };
  if (field.kind === 'to-many') {
    return fail(`is a to-many relationship; link records through /relationships/${field.name}`);
  }
  if (value === null) return null;
  switch (field.kind) {
    case 'text':
      return typeof value === 'string' ? value : fail('must be a string');
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail('must be a number');
      const rounded = Math.round(value * 10_000) / 10_000;
      if (Math.abs(rounded) >= NUMBER_LIMIT) return fail('is outside DECIMAL(16,4) (at most 12 digits before the point)', 400);
      return rounded;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : fail('must be true or false');
    case 'date':
      if (typeof value !== 'string') return fail('must be a date string YYYY-MM-DD');
      // `Date.parse` rolls 2026-02-30 over to March; a real date reads back unchanged.
      if (DATE_RE.test(value) && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString().slice(0, 10) === value) return value;
      if (!Number.isNaN(Date.parse(value)) && value.includes('T')) return fail(`"${value}" is a timestamp; this field takes a date YYYY-MM-DD`);
      return fail(`"${value}" is not a date YYYY-MM-DD`);
    case 'date-time': {
      if (typeof value !== 'string') return fail('must be an ISO-8601 date-time string');
      const ms = Date.parse(value);
      if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(value)) return fail(`"${value}" is not an ISO-8601 date-time`);
      return new Date(ms).toISOString();
    }
    case 'select':
      if (typeof value !== 'string') return fail('must be a string');
      return field.options?.includes(value)
        ? value
        : fail(`"${value}" is not allowed (one of ${(field.options ?? []).join(', ')}; case-sensitive)`);
    case 'multi-select': {
      const items = collectionItems(value, fail);
      if (!items) return undefined;
      for (const item of items) {
        if (typeof item !== 'string' || !field.options?.includes(item)) return fail(`"${String(item)}" is not allowed`);
      }
      return items.length === 0 ? null : { items: [...new Set(items as string[])] };
    }
    case 'collection': {
      const items = collectionItems(value, fail);
      if (!items) return undefined;
      for (const [index, item] of items.entries()) {
        if (typeof item !== 'string') {
          errors.add(422, `${field.name}: items must be strings`, `${pointer}/items/${index}`);
          return undefined;
        }
        if (field.email && !EMAIL_RE.test(item)) {
          errors.add(422, `${field.name}: "${item}" is not a valid email address`, `${pointer}/items/${index}`);
          return undefined;
        }
      }
      return items.length === 0 ? null : { items };
    }
    case 'object-collection': {
      const items = collectionItems(value, fail);
      if (!items) return undefined;
      for (const item of items) {
        if (!isObject(item)) return fail('items must be objects');
        if (item.email !== undefined && item.email !== null && typeof item.email !== 'string') return fail('item email must be a string');
      }
      return items.length === 0 ? null : { items };
    }
    case 'name':
      return normalizeName(value, fail);
    case 'rich-text':
      if (!isObject(value) || !Array.isArray(value.text)) return fail('rich text is written as {"text": [blocks]}');
      return { text: value.text };
    case 'fk': {
      const entity = field.relationship?.entity ?? '';
      if (typeof value !== 'string') return fail(`must be the id of a ${entity} or null`);
      return store.get(entity, value) ? value : fail(`no ${entity} with id "${value}"`);
    }
    case 'user-ref':
      if (typeof value !== 'string') return fail('must be a user id or null');
      return store.get('user', value) ? value : fail(`no user with id "${value}"`);
    default:
      return fail('cannot be written');
  }
}

function collectionItems(value: unknown, fail: (detail: string) => undefined): unknown[] | undefined {
  if (Array.isArray(value)) return fail('collections are written as {"items": [...]}, not a bare array');
  if (!isObject(value) || !Array.isArray(value.items)) return fail('must be {"items": [...]}');
  return value.items;
}

function normalizeName(value: unknown, fail: (detail: string) => undefined): unknown {
  if (typeof value === 'string') {
    const full = value.trim().replace(/\s+/g, ' ');
    if (full === '') return null;
    const space = full.indexOf(' ');
    return {
      first_name: space === -1 ? full : full.slice(0, space),
      last_name: space === -1 ? null : full.slice(space + 1),
      full_name: full,
    };
  }
  if (!isObject(value)) return fail('must be a string or {first_name, last_name, full_name}');
  const part = (key: string): string | null | undefined => {
    const item = value[key];
    if (item === undefined || item === null) return null;
    return typeof item === 'string' ? item : undefined;
  };
  const first = part('first_name');
  const last = part('last_name');
  const full = part('full_name');
  if (first === undefined || last === undefined || full === undefined) return fail('name parts must be strings');
  const derived = full ?? ([first, last].filter((item) => item).join(' ') || null);
  if (first === null && last === null && derived === null) return null;
  return { first_name: first, last_name: last, full_name: derived };
}
