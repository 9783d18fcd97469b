import { notFound } from './errors.js';
import type { HandlerContext } from './handler.js';
import type { ObjectDef } from './model.js';
import type { StoredRecord } from './store.js';

/** The object and record named by `/objects/{object}/records/{id}`; 404 for either unknown. */
export function recordTarget(context: HandlerContext): { object: ObjectDef; record: StoredRecord } {
  const object = context.workspace.registry.recordObject(context.params.object ?? '');
  const id = context.params.id ?? '';
  const record = context.workspace.store.get(object.slug, id);
  if (!record) throw notFound(`No ${object.slug} with id "${id}"`);
  return { object, record };
}

export function paged<T>(items: T[], paging: { limit: number; offset: number }): T[] {
  return items.slice(paging.offset, paging.offset + paging.limit);
}
