import { badRequest, invalid, notFound } from './errors.js';
import { stamp, type HandlerContext, type HandlerResult } from './handler.js';
import { listRecords } from './list.js';
import { isRelationship, type FieldDef, type ObjectDef } from './model.js';
import { isObject } from './schema-registry.js';
import type { Identifier } from './serialize.js';
import type { StoredRecord } from './store.js';
import { ErrorList } from './validation.js';

interface RelationshipTarget {
  object: ObjectDef;
  record: StoredRecord;
  field: FieldDef;
  target: ObjectDef;
}

function resolve(context: HandlerContext): RelationshipTarget {
  const { registry, store } = context.workspace;
  const object = registry.recordObject(context.params.object ?? '');
  const id = context.params.id ?? '';
  const record = store.get(object.slug, id);
  if (!record) throw notFound(`No ${object.slug} with id "${id}"`);
  const name = context.params.rel ?? '';
  const field = object.fields.get(name);
  if (!field || !isRelationship(field)) throw notFound(`${object.slug} has no relationship "${name}"`);
  const target = registry.require(field.relationship?.entity ?? '');
  return { object, record, field, target };
}

export function getRelationship(context: HandlerContext): HandlerResult {
  const { object, record, field, target } = resolve(context);
  const store = context.workspace.store;
  const related = store.related(object, record, field);
  return { status: 200, body: listRecords(store, target, context.query, context.url, related) };
}

/** The records named by a relationship body, checked for type and existence. `null` ids clear a to-one. */
function linkedRecords(context: HandlerContext, rel: RelationshipTarget, allowSingle: boolean): Array<StoredRecord | null> {
  const body = context.body();
  if (!isObject(body) || !('data' in body)) {
    throw badRequest('The request body must be {"data": [{"type", "id"}, ...]}', { pointer: '/data' });
  }
  const toOne = rel.field.kind === 'fk';
  let items: unknown[];
  if (Array.isArray(body.data)) items = body.data;
  else if (toOne && allowSingle && (body.data === null || isObject(body.data))) items = body.data === null ? [] : [body.data];
  else throw badRequest('"data" must be an array of {"type", "id"} identifiers', { pointer: '/data' });

  const errors = new ErrorList();
  const out: Array<StoredRecord | null> = [];
  const missing: string[] = [];
  items.forEach((item, index) => {
    const pointer = Array.isArray(body.data) ? `/data/${index}` : '/data';
    if (!isObject(item)) {
      errors.add(400, 'Each item must be an object {"type", "id"}', pointer);
      return;
    }
    if (item.type !== rel.target.slug) {
      errors.add(422, `type must be "${rel.target.slug}" for ${rel.field.name}`, `${pointer}/type`);
      return;
    }
    if (item.id === null && toOne) {
      out.push(null);
      return;
    }
    if (typeof item.id !== 'string') {
      errors.add(422, 'id must be a string', `${pointer}/id`);
      return;
    }
    const found = context.workspace.store.get(rel.target.slug, item.id);
    if (!found) missing.push(item.id);
    else out.push(found);
  });
  errors.throwIfAny();
  if (missing.length > 0) throw notFound(`No ${rel.target.slug} with id ${missing.map((id) => `"${id}"`).join(', ')}`);
  return out;
}

function identifiers(context: HandlerContext, rel: RelationshipTarget): Identifier[] {
  return context.workspace.store.relatedIds(rel.object, rel.record, rel.field).map((id) => ({ type: rel.target.slug, id }));
}

export function patchRelationship(context: HandlerContext): HandlerResult {
  const rel = resolve(context);
  const listed = linkedRecords(context, rel, true);
  const store = context.workspace.store;
  const { record, field, object } = rel;
  if (field.kind === 'fk' && listed.length > 1) {
    throw invalid(`${field.name} links one ${rel.target.slug}; got ${listed.length}`, '/data');
  }
  if (field.kind === 'fk') {
    store.update(record, { [field.name]: listed[0]?.id ?? null, ...stamp(context) });
  } else if (field.relationship?.kind === 'one-to-many') {
    const inverse = field.relationship.field ?? '';
    for (const child of listed) if (child) store.update(child, { [inverse]: record.id, ...stamp(context) });
  } else {
    const wanted = new Set(listed.filter((item): item is StoredRecord => item !== null).map((item) => item.id));
    for (const id of store.relatedIds(object, record, field)) if (!wanted.has(id)) store.removeLink(object, field, record.id, id);
    for (const id of wanted) store.addLink(object, field, record.id, id);
    store.update(record, stamp(context));
  }
  return { status: 200, body: { data: identifiers(context, rel) } };
}

export function deleteRelationship(context: HandlerContext): HandlerResult {
  const rel = resolve(context);
  const listed = linkedRecords(context, rel, true).filter((item): item is StoredRecord => item !== null);
  const store = context.workspace.store;
  const { record, field, object } = rel;
  if (field.kind === 'fk') {
    if (listed.some((item) => item.id === record.attrs[field.name])) store.update(record, { [field.name]: null, ...stamp(context) });
  } else if (field.relationship?.kind === 'one-to-many') {
    const inverse = field.relationship.field ?? '';
    for (const child of listed) {
      if (child.attrs[inverse] === record.id) store.update(child, { [inverse]: null, ...stamp(context) });
    }
  } else {
    const linked = new Set(store.relatedIds(object, record, field));
    let changed = false;
    for (const item of listed) {
      if (!linked.has(item.id)) continue;
      store.removeLink(object, field, record.id, item.id);
      changed = true;
    }
    if (changed) store.update(record, stamp(context));
  }
  return { status: 204 };
}
