/**
 * Narrowing of upstream JSON:API documents into the shapes of `types.ts`. Tolerant of every
 * variant listed in clarify-api.md §8; anything that is not a document at all becomes a
 * `BadDocument` that the client turns into `UPSTREAM_BAD_RESPONSE`.
 */
import type { ClarifyResource, ListLinks, ListMeta, ListPage, Relationship, ResourceIdentifier, SingleDocument } from './types.js';

/** Thrown by the parsers; the client maps it to `UPSTREAM_BAD_RESPONSE`. */
const kBadDocument: unique symbol = Symbol.for('clarify-graphql.BadDocument');

export class BadDocument extends Error {
  /** Whether `value` is a `BadDocument`, made by this copy of the module or any other. */
  static is(value: unknown): value is BadDocument {
    return typeof value === 'object' && value !== null && Reflect.get(value, kBadDocument) === true;
  }

  get [kBadDocument](): true {
    return true;
  }

  override readonly name = 'BadDocument';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Ids are opaque; a number is accepted and turned into its string form. */
function readId(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A `{type, id}` pair, or undefined when the value is not one. */
export function readIdentifier(value: unknown): ResourceIdentifier | undefined {
  if (!isRecord(value)) return undefined;
  const id = readId(value.id);
  if (typeof value.type !== 'string' || value.type === '' || id === undefined) return undefined;
  return { type: value.type, id };
}

function readCount(meta: unknown): number | undefined {
  if (!isRecord(meta)) return undefined;
  return readNonNegativeInt(meta.count);
}

/** A non-negative integer from a number or a numeric string. */
export function readNonNegativeInt(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return undefined;
  return Math.floor(n);
}

/** Reads one `relationships` entry; entries without `data` (links-only) are skipped. */
function readRelationship(value: unknown): Relationship | undefined {
  if (!isRecord(value) || !('data' in value)) return undefined;
  const data = value.data;
  if (data === null) return { kind: 'one', data: null };
  if (Array.isArray(data)) {
    const ids = data.map(readIdentifier).filter((id): id is ResourceIdentifier => id !== undefined);
    return { kind: 'many', data: ids, count: readCount(value.meta) ?? ids.length };
  }
  const id = readIdentifier(data);
  return id ? { kind: 'one', data: id } : undefined;
}

function readRelationships(value: unknown): Record<string, Relationship> {
  const out: Record<string, Relationship> = {};
  if (!isRecord(value)) return out;
  for (const [name, entry] of Object.entries(value)) {
    const rel = readRelationship(entry);
    if (rel) out[name] = rel;
  }
  return out;
}

/** Types whose `name` attribute is a person name (`{first_name, last_name, full_name}`). */
const PERSON_NAME_TYPES = new Set(['person', 'user']);

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A person name from a plain string: first word, rest, whole trimmed string. */
export function nameFromString(text: string): { first_name: string | null; last_name: string | null; full_name: string | null } {
  const full = text.trim().replace(/\s+/g, ' ');
  if (full === '') return { first_name: null, last_name: null, full_name: null };
  const space = full.indexOf(' ');
  if (space < 0) return { first_name: full, last_name: null, full_name: full };
  return { first_name: full.slice(0, space), last_name: full.slice(space + 1), full_name: full };
}

function joinName(first: string | null, last: string | null): string | null {
  const joined = [first, last].filter((part): part is string => part !== null && part.trim() !== '').join(' ');
  return joined === '' ? null : joined;
}

/**
 * Person and user `name` normalised to `{first_name, last_name, full_name}` whether upstream sent
 * an object, a plain string or top-level `first_name`/`last_name`; a person `title` (docs-site
 * spelling) fills `job_title` when that is absent. Other types are left as they came.
 */
export function normaliseAttributes(type: string, attributes: Record<string, unknown>): Record<string, unknown> {
  if (!PERSON_NAME_TYPES.has(type)) return attributes;
  const out = { ...attributes };
  const name = out.name;
  if (typeof name === 'string') {
    out.name = nameFromString(name);
  } else if (isRecord(name)) {
    const first = stringOrNull(name.first_name);
    const last = stringOrNull(name.last_name);
    out.name = { ...name, first_name: first, last_name: last, full_name: stringOrNull(name.full_name) ?? joinName(first, last) };
  } else if (name === undefined || name === null) {
    const first = stringOrNull(out.first_name);
    const last = stringOrNull(out.last_name);
    if (first !== null || last !== null) {
      out.name = { first_name: first, last_name: last, full_name: joinName(first, last) };
    } else if (name === undefined && 'name' in attributes) {
      out.name = null;
    }
  }
  if (type === 'person' && out.job_title === undefined && 'title' in out) {
    out.job_title = typeof out.title === 'string' ? out.title : null;
  }
  return out;
}

/** Where a resource sits in its document, for an error message (made only when one is thrown). */
function whereOf(list: string, index: number | undefined): string {
  return index === undefined ? list : `${list}[${index}]`;
}

/**
 * One resource. An item without `attributes` (the identifier-only variant of the relationship
 * GET) comes back with empty attributes and `identifierOnly: true`; the caller loads it.
 */
export function readResource(value: unknown, list: string, index?: number): ClarifyResource {
  const id = readIdentifier(value);
  if (!id || !isRecord(value)) throw new BadDocument(`${whereOf(list, index)} is not a resource with a type and an id`);
  const resource: ClarifyResource = {
    type: id.type,
    id: id.id,
    attributes: {},
    relationships: readRelationships(value.relationships),
  };
  if (isRecord(value.attributes)) {
    resource.attributes = normaliseAttributes(id.type, value.attributes);
  } else if (value.attributes === undefined || value.attributes === null) {
    resource.identifierOnly = true;
  } else {
    throw new BadDocument(`${whereOf(list, index)}.attributes is not an object`);
  }
  return resource;
}

function readIncluded(value: unknown): ClarifyResource[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BadDocument('included is not an array');
  return value.map((item, index) => readResource(item, 'included', index));
}

/** A `{data: {...}, included?}` document. */
export function parseSingleDocument(body: unknown): SingleDocument {
  if (!isRecord(body)) throw new BadDocument('response is not a JSON object');
  if (!isRecord(body.data)) throw new BadDocument('data is not a resource object');
  return { data: readResource(body.data, 'data'), included: readIncluded(body.included) };
}

/** A `{data: [...]}` document of resources (bulk writes). */
export function parseResourceArray(body: unknown): ClarifyResource[] {
  if (!isRecord(body)) throw new BadDocument('response is not a JSON object');
  if (!Array.isArray(body.data)) throw new BadDocument('data is not an array');
  return body.data.map((item, index) => readResource(item, 'data', index));
}

/** Identifiers answered by a relationship PATCH: an array, one identifier, or null. */
export function parseIdentifiers(body: unknown): ResourceIdentifier[] {
  if (body === undefined) return [];
  if (!isRecord(body)) throw new BadDocument('response is not a JSON object');
  const data = body.data;
  if (data === null || data === undefined) return [];
  const items = Array.isArray(data) ? data : [data];
  return items.map((item, index) => {
    const id = readIdentifier(item);
    if (!id) throw new BadDocument(`data[${index}] is not a resource identifier`);
    return id;
  });
}

function readLink(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (isRecord(value) && typeof value.href === 'string' && value.href !== '') return value.href;
  return null;
}

function readLinks(value: unknown): ListLinks {
  if (!isRecord(value)) return { next: null, prev: null };
  return { next: readLink(value.next), prev: readLink(value.prev) };
}

/** What the client asked for, used where `meta` leaves a gap. */
export interface ListRequestShape {
  limit: number;
  offset: number;
}

function readMeta(value: unknown, request: ListRequestShape, itemCount: number): ListMeta {
  const meta = isRecord(value) ? value : {};
  const limit = readNonNegativeInt(meta.limit) || request.limit;
  const offset = readNonNegativeInt(meta.offset) ?? request.offset;
  // Without a total we know at least what this page reached.
  const totalRecords = readNonNegativeInt(meta.total_records) ?? readNonNegativeInt(meta.total) ?? offset + itemCount;
  const totalPages = readNonNegativeInt(meta.total_pages) ?? (limit > 0 ? Math.ceil(totalRecords / limit) : 0);
  return { totalRecords, totalPages, offset, limit };
}

/** A list envelope (`/resources`, relationship GET, `/users`). */
export function parseListDocument(body: unknown, request: ListRequestShape): ListPage {
  if (!isRecord(body)) throw new BadDocument('response is not a JSON object');
  if (!Array.isArray(body.data)) throw new BadDocument('data is not an array');
  const data = body.data.map((item, index) => readResource(item, 'data', index));
  return {
    data,
    included: readIncluded(body.included),
    meta: readMeta(body.meta, request, data.length),
    links: readLinks(body.links),
  };
}

/** The raw items of a `/schemas` page plus its next link. */
export function parseSchemaPage(body: unknown): { items: unknown[]; next: string | null } {
  if (!isRecord(body)) throw new BadDocument('response is not a JSON object');
  if (!Array.isArray(body.data)) throw new BadDocument('data is not an array');
  return { items: body.data, next: readLinks(body.links).next };
}
