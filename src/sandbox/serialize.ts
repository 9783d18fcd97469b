import { SYSTEM_FIELDS, isRelationship, type ObjectDef } from './model.js';
import type { Store, StoredRecord } from './store.js';

export interface Identifier {
  type: string;
  id: string;
}

export interface Resource {
  type: string;
  id: string;
  attributes: Record<string, unknown>;
  relationships: Record<string, unknown>;
}

/** A record as every read returns it: every field present (unset = null), relationships included. */
export function renderResource(store: Store, object: ObjectDef, record: StoredRecord): Resource {
  const attributes: Record<string, unknown> = { _id: record.id };
  const relationships: Record<string, unknown> = {};
  for (const field of object.fields.values()) {
    if (field.kind === 'to-many') {
      const entity = field.relationship?.entity ?? '';
      const ids = store.relatedIds(object, record, field);
      relationships[field.name] = { data: ids.map((id) => ({ type: entity, id })), meta: { count: ids.length } };
      continue;
    }
    const value = record.attrs[field.name];
    attributes[field.name] = value === undefined ? null : value;
    if (isRelationship(field)) {
      relationships[field.name] = { data: typeof value === 'string' ? { type: field.relationship?.entity ?? '', id: value } : null };
    }
  }
  for (const field of SYSTEM_FIELDS) {
    if (field.name === '_id') continue;
    const value = record.attrs[field.name];
    attributes[field.name] = value === undefined ? null : value;
  }
  return { type: object.slug, id: record.id, attributes, relationships };
}
