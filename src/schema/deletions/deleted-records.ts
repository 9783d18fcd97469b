/**
 * Deleted records: `deleted<Plural>(since)` per object, a page of `DeletedRecord` with the values
 * Clarify kept for the last 30 days.
 */
import type { FieldMap } from '@pothos/core';
import { listDeleted } from '../../client/record-extras.js';
import type { ClarifyResource } from '../../client/types.js';
import type { ClarifyFieldInfo } from '../../plan/field-info.js';
import { endpointConnection } from '../core/endpoint-connection.js';
import { recordObjects } from '../core/object-enum.js';
import { planEntry } from '../core/plan-entry.js';
import type { SchemaRegistry } from '../core/registry.js';
import { text } from '../core/values.js';

export function addDeletedRecords(registry: SchemaRegistry): void {
  const objects = recordObjects(registry);
  if (objects.length === 0) return;
  const builder = registry.builder;
  const deletedRecord = builder.objectRef<ClarifyResource>('DeletedRecord').implement({
    description: 'A record deleted in the last 30 days, with its last stored values.',
    fields: (t) => ({
      id: t.exposeID('id', { nullable: false }),
      object: t.string({ nullable: false, description: 'The object slug, e.g. `deal`.', resolve: (r) => r.type }),
      deletedAt: t.field({ type: 'DateTime', resolve: (r) => text(r.attributes._deleted_at) }),
      deletedById: t.string({ resolve: (r) => text(r.attributes._deleted_by) }),
      displayName: t.string({
        description: "The record's primary field when it was deleted.",
        resolve: (r) => {
          const primary = registry.parts(r.type)?.object.primaryField;
          const value = primary ? r.attributes[primary] : undefined;
          if (value && typeof value === 'object' && 'full_name' in value) return text(value.full_name);
          return text(value);
        },
      }),
      values: t.field({ type: 'JSON', nullable: false, description: 'Its attributes as Clarify kept them (snake_case names).', resolve: (r) => r.attributes }),
    }),
  });
  const connection = builder.connectionObject(
    {
      type: deletedRecord,
      name: 'DeletedRecordConnection',
      description: 'A page of deleted records, oldest deletion first.',
      fields: (t) => ({ totalCount: t.int({ nullable: false, resolve: (c) => c.totalCount }) }),
    },
    { name: 'DeletedRecordEdge' },
  );

  builder.queryFields((t) => {
    const fields: FieldMap = {};
    for (const parts of objects) {
      const slug = parts.object.slug;
      const info: ClarifyFieldInfo = { role: 'list', object: slug, feed: 'deleted' };
      fields[registry.claimRootField('query', `deleted${parts.names.pluralType}`)] = t.field({
        type: connection,
        description: `${parts.object.plural} deleted in the last 30 days, oldest deletion first; \`since\` keeps those deleted at or after it.`,
        args: { since: t.arg({ type: 'DateTime' }), ...t.arg.connectionArgs() },
        extensions: { clarify: info },
        resolve: (_root, args, ctx, gqlInfo) => {
          const since = args.since ? new Date(args.since).toISOString() : null;
          return endpointConnection(planEntry(ctx, gqlInfo, 'list').list.page, (limit, offset) => listDeleted(ctx.client, slug, since, { limit, offset }, ctx.call));
        },
      });
    }
    return fields;
  });
}
