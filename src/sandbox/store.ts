import { randomUUID } from 'node:crypto';
import type { FieldDef, ObjectDef } from './model.js';
import { isObject, type SchemaRegistry } from './schema-registry.js';

/** A record as stored: attribute values by name (system fields included); unset fields are null or absent. */
export interface StoredRecord {
  id: string;
  type: string;
  attrs: Record<string, unknown>;
}

export interface Table {
  records: Map<string, StoredRecord>;
  /** Bumped on every change to a record of this object; invalidates `sortCache`. */
  version: number;
  sortCache: Map<string, StoredRecord[]>;
}

type IdSets = Map<string, Set<string>>;

/** One entry of a record's timeline (`/activities`). */
export interface ActivityEntry {
  id: string;
  kind: string;
  occurredAt: string;
  actor: string;
  details: Record<string, unknown>;
}

/** A deleted record as `deleted-resources` reports it: its last attributes and when and by whom it went. */
export interface DeletedEntry {
  id: string;
  type: string;
  attrs: Record<string, unknown>;
  deletedAt: string;
  deletedBy: string;
}

/** Both directions of a many-to-many link, stored once and read from either side. */
interface Link {
  forward: IdSets;
  backward: IdSets;
}

interface OrientedLink {
  out: IdSets;
  back: IdSets;
}

/** What a unique field is matched by: each collection item (ignoring case), or the value itself. */
export function uniqueKeys(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (isObject(value) && Array.isArray(value.items)) return value.items.map((item) => String(item).toLowerCase());
  return [typeof value === 'string' ? value : JSON.stringify(value)];
}

function addTo(map: IdSets, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom(map: IdSets, key: string, value: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

/**
 * Records by object, with an index of FK values (for one-to-many reads and delete cascades)
 * and many-to-many link sets.
 */
export class Store {
  readonly tables = new Map<string, Table>();
  private readonly fkIndex = new Map<string, IdSets>();
  private readonly links = new Map<string, Link>();
  /** Built on first use per object and unique field, then kept current by every write. */
  private readonly uniqueIndexes = new Map<string, Map<string, IdSets>>();
  /** Every deletion by object, oldest first; every delete route ends in `remove`. */
  readonly deletions = new Map<string, DeletedEntry[]>();
  /** Logged timeline entries by record id, oldest first (creation is derived from `_created_at`). */
  readonly activities = new Map<string, ActivityEntry[]>();

  constructor(readonly registry: SchemaRegistry) {}

  table(slug: string): Table {
    let table = this.tables.get(slug);
    if (!table) {
      table = { records: new Map(), version: 0, sortCache: new Map() };
      this.tables.set(slug, table);
    }
    return table;
  }

  get(slug: string, id: string): StoredRecord | undefined {
    return this.tables.get(slug)?.records.get(id);
  }

  touch(slug: string): void {
    const table = this.table(slug);
    table.version++;
    table.sortCache.clear();
  }

  insert(record: StoredRecord): void {
    const object = this.registry.require(record.type);
    this.table(record.type).records.set(record.id, record);
    for (const field of object.fields.values()) {
      if (field.kind !== 'fk') continue;
      const value = record.attrs[field.name];
      if (typeof value === 'string') addTo(this.fkMap(record.type, field.name), value, record.id);
    }
    for (const [name, index] of this.uniqueIndexes.get(record.type) ?? []) {
      for (const key of uniqueKeys(record.attrs[name])) addTo(index, key, record.id);
    }
    this.touch(record.type);
  }

  /** Applies attribute changes (already validated), keeping the FK index in step. */
  update(record: StoredRecord, changes: Record<string, unknown>): void {
    const object = this.registry.require(record.type);
    const indexes = this.uniqueIndexes.get(record.type);
    const changed = Object.keys(changes).filter(
      (name) => !name.startsWith('_') && JSON.stringify(record.attrs[name] ?? null) !== JSON.stringify(changes[name] ?? null),
    );
    for (const [name, value] of Object.entries(changes)) {
      const index = indexes?.get(name);
      if (index) {
        for (const key of uniqueKeys(record.attrs[name])) removeFrom(index, key, record.id);
        for (const key of uniqueKeys(value)) addTo(index, key, record.id);
      }
      const field = object.fields.get(name);
      if (field?.kind === 'fk') {
        const previous = record.attrs[name];
        if (previous !== value) {
          const index = this.fkMap(record.type, name);
          if (typeof previous === 'string') removeFrom(index, previous, record.id);
          if (typeof value === 'string') addTo(index, value, record.id);
        }
      }
      // Unset values are kept as null so records of one object keep one shape.
      record.attrs[name] = value ?? null;
    }
    this.touch(record.type);
    if (changed.length > 0) {
      this.logActivity(record.id, 'record_updated', changes, { fields: changed });
    }
  }

  /** Appends to a record's timeline; `stamp` gives the time and actor of the change. */
  logActivity(recordId: string, kind: string, stamp: Record<string, unknown>, details: Record<string, unknown>): ActivityEntry {
    const entry: ActivityEntry = {
      id: randomUUID(),
      kind,
      occurredAt: typeof stamp._updated_at === 'string' ? stamp._updated_at : new Date().toISOString(),
      actor: typeof stamp._updated_by === 'string' ? stamp._updated_by : 'system',
      details,
    };
    let log = this.activities.get(recordId);
    if (!log) this.activities.set(recordId, (log = []));
    log.push(entry);
    return entry;
  }

  /** Deletes a record, clearing FKs that point at it and unlinking it everywhere. */
  remove(record: StoredRecord, stamp: Record<string, unknown>): void {
    const object = this.registry.require(record.type);
    for (const { object: other, field } of this.registry.fieldsTargeting(record.type)) {
      if (field.kind === 'fk') {
        const sources = this.fkIndex.get(`${other.slug}.${field.name}`)?.get(record.id);
        if (!sources) continue;
        for (const sourceId of [...sources]) {
          const source = this.get(other.slug, sourceId);
          if (source) this.update(source, { [field.name]: null, ...stamp });
        }
      } else if (field.kind === 'to-many' && field.relationship?.kind === 'many-to-many') {
        const { out, back } = this.link(other, field);
        for (const sourceId of back.get(record.id) ?? []) removeFrom(out, sourceId, record.id);
        back.delete(record.id);
      }
    }
    for (const field of object.fields.values()) {
      if (field.kind === 'fk') {
        const value = record.attrs[field.name];
        if (typeof value === 'string') removeFrom(this.fkMap(record.type, field.name), value, record.id);
      } else if (field.kind === 'to-many' && field.relationship?.kind === 'many-to-many') {
        const { out, back } = this.link(object, field);
        for (const targetId of out.get(record.id) ?? []) removeFrom(back, targetId, record.id);
        out.delete(record.id);
      }
    }
    for (const [name, index] of this.uniqueIndexes.get(record.type) ?? []) {
      for (const key of uniqueKeys(record.attrs[name])) removeFrom(index, key, record.id);
    }
    this.table(record.type).records.delete(record.id);
    this.touch(record.type);
    let log = this.deletions.get(record.type);
    if (!log) this.deletions.set(record.type, (log = []));
    log.push({
      id: record.id,
      type: record.type,
      attrs: { ...record.attrs },
      deletedAt: typeof stamp._updated_at === 'string' ? stamp._updated_at : new Date().toISOString(),
      deletedBy: typeof stamp._updated_by === 'string' ? stamp._updated_by : 'system',
    });
  }

  /** Moves every link that points at `fromId` to `toId`: FKs of other records and many-to-many links. */
  repointLinks(object: ObjectDef, fromId: string, toId: string, stamp: Record<string, unknown>): void {
    for (const { object: other, field } of this.registry.fieldsTargeting(object.slug)) {
      if (field.kind === 'fk') {
        const sources = this.fkIndex.get(`${other.slug}.${field.name}`)?.get(fromId);
        for (const sourceId of [...(sources ?? [])]) {
          const source = this.get(other.slug, sourceId);
          if (source) this.update(source, { [field.name]: toId, ...stamp });
        }
      } else if (field.kind === 'to-many' && field.relationship?.kind === 'many-to-many') {
        const { out, back } = this.link(other, field);
        for (const sourceId of [...(back.get(fromId) ?? [])]) {
          removeFrom(out, sourceId, fromId);
          if (sourceId === fromId) continue;
          addTo(out, sourceId, toId);
          addTo(back, toId, sourceId);
        }
        back.delete(fromId);
      }
    }
    for (const field of object.fields.values()) {
      if (field.kind !== 'to-many' || field.relationship?.kind !== 'many-to-many') continue;
      const { out, back } = this.link(object, field);
      for (const targetId of [...(out.get(fromId) ?? [])]) {
        removeFrom(back, targetId, fromId);
        if (targetId === toId) continue;
        addTo(back, targetId, toId);
        addTo(out, toId, targetId);
      }
      out.delete(fromId);
    }
    this.touch(object.slug);
  }

  /** Records whose unique field shares a key with `value` (for a collection: any one item). */
  findByUnique(object: ObjectDef, field: FieldDef, value: unknown): StoredRecord[] {
    let indexes = this.uniqueIndexes.get(object.slug);
    if (!indexes) this.uniqueIndexes.set(object.slug, (indexes = new Map()));
    let index = indexes.get(field.name);
    if (!index) {
      index = new Map();
      for (const record of this.table(object.slug).records.values()) {
        for (const key of uniqueKeys(record.attrs[field.name])) addTo(index, key, record.id);
      }
      indexes.set(field.name, index);
    }
    const ids = new Set<string>();
    for (const key of uniqueKeys(value)) for (const id of index.get(key) ?? []) ids.add(id);
    const out: StoredRecord[] = [];
    for (const id of ids) {
      const record = this.get(object.slug, id);
      if (record) out.push(record);
    }
    return out;
  }

  /** Ids linked through a relationship field (FK or to-many), in link order. */
  relatedIds(object: ObjectDef, record: StoredRecord, field: FieldDef): string[] {
    if (field.kind === 'fk') {
      const value = record.attrs[field.name];
      return typeof value === 'string' ? [value] : [];
    }
    const relation = field.relationship;
    if (field.kind !== 'to-many' || !relation) return [];
    if (relation.kind === 'one-to-many') {
      if (!relation.field) return [];
      const set = this.fkIndex.get(`${relation.entity}.${relation.field}`)?.get(record.id);
      return set ? [...set] : [];
    }
    const set = this.link(object, field).out.get(record.id);
    return set ? [...set] : [];
  }

  relatedCount(object: ObjectDef, record: StoredRecord, field: FieldDef): number {
    const relation = field.relationship;
    if (field.kind === 'to-many' && relation?.kind === 'one-to-many' && relation.field) {
      return this.fkIndex.get(`${relation.entity}.${relation.field}`)?.get(record.id)?.size ?? 0;
    }
    if (field.kind === 'to-many') return this.link(object, field).out.get(record.id)?.size ?? 0;
    return this.relatedIds(object, record, field).length;
  }

  related(object: ObjectDef, record: StoredRecord, field: FieldDef): StoredRecord[] {
    const entity = field.relationship?.entity;
    if (!entity) return [];
    if (field.kind === 'fk') {
      const value = record.attrs[field.name];
      const target = typeof value === 'string' ? this.tables.get(entity)?.records.get(value) : undefined;
      return target ? [target] : [];
    }
    const out: StoredRecord[] = [];
    for (const id of this.relatedIds(object, record, field)) {
      const related = this.get(entity, id);
      if (related) out.push(related);
    }
    return out;
  }

  /** Links two records through a many-to-many field. */
  addLink(object: ObjectDef, field: FieldDef, fromId: string, toId: string): void {
    const { out, back } = this.link(object, field);
    addTo(out, fromId, toId);
    addTo(back, toId, fromId);
  }

  removeLink(object: ObjectDef, field: FieldDef, fromId: string, toId: string): void {
    const { out, back } = this.link(object, field);
    removeFrom(out, fromId, toId);
    removeFrom(back, toId, fromId);
  }

  private fkMap(slug: string, field: string): IdSets {
    const key = `${slug}.${field}`;
    let map = this.fkIndex.get(key);
    if (!map) this.fkIndex.set(key, (map = new Map()));
    return map;
  }

  private link(object: ObjectDef, field: FieldDef): OrientedLink {
    const relation = field.relationship;
    const own = `${object.slug}.${field.name}`;
    const inverse = relation?.field ? `${relation.entity}.${relation.field}` : undefined;
    const key = inverse !== undefined && inverse < own ? inverse : own;
    let link = this.links.get(key);
    if (!link) this.links.set(key, (link = { forward: new Map(), backward: new Map() }));
    return key === own ? { out: link.forward, back: link.backward } : { out: link.backward, back: link.forward };
  }
}
