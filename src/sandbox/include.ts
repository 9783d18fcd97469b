import { badParameter } from './errors.js';
import { isRelationship, type FieldDef, type ObjectDef } from './model.js';
import { renderResource, type Resource } from './serialize.js';
import type { Store, StoredRecord } from './store.js';

const MAX_DEPTH = 3;

/** One include path, as the relationship fields to follow level by level. */
export type IncludePath = FieldDef[];

/** Parses `include=company_id,people.company_id` against the object's relationship fields. */
export function parseInclude(store: Store, object: ObjectDef, raw: unknown): IncludePath[] {
  if (raw === undefined || raw === '') return [];
  if (typeof raw !== 'string') throw badParameter('include must be a comma-separated list of relationship names', 'include');
  const paths: IncludePath[] = [];
  for (const entry of raw.split(',')) {
    const name = entry.trim();
    if (name === '') continue;
    const segments = name.split('.');
    if (segments.length > MAX_DEPTH) {
      throw badParameter(`include "${name}" is deeper than ${MAX_DEPTH} levels`, 'include');
    }
    const path: IncludePath = [];
    let current: ObjectDef | undefined = object;
    for (const segment of segments) {
      const field: FieldDef | undefined = current?.fields.get(segment);
      if (!current || !field || !isRelationship(field)) {
        throw badParameter(`include "${name}": "${segment}" is not a relationship of ${current?.slug ?? 'that object'}`, 'include');
      }
      path.push(field);
      current = store.registry.objects.get(field.relationship?.entity ?? '');
    }
    paths.push(path);
  }
  return paths;
}

/** The `included` array: each related record once, never one of the primary records. */
export function resolveIncluded(store: Store, object: ObjectDef, primaries: StoredRecord[], paths: IncludePath[]): Resource[] {
  if (paths.length === 0) return [];
  const primaryKeys = new Set(primaries.map((record) => `${record.type}:${record.id}`));
  const included = new Map<string, Resource>();
  for (const path of paths) {
    let level: Array<{ object: ObjectDef; record: StoredRecord }> = primaries.map((record) => ({ object, record }));
    for (const field of path) {
      const target = store.registry.objects.get(field.relationship?.entity ?? '');
      if (!target) break;
      const next = new Map<string, { object: ObjectDef; record: StoredRecord }>();
      for (const { object: owner, record } of level) {
        for (const related of store.related(owner, record, field)) {
          const key = `${related.type}:${related.id}`;
          if (next.has(key)) continue;
          next.set(key, { object: target, record: related });
          if (!primaryKeys.has(key) && !included.has(key)) included.set(key, renderResource(store, target, related));
        }
      }
      level = [...next.values()];
    }
  }
  return [...included.values()];
}
