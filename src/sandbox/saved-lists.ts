import { createHash, randomUUID } from 'node:crypto';
import { badRequest, invalid, notFound } from './errors.js';
import type { Extras, SavedList } from './extras.js';
import { compileFilter } from './filter.js';
import { stamp, type HandlerContext, type HandlerResult } from './handler.js';
import { buildLinks, listRecords, parsePaging, sortedTable } from './list.js';
import type { ObjectDef } from './model.js';
import { paged } from './record-target.js';
import { isObject } from './schema-registry.js';
import type { Store, StoredRecord } from './store.js';

const MAX_NAME = 100;

/** The records a list holds now: static members that still exist, or the dynamic filter's matches. */
function listMembers(store: Store, object: ObjectDef, list: SavedList): StoredRecord[] {
  if (list.kind === 'static') {
    const out: StoredRecord[] = [];
    for (const id of list.members) {
      const record = store.get(object.slug, id);
      if (record) out.push(record);
    }
    return out;
  }
  const predicate = compileFilter(store, object, list.filter ?? undefined);
  const all = sortedTable(store, object, { field: undefined, descending: false });
  return predicate ? all.filter(predicate) : [...all];
}

function render(store: Store, object: ObjectDef, list: SavedList): unknown {
  return {
    type: 'list',
    id: list.id,
    attributes: {
      _id: list.id,
      name: list.name,
      object: list.object,
      kind: list.kind,
      filter: list.filter,
      record_count: listMembers(store, object, list).length,
      _created_at: list.createdAt,
      _created_by: list.createdBy,
      _updated_at: list.updatedAt,
      _updated_by: list.updatedBy,
    },
  };
}

function listEnvelope(context: HandlerContext, lists: SavedList[]): HandlerResult {
  const { registry, store } = context.workspace;
  const paging = parsePaging(context.query);
  const data = paged(lists, paging).map((list) => render(store, registry.require(list.object), list));
  return {
    status: 200,
    body: {
      data,
      meta: { total_records: lists.length, total_pages: Math.ceil(lists.length / paging.limit), offset: paging.offset, limit: paging.limit },
      links: buildLinks(context.url, paging, lists.length),
    },
  };
}

/** `GET /lists`: every saved list of the workspace. */
export function listAllLists(context: HandlerContext): HandlerResult {
  return listEnvelope(context, [...context.workspace.extras.lists.values()]);
}

/** `GET /objects/{o}/lists`. */
export function listObjectLists(context: HandlerContext): HandlerResult {
  const object = context.workspace.registry.recordObject(context.params.object ?? '');
  return listEnvelope(context, [...context.workspace.extras.lists.values()].filter((list) => list.object === object.slug));
}

function listOf(context: HandlerContext): { object: ObjectDef; list: SavedList } {
  const object = context.workspace.registry.recordObject(context.params.object ?? '');
  const id = context.params.list ?? '';
  const list = context.workspace.extras.lists.get(id);
  if (!list || list.object !== object.slug) throw notFound(`No ${object.slug} list with id "${id}"`);
  return { object, list };
}

function parseName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_NAME) throw invalid(`name must be 1 to ${MAX_NAME} characters`, '/name');
  return value.trim();
}

function parseDynamicFilter(store: Store, object: ObjectDef, value: unknown): Record<string, unknown> {
  if (!isObject(value) || Object.keys(value).length === 0) {
    throw invalid('a dynamic list needs a filter object in the /resources syntax, e.g. {"stage": {"Is": "Won"}}', '/filter');
  }
  try {
    compileFilter(store, object, value);
  } catch (error) {
    throw invalid(`filter: ${(error as Error).message}`, '/filter');
  }
  return value;
}

/** `POST /objects/{o}/lists` with `{name, kind: "static"|"dynamic", filter?}`. */
export function createList(context: HandlerContext): HandlerResult {
  const object = context.workspace.registry.recordObject(context.params.object ?? '');
  const body = context.body();
  if (!isObject(body)) throw badRequest('The request body must be {"name", "kind", "filter"?}');
  const name = parseName(body.name);
  const kind = body.kind ?? 'static';
  if (kind !== 'static' && kind !== 'dynamic') throw invalid('kind must be "static" or "dynamic"', '/kind');
  const store = context.workspace.store;
  if (kind === 'static' && body.filter !== undefined && body.filter !== null) throw invalid('a static list takes no filter', '/filter');
  const filter = kind === 'dynamic' ? parseDynamicFilter(store, object, body.filter) : null;
  const time = stamp(context);
  const list: SavedList = {
    id: randomUUID(),
    object: object.slug,
    name,
    kind,
    filter,
    members: [],
    createdAt: time._updated_at,
    createdBy: time._updated_by,
    updatedAt: time._updated_at,
    updatedBy: time._updated_by,
  };
  context.workspace.extras.lists.set(list.id, list);
  return { status: 201, body: { data: render(store, object, list) } };
}

export function getList(context: HandlerContext): HandlerResult {
  const { object, list } = listOf(context);
  return { status: 200, body: { data: render(context.workspace.store, object, list) } };
}

/** `PATCH /objects/{o}/lists/{list}` with `{name?, filter?}` (filter: dynamic lists only). */
export function updateList(context: HandlerContext): HandlerResult {
  const { object, list } = listOf(context);
  const body = context.body();
  if (!isObject(body)) throw badRequest('The request body must be {"name"?, "filter"?}');
  const store = context.workspace.store;
  const name = body.name === undefined ? list.name : parseName(body.name);
  let filter = list.filter;
  if (body.filter !== undefined) {
    if (list.kind === 'static') throw invalid('a static list takes no filter', '/filter');
    filter = parseDynamicFilter(store, object, body.filter);
  }
  const time = stamp(context);
  Object.assign(list, { name, filter, updatedAt: time._updated_at, updatedBy: time._updated_by });
  return { status: 200, body: { data: render(store, object, list) } };
}

export function deleteList(context: HandlerContext): HandlerResult {
  const { list } = listOf(context);
  context.workspace.extras.lists.delete(list.id);
  return { status: 204 };
}

/** `GET /objects/{o}/lists/{list}/resources`: the list's records, with filter, sort, page and include. */
export function listListRecords(context: HandlerContext): HandlerResult {
  const { object, list } = listOf(context);
  const store = context.workspace.store;
  return { status: 200, body: listRecords(store, object, context.query, context.url, listMembers(store, object, list)) };
}

function memberIds(context: HandlerContext, object: ObjectDef): string[] {
  const body = context.body();
  if (!isObject(body) || !Array.isArray(body.data)) throw badRequest('The request body must be {"data": [{"type", "id"}, ...]}', { pointer: '/data' });
  const ids: string[] = [];
  const missing: string[] = [];
  body.data.forEach((item, index) => {
    if (!isObject(item) || typeof item.id !== 'string') throw invalid('each item needs a string "id"', `/data/${index}/id`);
    if (item.type !== undefined && item.type !== object.slug) throw invalid(`type must be "${object.slug}"`, `/data/${index}/type`);
    if (!context.workspace.store.get(object.slug, item.id)) missing.push(item.id);
    ids.push(item.id);
  });
  if (missing.length > 0) throw notFound(`No ${object.slug} with id ${missing.map((id) => `"${id}"`).join(', ')}; nothing was changed`);
  return ids;
}

/** `POST /objects/{o}/lists/{list}/resources`: adds records to a static list (already present: kept once). */
export function addListRecords(context: HandlerContext): HandlerResult {
  const { object, list } = listOf(context);
  if (list.kind !== 'static') throw invalid('records are added to static lists only; a dynamic list follows its filter', '/data');
  const ids = memberIds(context, object);
  const present = new Set(list.members);
  for (const id of ids) {
    if (present.has(id)) continue;
    present.add(id);
    list.members.push(id);
  }
  const time = stamp(context);
  Object.assign(list, { updatedAt: time._updated_at, updatedBy: time._updated_by });
  return { status: 200, body: { data: list.members.map((id) => ({ type: object.slug, id })) } };
}

/** `DELETE /objects/{o}/lists/{list}/resources`: removes the listed records; others stay. */
export function removeListRecords(context: HandlerContext): HandlerResult {
  const { list } = listOf(context);
  if (list.kind !== 'static') throw invalid('records are removed from static lists only', '/data');
  const body = context.body();
  if (!isObject(body) || !Array.isArray(body.data)) throw badRequest('The request body must be {"data": [{"type", "id"}, ...]}', { pointer: '/data' });
  const gone = new Set(body.data.flatMap((item) => (isObject(item) && typeof item.id === 'string' ? [item.id] : [])));
  list.members = list.members.filter((id) => !gone.has(id));
  const time = stamp(context);
  Object.assign(list, { updatedAt: time._updated_at, updatedBy: time._updated_by });
  return { status: 204 };
}

function seededId(seed: number, name: string): string {
  const hex = createHash('sha1').update(`list:${seed}:${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Two demo lists: a static list of the first companies and a dynamic list of open deals. */
export function seedLists(extras: Extras, store: Store, seed: number): void {
  const companies = store.registry.require('company');
  const firstCompanies = sortedTable(store, companies, { field: undefined, descending: false }).slice(0, 5);
  const at = '2026-01-05T09:00:00.000Z';
  const base = { createdAt: at, createdBy: 'system', updatedAt: at, updatedBy: 'system' };
  const keyAccounts: SavedList = {
    ...base,
    id: seededId(seed, 'Key accounts'),
    object: 'company',
    name: 'Key accounts',
    kind: 'static',
    filter: null,
    members: firstCompanies.map((record) => record.id),
  };
  const openDeals: SavedList = {
    ...base,
    id: seededId(seed, 'Open deals'),
    object: 'deal',
    name: 'Open deals',
    kind: 'dynamic',
    filter: { stage: { 'Not one of': 'Won,Lost' } },
    members: [],
  };
  extras.lists.set(keyAccounts.id, keyAccounts);
  extras.lists.set(openDeals.id, openDeals);
}
