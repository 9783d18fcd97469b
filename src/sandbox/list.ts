import { badParameter } from './errors.js';
import { compileFilter } from './filter.js';
import { parseInclude, resolveIncluded } from './include.js';
import { queryableField, type FieldDef, type ObjectDef } from './model.js';
import { isObject } from './schema-registry.js';
import { renderResource, type Resource } from './serialize.js';
import { sortedRange } from './sorted-range.js';
import type { Store, StoredRecord } from './store.js';

export const MAX_LIMIT = 500;

export type Query = Record<string, unknown>;

export interface Paging {
  limit: number;
  offset: number;
}

export interface ListDocument {
  data: Resource[];
  included?: Resource[];
  meta: { total_records: number; total_pages: number; offset: number; limit: number };
  links: { next: string | null; prev: string | null };
}

/** Where the request arrived, to build absolute `links`. */
export interface RequestUrl {
  origin: string;
  path: string;
  rawQuery: string;
}

export function parsePaging(query: Query): Paging {
  const page = query.page;
  if (page === undefined) return { limit: MAX_LIMIT, offset: 0 };
  if (!isObject(page)) throw badParameter('page must be given as page[limit] and page[offset]', 'page');
  const limit = integerParam(page.limit, 'page[limit]', MAX_LIMIT);
  const offset = integerParam(page.offset, 'page[offset]', 0);
  if (limit < 1 || limit > MAX_LIMIT) throw badParameter(`page[limit] must be between 1 and ${MAX_LIMIT}`, 'page[limit]');
  return { limit, offset };
}

function integerParam(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw badParameter(`${name} must be a whole number`, name);
  return Number(value);
}

export interface SortSpec {
  field: FieldDef | undefined;
  descending: boolean;
}

export function parseSort(object: ObjectDef, query: Query): SortSpec {
  const sort = query.sortOrder;
  if (sort === undefined) return { field: undefined, descending: false };
  if (!isObject(sort)) throw badParameter('sortOrder must be given as sortOrder[column] and sortOrder[dir]', 'sortOrder');
  const { column, dir } = sort;
  if (dir !== undefined && dir !== 'ASC' && dir !== 'DESC') throw badParameter('sortOrder[dir] must be ASC or DESC', 'sortOrder[dir]');
  if (column === undefined) return { field: undefined, descending: dir === 'DESC' };
  const field = typeof column === 'string' ? queryableField(object, column) : undefined;
  if (!field || field.kind === 'to-many') {
    throw badParameter(`sortOrder[column]: "${String(column)}" is not a sortable field of ${object.slug}`, 'sortOrder[column]');
  }
  return { field, descending: dir === 'DESC' };
}

type SortKey = string | number | null;

function sortKey(field: FieldDef, record: StoredRecord): SortKey {
  if (field.kind === 'id') return record.id;
  const value = record.attrs[field.name];
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    return field.kind === 'text' ? value.toLowerCase() : value;
  }
  if (isObject(value)) {
    if (typeof value.full_name === 'string') return value.full_name.toLowerCase();
    if (Array.isArray(value.items)) {
      const first: unknown = value.items[0];
      return first === undefined ? null : typeof first === 'string' ? first.toLowerCase() : JSON.stringify(first);
    }
  }
  return JSON.stringify(value);
}

function defaultCompare(a: StoredRecord, b: StoredRecord): number {
  const ca = a.attrs._created_at as string;
  const cb = b.attrs._created_at as string;
  if (ca !== cb) return ca < cb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Sorts records by the spec: nulls last in both directions, ties in the default order. */
export function sortRecords(records: StoredRecord[], spec: SortSpec): StoredRecord[] {
  if (!spec.field) {
    const base = [...records].sort(defaultCompare);
    return spec.descending ? base.reverse() : base;
  }
  const field = spec.field;
  const sign = spec.descending ? -1 : 1;
  const decorated = records.map((record) => ({ record, key: sortKey(field, record) }));
  decorated.sort((a, b) => {
    if (a.key !== b.key) {
      if (a.key === null) return 1;
      if (b.key === null) return -1;
      return (a.key < b.key ? -1 : 1) * sign;
    }
    return defaultCompare(a.record, b.record);
  });
  return decorated.map((entry) => entry.record);
}

/** All records of an object in the requested order, cached until the object next changes. */
export function sortedTable(store: Store, object: ObjectDef, spec: SortSpec): StoredRecord[] {
  const table = store.table(object.slug);
  const key = `${spec.field?.name ?? ''}:${spec.descending ? 'DESC' : 'ASC'}`;
  let sorted = table.sortCache.get(key);
  if (!sorted) {
    sorted = sortRecords([...table.records.values()], spec);
    table.sortCache.set(key, sorted);
  }
  return sorted;
}

export function buildLinks(url: RequestUrl, paging: Paging, total: number): ListDocument['links'] {
  const kept = url.rawQuery
    .split('&')
    .filter((piece) => {
      if (piece === '') return false;
      const rawKey = piece.split('=')[0] ?? '';
      let key: string;
      try {
        key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      } catch {
        key = rawKey;
      }
      return key !== 'page[offset]' && key !== 'page[limit]';
    });
  const at = (offset: number): string =>
    `${url.origin}${url.path}?${[...kept, `page[limit]=${paging.limit}`, `page[offset]=${offset}`].join('&')}`;
  const next = paging.offset + paging.limit < total ? at(paging.offset + paging.limit) : null;
  const prev = paging.offset > 0 ? at(Math.max(0, paging.offset - paging.limit)) : null;
  return { next, prev };
}

/**
 * A list envelope over an object's records: all of them (`candidates` undefined) or a given set,
 * filtered, sorted, paged, with `included` for the current page.
 */
export function listRecords(store: Store, object: ObjectDef, query: Query, url: RequestUrl, candidates?: StoredRecord[]): ListDocument {
  const paging = parsePaging(query);
  const spec = parseSort(object, query);
  const predicate = compileFilter(store, object, query.filter);
  const include = parseInclude(store, object, query.include);
  const ordered = candidates ? sortRecords(candidates, spec) : sortedTable(store, object, spec);
  const range = predicate && !candidates ? sortedRange(ordered, query, spec, predicate) : undefined;
  const matching = range ?? (predicate ? ordered.filter(predicate) : ordered);
  const page = matching.slice(paging.offset, paging.offset + paging.limit);
  const document: ListDocument = {
    data: page.map((record) => renderResource(store, object, record)),
    meta: {
      total_records: matching.length,
      total_pages: Math.ceil(matching.length / paging.limit),
      offset: paging.offset,
      limit: paging.limit,
    },
    links: buildLinks(url, paging, matching.length),
  };
  if (include.length > 0) document.included = resolveIncluded(store, object, page, include);
  return document;
}
