import { encodeGlobalId } from '../../plan/global-id.js';
import type { FieldMap } from '@pothos/core';
import { GraphQLError, print, type GraphQLResolveInfo } from 'graphql';
import { eventScope } from '../../live/event-scope.js';
import type { ChangeEvent, LiveDelivery } from '../../live/types.js';
import type { ClarifyFieldInfo } from '../../plan/field-info.js';
import type { GatewaySchemaTypes } from '../core/builder.js';
import { planEntry } from '../core/plan-entry.js';
import type { ObjectParts, SchemaRegistry } from '../core/registry.js';
import { USER_OBJECT } from '../../workspace/model.js';

type Types = PothosSchemaTypes.ExtendDefaultTypes<GatewaySchemaTypes>;


/**
 * `dealChanged(filter: DealFilter): DealChange!` for every object that can be listed by
 * `_updated_at` (all but `user`). Each yields `{ kind, id, changedAt, record }` for every record
 * created, updated or deleted while the subscription lasts.
 */
export function addSubscriptions(registry: SchemaRegistry): void {
  const builder = registry.builder;
  const objects = [...registry.objects.values()].flatMap((parts) => (parts.object.slug !== USER_OBJECT && parts.filter ? [{ parts, filter: parts.filter }] : []));
  if (objects.length === 0) return;
  // `ChangeKind` is reserved: no object type can take the name.
  const kind = builder.enumType('ChangeKind', {
    description: 'What happened to a record.',
    values: {
      CREATED: { value: 'CREATED', description: 'The record was created (its `createdAt` is after the subscription started watching).' },
      UPDATED: { value: 'UPDATED', description: 'The record was changed, or changed so that it now matches the filter.' },
      DELETED: { value: 'DELETED', description: 'The record was deleted; `record` is null.' },
    } as const,
  });
  const changeTypes = objects.map(({ parts, filter }) => ({
    parts,
    filter,
    ref: builder.objectRef<ChangeEvent>(registry.claim(`${parts.names.typeName}Change`)).implement({
      description: `A change to a ${parts.object.singular}.`,
      fields: (t) => ({
        kind: t.field({ type: kind, nullable: false, resolve: (event) => event.kind }),
        id: t.id({
          nullable: false,
          description: 'The global id of the record that changed (its `id`).',
          resolve: (event) => encodeGlobalId(parts.object.slug, event.id),
        }),
        clarifyId: t.exposeID('id', { nullable: false, description: 'The Clarify id of the record that changed.' }),
        changedAt: t.field({
          type: 'DateTime',
          nullable: false,
          description: 'When Clarify recorded the change (`updatedAt`, or the deletion time).',
          resolve: (event) => event.changedAt,
        }),
        record: t.field({
          type: parts.ref,
          nullable: true,
          description: 'The record as it is after the change; null when it was deleted.',
          resolve: (event) => event.record,
        }),
      }),
    }),
  }));

  builder.subscriptionType({
    description: 'Changes to records, pushed over Server-Sent Events or WebSocket (graphql-ws).',
    fields: (t): FieldMap => {
      const fields: FieldMap = {};
      for (const { parts, filter, ref } of changeTypes) {
        fields[`${parts.names.single}Changed`] = t.field({
          type: ref,
          nullable: false,
          description:
            `Every ${parts.object.singular} created, updated or deleted from now on that matches the filter. ` +
            'Subscribers with the same credential and filter share one poll of Clarify per interval.',
          args: { filter: t.arg({ type: filter, description: 'Conditions the changed records must meet (deletions are not filtered).' }) },
          extensions: { clarify: { role: 'changes', object: parts.object.slug } satisfies ClarifyFieldInfo },
          subscribe: (_root, _args, ctx, info) => subscribe(parts, ctx, info),
          resolve: (delivery, _args, ctx, info) => {
            if ('error' in delivery) throw new GraphQLError(delivery.error.message, { extensions: { code: delivery.error.code } });
            // This subscriber's nested fields resolve from the event's store for its selection.
            Object.assign(ctx, eventScope(delivery.event, selectionKey(info), ctx.client, ctx.call.credential));
            return delivery.event;
          },
        });
      }
      return fields;
    },
  });
}

/** graphql-js hands each delivery to `resolve` as the payload; an error item ends the stream there. */
function subscribe(parts: ObjectParts, ctx: Types['Context'], info: GraphQLResolveInfo): AsyncIterable<LiveDelivery> {
  if (!ctx.live) throw new GraphQLError('This gateway serves no subscriptions.', { extensions: { code: 'BAD_REQUEST' } });
  // The plan compiled the filter (or refused it) and knows what `record` selects.
  const entry = planEntry(ctx, info, 'changes');
  return ctx.live.subscribe({
    credential: ctx.call.credential,
    ...(ctx.caller !== undefined ? { caller: ctx.caller } : {}),
    object: parts.object.slug,
    filter: entry.filter,
    include: entry.include,
    ...(ctx.call.signal ? { signal: ctx.call.signal } : {}),
  });
}

const selectionKeys = new WeakMap<object, string>();

/** Operations that are printed the same with the same variables share an event's store. */
function selectionKey(info: GraphQLResolveInfo): string {
  let key = selectionKeys.get(info.operation);
  if (key === undefined) {
    const fragments = Object.values(info.fragments).map((fragment) => print(fragment)).sort().join('\n');
    key = `${print(info.operation)}\n${fragments}`;
    selectionKeys.set(info.operation, key);
  }
  return `${key}\n${JSON.stringify(info.variableValues)}`;
}
