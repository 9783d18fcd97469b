import { randomUUID } from 'node:crypto';
import { badRequest, notFound } from './errors.js';
import { stamp, type HandlerContext, type HandlerResult } from './handler.js';
import { parseInclude, resolveIncluded } from './include.js';
import { listRecords } from './list.js';
import { uniqueField, type ObjectDef } from './model.js';
import { isObject } from './schema-registry.js';
import { renderResource } from './serialize.js';
import { uniqueKeys, type StoredRecord } from './store.js';
import { ErrorList, envelopeData, normalizeAttributes, parseItem, type WriteItem } from './validation.js';

export const BULK_CREATE_LIMIT = 25;

function objectOf(context: HandlerContext): ObjectDef {
  return context.workspace.registry.recordObject(context.params.object ?? '');
}

function recordOf(context: HandlerContext, object: ObjectDef): StoredRecord {
  const id = context.params.id ?? '';
  const record = context.workspace.store.get(object.slug, id);
  if (!record) throw notFound(`No ${object.slug} with id "${id}"`);
  return record;
}

export function listResources(context: HandlerContext): HandlerResult {
  const object = objectOf(context);
  return { status: 200, body: listRecords(context.workspace.store, object, context.query, context.url) };
}

export function getRecord(context: HandlerContext): HandlerResult {
  const object = objectOf(context);
  const store = context.workspace.store;
  const include = parseInclude(store, object, context.query.include);
  const record = recordOf(context, object);
  const body: Record<string, unknown> = { data: renderResource(store, object, record) };
  if (include.length > 0) body.included = resolveIncluded(store, object, [record], include);
  return { status: 200, body };
}

function matchOn(object: ObjectDef, body: unknown): void {
  if (!isObject(body) || body.match_on === undefined) return;
  const field = uniqueField(object);
  if (typeof body.match_on !== 'string' || !field || body.match_on !== field.name) {
    throw badRequest(
      field ? `match_on must be "${field.name}", the unique field of ${object.slug}` : `${object.slug} has no unique field to match on`,
      { pointer: '/match_on' },
    );
  }
}

interface PlannedWrite {
  /** An existing record to update, or undefined for a new one. */
  existing?: StoredRecord;
  /** For several items of one batch that land on the same new record. */
  sameAs?: number;
  changes: Record<string, unknown>;
}

/** Validates create items and decides, per item, whether it creates or upserts. Writes nothing. */
function planCreates(context: HandlerContext, object: ObjectDef, items: unknown[], pointerOf: (index: number) => string): PlannedWrite[] {
  const store = context.workspace.store;
  const errors = new ErrorList();
  const unique = uniqueField(object);
  const plans: PlannedWrite[] = [];
  const batchKeys = new Map<string, number>();
  items.forEach((raw, index) => {
    const item = parseItem(object, raw, pointerOf(index), 'forbidden', errors);
    if (!item) return;
    const before = errors.errors.length;
    const changes = normalizeAttributes(store, object, item, 'update', errors);
    const keys = unique ? uniqueKeys(changes[unique.name]) : [];
    let existing: StoredRecord | undefined;
    let sameAs: number | undefined;
    if (unique && keys.length > 0) {
      const matches = store.findByUnique(object, unique, changes[unique.name]);
      if (matches.length > 1) {
        errors.add(400, `${unique.name}: the value matches ${matches.length} different records`, `${item.pointer}/attributes/${unique.name}`);
        return;
      }
      existing = matches[0];
      if (!existing) {
        // Items of one batch that share a unique value land on the same new record.
        sameAs = keys.map((key) => batchKeys.get(key)).find((earlier) => earlier !== undefined);
        for (const key of keys) if (!batchKeys.has(key)) batchKeys.set(key, sameAs ?? index);
      }
    }
    if (!existing && sameAs === undefined && errors.errors.length === before) {
      normalizeAttributes(store, object, item, 'create', errors);
    }
    plans[index] = { changes, ...(existing ? { existing } : {}), ...(sameAs !== undefined ? { sameAs } : {}) };
  });
  errors.throwIfAny();
  return plans;
}

/** Applies planned creates; returns each item's record and whether it matched an existing one. */
function applyCreates(context: HandlerContext, object: ObjectDef, plans: PlannedWrite[]): Array<{ record: StoredRecord; matched: boolean }> {
  const store = context.workspace.store;
  const results: Array<{ record: StoredRecord; matched: boolean }> = [];
  plans.forEach((plan, index) => {
    const time = stamp(context);
    const target = plan.existing ?? (plan.sameAs !== undefined ? results[plan.sameAs]?.record : undefined);
    if (target) {
      store.update(target, { ...plan.changes, ...time });
      results[index] = { record: target, matched: true };
      return;
    }
    const id = randomUUID();
    const attrs: Record<string, unknown> = { _id: id, _created_at: time._updated_at, _created_by: time._updated_by, ...time };
    for (const field of object.fields.values()) if (field.kind !== 'to-many') attrs[field.name] = plan.changes[field.name] ?? null;
    const record: StoredRecord = { id, type: object.slug, attrs };
    store.insert(record);
    results[index] = { record, matched: false };
  });
  return results;
}

export function createRecord(context: HandlerContext): HandlerResult {
  const object = objectOf(context);
  const body = context.body();
  const data = envelopeData(body, 'object');
  matchOn(object, body);
  const plans = planCreates(context, object, [data], () => '/data');
  const [result] = applyCreates(context, object, plans);
  return { status: result!.matched ? 200 : 201, body: { data: renderResource(context.workspace.store, object, result!.record) } };
}

export function bulkCreate(context: HandlerContext): HandlerResult {
  const object = objectOf(context);
  const body = context.body();
  const data = envelopeData(body, 'array') as unknown[];
  if (data.length > BULK_CREATE_LIMIT) {
    throw badRequest(`Bulk create takes at most ${BULK_CREATE_LIMIT} records per request (got ${data.length})`, { pointer: '/data' });
  }
  matchOn(object, body);
  const plans = planCreates(context, object, data, (index) => `/data/${index}`);
  const results = applyCreates(context, object, plans);
  const store = context.workspace.store;
  return { status: 200, body: { data: results.map(({ record }) => renderResource(store, object, record)) } };
}

function planUpdate(context: HandlerContext, object: ObjectDef, item: WriteItem, errors: ErrorList): Record<string, unknown> {
  return normalizeAttributes(context.workspace.store, object, item, 'update', errors);
}

export function updateRecord(context: HandlerContext): HandlerResult {
  const object = objectOf(context);
  const record = recordOf(context, object);
  const data = envelopeData(context.body(), 'object');
  const errors = new ErrorList();
  const item = parseItem(object, data, '/data', 'optional', errors);
  if (item?.id !== undefined && item.id !== record.id) {
    errors.add(422, `data.id "${item.id}" does not match the id in the path`, '/data/id');
  }
  const changes = item ? planUpdate(context, object, item, errors) : {};
  errors.throwIfAny();
  const store = context.workspace.store;
  store.update(record, { ...changes, ...stamp(context) });
  return { status: 200, body: { data: renderResource(store, object, record) } };
}

export function bulkUpdate(context: HandlerContext): HandlerResult {
  const object = objectOf(context);
  const data = envelopeData(context.body(), 'array') as unknown[];
  const store = context.workspace.store;
  const errors = new ErrorList();
  const planned: Array<{ record: StoredRecord; changes: Record<string, unknown> }> = [];
  const missing: string[] = [];
  data.forEach((raw, index) => {
    const item = parseItem(object, raw, `/data/${index}`, 'required', errors);
    if (!item || item.id === undefined) return;
    const record = store.get(object.slug, item.id);
    if (!record) {
      missing.push(item.id);
      return;
    }
    planned.push({ record, changes: planUpdate(context, object, item, errors) });
  });
  if (missing.length > 0) throw notFound(`No ${object.slug} with id ${missing.map((id) => `"${id}"`).join(', ')}; nothing was updated`);
  errors.throwIfAny();
  // One write, one moment: every record of a bulk update carries the same `_updated_at`.
  const time = stamp(context);
  for (const { record, changes } of planned) store.update(record, { ...changes, ...time });
  return { status: 200, body: { data: planned.map(({ record }) => renderResource(store, object, record)) } };
}

export function deleteRecord(context: HandlerContext): HandlerResult {
  const object = objectOf(context);
  const record = recordOf(context, object);
  context.workspace.store.remove(record, stamp(context));
  return { status: 204 };
}

export function bulkDelete(context: HandlerContext): HandlerResult {
  const object = objectOf(context);
  const body = context.body();
  if (!isObject(body) || !Array.isArray(body.items) || !body.items.every((id) => typeof id === 'string')) {
    throw badRequest('The request body must be {"items": [id, ...]}', { pointer: '/items' });
  }
  const store = context.workspace.store;
  const ids = body.items as string[];
  const missing = ids.filter((id) => !store.get(object.slug, id));
  if (missing.length > 0) throw notFound(`No ${object.slug} with id ${missing.map((id) => `"${id}"`).join(', ')}; nothing was deleted`);
  for (const id of new Set(ids)) {
    const record = store.get(object.slug, id);
    if (record) store.remove(record, stamp(context));
  }
  return { status: 204 };
}
