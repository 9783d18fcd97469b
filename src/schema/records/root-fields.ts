import type { FieldMap } from '@pothos/core';
import type { ListPage } from '../../client/types.js';
import type { GatewaySchemaTypes } from '../core/builder.js';
import type { ClarifyFieldInfo } from '../../plan/field-info.js';
import { planEntry } from '../core/plan-entry.js';
import type { ConnectionRef, ObjectParts, SchemaRegistry } from '../core/registry.js';
import { keyedConnection, keyedConnectionBefore, type KeyedReader } from '../core/keyset-connection.js';
import { fetchConnection, listParams, loadSingle } from '../core/record-reads.js';
import { USER_OBJECT } from '../../workspace/model.js';


/** `person(id)` and `people(first, after, last, before, filter, orderBy)` for every object. */
export function addRootFields(registry: SchemaRegistry): void {
  registry.builder.queryType({
    description: 'Records of the Clarify workspace.',
    fields: (t): FieldMap => {
      const fields: FieldMap = {};
      for (const parts of registry.objects.values()) {
        const slug = parts.object.slug;
        const single: ClarifyFieldInfo = { role: 'single', object: slug };
        fields[parts.names.single] = t.field({
          type: parts.ref,
          description: `One ${parts.object.singular} by id; null when there is none.`,
          args: { id: t.arg.id({ required: true }) },
          extensions: { clarify: single },
          resolve: (_root, args, ctx, info) => loadSingle(slug, args.id, ctx, planEntry(ctx, info, 'single')),
        });
        if (parts.connection) fields[parts.names.plural] = listField(t, parts, parts.connection);
      }
      return fields;
    },
  });
}

type QueryFieldBuilder = PothosSchemaTypes.QueryFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<GatewaySchemaTypes>, object>;

function listField(t: QueryFieldBuilder, parts: ObjectParts, connection: ConnectionRef): FieldMap[string] {
  const slug = parts.object.slug;
  const isUser = slug === USER_OBJECT;
  const info: ClarifyFieldInfo = { role: 'list', object: slug, keyset: !isUser };
  const args = {
    ...t.arg.connectionArgs(),
    ...(isUser || !parts.filter ? {} : { filter: t.arg({ type: parts.filter, description: 'Conditions the records must meet.' }) }),
    ...(parts.orderBy ? { orderBy: t.arg({ type: parts.orderBy, description: 'Sort order.' }) } : {}),
  };
  return t.field({
    type: connection,
    // Nullable so that one failed list leaves the operation's other root fields standing.
    description: isUser
      ? `${parts.object.plural}, a page at a time. Cursors are positions (offsets): Clarify cannot filter users by a sort value. Null, with an error, when Clarify could not answer.`
      : `${parts.object.plural}, a page at a time. Ordered by a number, date or date-time (or in the default order, by creation), cursors keep their place when records are created or deleted; in any other order they are positions (offsets). Null, with an error, when Clarify could not answer.`,
    args,
    extensions: { clarify: info },
    resolve: async (_root, _args, ctx, gqlInfo) => {
      const { list, include } = planEntry(ctx, gqlInfo, 'list');
      const read: KeyedReader = (extra, sort) => (limit, offset) =>
        ctx.client.list(slug, { ...listParams(list, include), ...(sort ? { sort } : {}), filter: [...list.filter, ...extra], limit, offset }, ctx.call);
      const { keyset } = list;
      if (keyset && list.page.afterKey) return keyedConnection(ctx, { ...list, keyset }, list.page.afterKey, read);
      if (keyset && list.page.beforeKey) return keyedConnectionBefore(ctx, { ...list, keyset }, list.page.beforeKey, read);
      const fetchPage = (limit: number, offset: number): Promise<ListPage> =>
        isUser ? ctx.client.listUsers({ ...(list.sort ? { sort: list.sort } : {}), limit, offset }, ctx.call) : read([])(limit, offset);
      return fetchConnection(ctx, list.page, fetchPage, isUser ? [] : include, keyset);
    },
  });
}
