import { invalid, notFound } from './errors.js';
import { stamp, type HandlerContext, type HandlerResult } from './handler.js';
import { recordTarget } from './record-target.js';
import { isObject } from './schema-registry.js';
import { renderResource } from './serialize.js';
import type { StoredRecord } from './store.js';

/** Objects whose duplicates can be merged. */
export const MERGEABLE_OBJECTS: readonly string[] = ['person', 'company', 'deal'];
export const MAX_MERGE_SOURCES = 20;

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  return isObject(value) && Array.isArray(value.items) && value.items.length === 0;
}

/** Survivor's values win; empty ones are filled from the sources in order; collections are united. */
function mergedValues(survivor: StoredRecord, sources: StoredRecord[], fieldNames: string[]): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const name of fieldNames) {
    const own = survivor.attrs[name];
    if (isObject(own) && Array.isArray(own.items)) {
      const items: unknown[] = [...own.items];
      const seen = new Set(items.map((item) => JSON.stringify(typeof item === 'string' ? item.toLowerCase() : item)));
      for (const source of sources) {
        const theirs = source.attrs[name];
        if (!isObject(theirs) || !Array.isArray(theirs.items)) continue;
        for (const item of theirs.items) {
          const key = JSON.stringify(typeof item === 'string' ? item.toLowerCase() : item);
          if (seen.has(key)) continue;
          seen.add(key);
          items.push(item);
        }
      }
      if (items.length !== own.items.length) changes[name] = { items };
      continue;
    }
    if (!isEmpty(own)) continue;
    const donor = sources.find((source) => !isEmpty(source.attrs[name]));
    if (donor) changes[name] = donor.attrs[name];
  }
  return changes;
}

/**
 * `POST /objects/{o}/records/{id}/merges` with `{"data": {"type": "merge", "attributes": {"sources": [ids]}}}`:
 * the sources' values fill the survivor's empty fields, their links, comments and attachments move to
 * it, and the sources are deleted (listed in deleted-resources).
 */
export function mergeRecords(context: HandlerContext): HandlerResult {
  const { object, record: survivor } = recordTarget(context);
  if (!MERGEABLE_OBJECTS.includes(object.slug)) {
    throw invalid(`${object.slug} records cannot be merged; merging is available for ${MERGEABLE_OBJECTS.join(', ')}`, '/data');
  }
  const body = context.body();
  const attributes = isObject(body) && isObject(body.data) ? body.data.attributes : undefined;
  const sourceIds = isObject(attributes) ? attributes.sources : undefined;
  if (!Array.isArray(sourceIds) || sourceIds.length === 0 || !sourceIds.every((id) => typeof id === 'string')) {
    throw invalid('data.attributes.sources must be a non-empty array of record ids', '/data/attributes/sources');
  }
  const ids = [...new Set(sourceIds as string[])];
  if (ids.length > MAX_MERGE_SOURCES) throw invalid(`at most ${MAX_MERGE_SOURCES} sources per merge`, '/data/attributes/sources');
  const selfIndex = (sourceIds as string[]).indexOf(survivor.id);
  if (selfIndex !== -1) throw invalid('a record cannot be merged into itself', `/data/attributes/sources/${selfIndex}`);
  const { store, extras } = context.workspace;
  const missing = ids.filter((id) => !store.get(object.slug, id));
  if (missing.length > 0) throw notFound(`No ${object.slug} with id ${missing.map((id) => `"${id}"`).join(', ')}; nothing was merged`);
  const sources = ids.map((id) => store.get(object.slug, id)!);

  const time = stamp(context);
  const fieldNames = [...object.fields.values()].filter((field) => field.kind !== 'to-many').map((field) => field.name);
  const changes = mergedValues(survivor, sources, fieldNames);
  for (const source of sources) {
    store.repointLinks(object, source.id, survivor.id, time);
    for (const comment of extras.comments.values()) if (comment.recordId === source.id) comment.recordId = survivor.id;
    for (const attachment of extras.attachments.values()) if (attachment.recordId === source.id) attachment.recordId = survivor.id;
    const moved = store.activities.get(source.id);
    if (moved) {
      store.activities.set(survivor.id, [...(store.activities.get(survivor.id) ?? []), ...moved]);
      store.activities.delete(source.id);
    }
    store.remove(source, time);
  }
  store.update(survivor, { ...changes, ...time });
  store.logActivity(survivor.id, 'records_merged', time, { sources: ids });
  return { status: 200, body: { data: renderResource(store, object, survivor) } };
}
