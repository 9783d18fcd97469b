/**
 * Cache tags: what a cached answer read and what a write changed, in Clarify's terms. The plan
 * records the tags an operation reads; each mutation field declares its effects where it is built
 * (`extensions.clarify.effects`), and the plan resolves them against the field's arguments.
 *
 * - `<object>:<id>`: one record, with what hangs off it (its timeline, files, relationship lists);
 * - `<object>:?`: some record of the object whose id the answer does not show;
 * - `<object>:*`: any record of the object (every answer holding one files under it);
 * - `<object>[]`: lists of the object: root lists, relationship connections, a saved list's records;
 * - `<object>/deleted`: the object's deleted-record feed;
 * - `timeline`: every record's timeline (a comment shows in its record's timeline);
 * - `*`: every answer (a schema change).
 *
 * Objects are Clarify slugs (`person`, `c_sales_order`), plus `comment`, `attachment`,
 * `<slug> list` (a saved list of the object) and `list` (the list of every saved list).
 */

import { clarifyIdOf } from './global-id.js';

/**
 * Where a write's ids come from: a dotted path into its coerced arguments, `[]` for every item of
 * a list (`id`, `ids[]`, `inputs[].id`, `input.recordId`), or `payload` for the records its
 * payload returns (unknown when the caller did not select their ids).
 */
export type IdSource = string;

/** A write's effect, declared next to the mutation field from what Clarify does. */
export type WriteEffect =
  /** The records' fields changed (so any list of the object may gain, lose or reorder them). */
  | { change: 'records'; object: string; ids: IdSource }
  /** New records, or existing ones updated by upsert (the payload's, else any of the object). */
  | { change: 'created'; object: string }
  /** Records deleted: out of every list, into the deleted feed; `referencedBy` objects lose their reference to them. */
  | { change: 'deleted'; object: string; ids: IdSource; referencedBy: string[] }
  /** A record's timeline or files changed, not its fields; `object` may be an argument path (`arg:input.object`). */
  | { change: 'timeline'; object: string; ids: IdSource }
  /** Comments changed: they, and every timeline (the comment's record is not named). */
  | { change: 'comments'; ids: IdSource }
  /** A saved list of `object` changed (its records, or the list itself). */
  | { change: 'savedList'; object: string; ids: IdSource }
  /** The workspace schema changed: every cached answer. */
  | { change: 'schema' };

export const EVERYTHING = '*';
export const TIMELINES = 'timeline';
export const ALL_SAVED_LISTS = 'list';

const recordTag = (object: string, id: string): string => `${object}:${id}`;
const unknownRecordTag = (object: string): string => `${object}:?`;
const anyRecordTag = (object: string): string => `${object}:*`;
export const listTag = (object: string): string => `${object}[]`;
export const deletedTag = (object: string): string => `${object}/deleted`;
export const savedListObject = (object: string): string => `${object} list`;

/**
 * The version family of a tag: every tag of one object shares one (`person:1`, `person[]`,
 * `person/deleted` → `person`). A read notes its families' versions before it goes upstream; a
 * write changes the versions of its families, and an answer read across a change is not stored.
 */
export function familyOf(tag: string): string {
  if (tag === EVERYTHING || tag === TIMELINES) return tag;
  const end = tag.search(/[:[/]/);
  return end === -1 ? tag : tag.slice(0, end);
}

/** The property `name` of an object value; undefined for anything else. */
function propertyOf(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, name) : undefined;
}

/** The values at a dotted argument path (`inputs[].id`); strings only. */
function valuesAt(args: unknown, path: string): string[] {
  let values: unknown[] = [args];
  for (const step of path.split('.')) {
    const many = step.endsWith('[]');
    const name = many ? step.slice(0, -2) : step;
    values = values.flatMap((value) => {
      if (typeof value !== 'object' || value === null) return [];
      const next = propertyOf(value, name);
      if (!many) return next === undefined || next === null ? [] : [next];
      return Array.isArray(next) ? next.filter((item) => item !== undefined && item !== null) : [];
    });
  }
  return values.filter((value): value is string => typeof value === 'string');
}

/**
 * The tags a write invalidates. `payloadIds(object)` gives the ids of the records of `object` its
 * payload returned, or undefined when the answer does not show them all.
 */
export function writeTags(
  effects: readonly WriteEffect[],
  args: Record<string, unknown>,
  payloadIds: (object: string) => string[] | undefined = () => undefined,
): string[] {
  const tags = new Set<string>();
  const ids = (object: string, source: IdSource): string[] | undefined =>
    source === 'payload' ? payloadIds(object) : valuesAt(args, source);
  /** A record changed: its own tag (or, not knowing which, any of the object), and answers that hold one unseen. */
  const records = (object: string, found: string[] | undefined) => {
    tags.add(unknownRecordTag(object));
    if (found === undefined) tags.add(anyRecordTag(object));
    else for (const id of found) tags.add(recordTag(object, id));
  };
  for (const effect of effects) {
    switch (effect.change) {
      case 'records':
        records(effect.object, ids(effect.object, effect.ids));
        tags.add(listTag(effect.object));
        break;
      case 'created':
        records(effect.object, payloadIds(effect.object));
        tags.add(listTag(effect.object));
        break;
      case 'deleted':
        records(effect.object, ids(effect.object, effect.ids));
        tags.add(listTag(effect.object));
        tags.add(deletedTag(effect.object));
        for (const other of effect.referencedBy) {
          tags.add(anyRecordTag(other));
          tags.add(unknownRecordTag(other));
        }
        break;
      case 'timeline': {
        const objects = effect.object.startsWith('arg:') ? valuesAt(args, effect.object.slice(4)) : [effect.object];
        for (const object of objects) records(object, ids(object, effect.ids));
        break;
      }
      case 'comments':
        records('comment', ids('comment', effect.ids));
        tags.add(TIMELINES);
        break;
      case 'savedList': {
        const object = savedListObject(effect.object);
        records(object, ids(object, effect.ids));
        tags.add(listTag(object));
        tags.add(listTag(ALL_SAVED_LISTS));
        break;
      }
      case 'schema':
        tags.add(EVERYTHING);
        break;
    }
  }
  return [...tags];
}

/** A response path holding records of one object, and the response key of their `id` (when selected). */
export interface RecordPosition {
  /** Response keys from the root, list indices left out: `deals.nodes.company`. */
  path: string[];
  object: string;
  /** The GraphQL type of the records (for per-type TTLs). */
  type: string;
  idKey: string | undefined;
}

/** The records at a position of an answer: their ids, and whether some showed none. */
export function idsAt(data: unknown, position: RecordPosition): { ids: string[]; unseen: boolean } {
  let values: unknown[] = [data];
  for (const key of position.path) {
    values = values.flatMap((value) => {
      const items = Array.isArray(value) ? value : [value];
      return items.flatMap((item) => {
        if (typeof item !== 'object' || item === null) return [];
        const next = propertyOf(item, key);
        return next === undefined || next === null ? [] : Array.isArray(next) ? next.filter((n) => n !== null) : [next];
      });
    });
  }
  const ids: string[] = [];
  let unseen = false;
  for (const value of values) {
    const id = position.idKey ? propertyOf(value, position.idKey) : undefined;
    // Answers carry global ids (or `clarifyId`); writes name records by Clarify id.
    if (typeof id === 'string') ids.push(clarifyIdOf(id));
    else unseen = true;
  }
  return { ids, unseen };
}

/** What a query reads, for the response cache. */
export interface CacheReads {
  /** False when the answer must not be stored (`@defer`/`@stream`). */
  cacheable: boolean;
  /** Tags known before execution: lists, deleted feeds, timelines, `*`. */
  tags: string[];
  /** Where the answer holds records; their ids become tags once it arrives. */
  records: RecordPosition[];
  /** Version families of every tag the answer can carry. */
  families: string[];
}

/** Every tag an answer files under: the plan's, and one per record it holds. */
export function answerTags(reads: CacheReads, data: unknown): string[] {
  const tags = new Set(reads.tags);
  for (const position of reads.records) {
    const { ids, unseen } = idsAt(data, position);
    tags.add(anyRecordTag(position.object));
    if (unseen) tags.add(unknownRecordTag(position.object));
    for (const id of ids) tags.add(recordTag(position.object, id));
  }
  return [...tags];
}

/** One mutation field of an operation: its effects with its arguments, and where its payload holds records. */
export interface PlannedWrite {
  /** The field's response key. */
  key: string;
  effects: readonly WriteEffect[];
  args: Record<string, unknown>;
  payload: RecordPosition[];
}

/**
 * The tags a mutation operation invalidates, from its plan and its answer. `errorPaths` are the
 * answer's error paths: a payload with an error under it may have lost its records to the error.
 */
export function mutationTags(writes: readonly PlannedWrite[], data: unknown, errorPaths: readonly (readonly (string | number)[])[] = []): string[] {
  const tags = new Set<string>();
  for (const write of writes) {
    const answered =
      propertyOf(data, write.key) != null &&
      !errorPaths.some((path) => path[0] === write.key);
    const payloadIds = (object: string): string[] | undefined => {
      // No payload, or one an error cut short: the write may have touched any record.
      if (!answered) return undefined;
      const positions = write.payload.filter((position) => position.object === object);
      if (positions.length === 0) return undefined;
      const ids: string[] = [];
      for (const position of positions) {
        const found = idsAt(data, position);
        if (found.unseen) return undefined;
        ids.push(...found.ids);
      }
      return ids;
    };
    for (const tag of writeTags(write.effects, write.args, payloadIds)) tags.add(tag);
  }
  return [...tags];
}
