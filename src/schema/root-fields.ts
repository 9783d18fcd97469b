import type { FieldMap } from '@pothos/core';
import type { ClarifyResource, ListPage } from '../client/types.js';
import type { GatewayContext } from '../loaders/request-context.js';
import type { GatewaySchemaTypes } from './builder.js';
import type { ClarifyFieldInfo } from './field-info.js';
import { filterToConditions, orderToSort } from './filters.js';
import type { ObjectParts, SchemaRegistry } from './registry.js';
import { connectionIncludes, fetchConnection, recordIncludes, type ListArgs } from './relations.js';

const USER_OBJECT = 'user';

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
          resolve: (_root, args, ctx, info) => loadSingle(slug, args.id, ctx, recordIncludes(info)),
        });
        fields[parts.names.plural] = listField(t, registry, parts);
      }
      return fields;
    },
  });
}

type QueryFieldBuilder = PothosSchemaTypes.QueryFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<GatewaySchemaTypes>, object>;

function listField(t: QueryFieldBuilder, registry: SchemaRegistry, parts: ObjectParts): FieldMap[string] {
  const slug = parts.object.slug;
  const isUser = slug === USER_OBJECT;
  const info: ClarifyFieldInfo = { role: 'list', object: slug };
  const args = {
    ...t.arg.connectionArgs(),
    ...(isUser ? {} : { filter: t.arg({ type: parts.filter!, description: 'Conditions the records must meet.' }) }),
    ...(parts.orderBy ? { orderBy: t.arg({ type: parts.orderBy, description: 'Sort order.' }) } : {}),
  };
  return t.field({
    type: parts.connection!,
    // Nullable so that one failed list leaves the operation's other root fields standing.
    description: `${parts.object.plural}, a page at a time. Null, with an error, when Clarify could not answer.`,
    args,
    extensions: { clarify: info },
    resolve: async (_root, rawArgs, ctx, gqlInfo) => {
      const listArgs = rawArgs as ListArgs;
      const filter = filterToConditions(registry, slug, listArgs.filter);
      const sort = orderToSort(listArgs.orderBy);
      const include = isUser ? [] : connectionIncludes(gqlInfo);
      const fetchPage = (limit: number, offset: number): Promise<ListPage> =>
        isUser
          ? ctx.client.listUsers({ ...(sort ? { sort } : {}), limit, offset }, ctx.call)
          : ctx.client.list(slug, { filter, ...(sort ? { sort } : {}), include, limit, offset }, ctx.call);
      return fetchConnection(ctx, listArgs, fetchPage, include);
    },
  });
}

async function loadSingle(
  slug: string,
  id: string,
  ctx: GatewayContext,
  include: string[],
): Promise<ClarifyResource | null> {
  if (slug === USER_OBJECT) return ctx.records.load(USER_OBJECT, id);
  const known = ctx.records.peek(slug, id);
  if (known && include.length === 0) return known;
  const document = await ctx.client.get(slug, id, { include }, ctx.call);
  if (!document) return null;
  ctx.records.prime([document.data]);
  ctx.records.prime(document.included);
  return document.data;
}
