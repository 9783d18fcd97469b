/**
 * Saved lists. Per object: `<Type>List` with `records`, a connection of the list's object with the
 * same filter, order, nesting and include planning as the object's own list; root fields
 * `<single>List(id)` and `<single>Lists`; `savedLists` across objects; and the list mutations.
 */
import type { EnumRef, FieldMap, ObjectRef } from '@pothos/core';
import { GraphQLError } from 'graphql';
import {
  changeSavedListRecords,
  createSavedList,
  deleteSavedList,
  getSavedList,
  listAllSavedLists,
  listSavedListRecords,
  listSavedLists,
} from '../../client/record-extras.js';
import type { ClarifyResource, ListPage } from '../../client/types.js';
import { ALL_SAVED_LISTS, savedListObject } from '../../plan/effects.js';
import { recordsOf, type ClarifyFieldInfo } from '../../plan/field-info.js';
import { compileFilter, type FilterVocabulary } from '../../plan/filter.js';
import { encodeGlobalId, LIST_KIND } from '../../plan/global-id.js';
import type { GatewaySchemaTypes } from '../core/builder.js';
import { endpointConnection } from '../core/endpoint-connection.js';
import { GLOBAL_ID_DESCRIPTION } from '../core/nodes.js';
import { recordObjects } from '../core/object-enum.js';
import { planEntry, writes } from '../core/plan-entry.js';
import { fetchConnection, listParams } from '../core/record-reads.js';
import type { ConnectionRef, FilterRef, FilterValue, ObjectParts, SchemaRegistry } from '../core/registry.js';
import { USER_ERROR_CODES, idsNamedIn, isUserFacing, userErrorsFrom } from '../core/user-errors.js';
import { text, type UserErrorValue } from '../core/values.js';

type Types = PothosSchemaTypes.ExtendDefaultTypes<GatewaySchemaTypes>;
type ListKind = 'static' | 'dynamic';
type KindRef = EnumRef<Types, ListKind, ListKind>;

interface ListPayload {
  list: ClarifyResource | null;
  userErrors: UserErrorValue[];
}
interface DeletedPayload {
  deletedId: string | null;
  userErrors: UserErrorValue[];
}

/** An object whose records can be listed, with the refs of its saved lists. */
interface ListedObject {
  parts: ObjectParts;
  records: ConnectionRef;
  filter: FilterRef;
}

const count = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : null);

/** Conditions as the saved filter object Clarify stores: `{path: {Operator: value}}`. */
function savedFilter(vocabulary: FilterVocabulary, slug: string, filter: FilterValue): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const condition of compileFilter(vocabulary, slug, filter)) {
    const byOperator = (out[condition.path] ??= {});
    if (condition.operator in byOperator) {
      throw new GraphQLError(`Invalid filter: a saved list holds one ${condition.operator} condition per field (${condition.path}).`, {
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'input' },
      });
    }
    byOperator[condition.operator] = condition.value;
  }
  return out;
}

/** Saved lists of every object with a connection and a filter; `vocabulary` compiles a dynamic list's filter. */
export function addSavedLists(registry: SchemaRegistry, vocabulary: FilterVocabulary): void {
  const objects = recordObjects(registry).flatMap((parts): ListedObject[] => (parts.connection && parts.filter ? [{ parts, records: parts.connection, filter: parts.filter }] : []));
  const userError = registry.userError;
  if (objects.length === 0 || !userError) return;
  const builder = registry.builder;
  const kind: KindRef = builder.enumType('SavedListKind', {
    description: 'A static list holds the records added to it; a dynamic list holds the records its filter matches.',
    values: { STATIC: { value: 'static' }, DYNAMIC: { value: 'dynamic' } } as const,
  });
  const summary = builder.objectRef<ClarifyResource>('SavedList').implement({
    extensions: recordsOf(ALL_SAVED_LISTS),
    description: 'A saved list of any object. Read its records through the typed `<object>List(id)` root field.',
    fields: (t) => listFields(t, kind),
  });
  const summaryConnection = builder.connectionObject(
    { type: summary, name: 'SavedListConnection', fields: (t) => ({ totalCount: t.int({ nullable: false, resolve: (c) => c.totalCount }) }) },
    { name: 'SavedListEdge' },
  );
  const perObject = objects.map((listed) => objectListTypes(registry, listed, kind, userError));
  const deletePayload = builder.objectRef<DeletedPayload>('DeleteSavedListPayload').implement({
    fields: (t) => ({
      deletedId: t.id({ resolve: (p) => p.deletedId }),
      userErrors: t.field({ type: [userError], nullable: false, resolve: (p) => p.userErrors }),
    }),
  });

  builder.queryFields((t) => {
    const fields: FieldMap = {};
    const all: ClarifyFieldInfo = { role: 'list', object: 'list' };
    fields[registry.claimRootField('query', 'savedLists')] = t.field({
      type: summaryConnection,
      description: 'Every saved list of the workspace.',
      args: { ...t.arg.connectionArgs() },
      extensions: { clarify: all },
      resolve: (_root, _args, ctx, info) =>
        endpointConnection(planEntry(ctx, info, 'list').list.page, (limit, offset) => listAllSavedLists(ctx.client, { limit, offset }, ctx.call)),
    });
    for (const { parts, list, connection } of perObject) {
      const slug = parts.object.slug;
      const single: ClarifyFieldInfo = { role: 'single', object: `${slug} list` };
      const lists: ClarifyFieldInfo = { role: 'list', object: `${slug} list` };
      fields[registry.claimRootField('query', `${parts.names.single}List`)] = t.field({
        type: list,
        description: `One saved list of ${parts.object.plural}; null when there is none.`,
        args: { id: t.arg.id({ required: true }) },
        extensions: { clarify: single },
        resolve: (_root, args, ctx) => getSavedList(ctx.client, slug, args.id, ctx.call),
      });
      fields[registry.claimRootField('query', `${parts.names.single}Lists`)] = t.field({
        type: connection,
        description: `Saved lists of ${parts.object.plural}.`,
        args: { ...t.arg.connectionArgs() },
        extensions: { clarify: lists },
        resolve: (_root, _args, ctx, info) =>
          endpointConnection(planEntry(ctx, info, 'list').list.page, (limit, offset) => listSavedLists(ctx.client, slug, { limit, offset }, ctx.call)),
      });
    }
    return fields;
  });

  builder.mutationFields((t) => {
    const fields: FieldMap = {};
    for (const types of perObject) Object.assign(fields, listMutations(t, registry, vocabulary, types, deletePayload));
    return fields;
  });
}

/** The fields every saved list type has. */
function listFields(t: PothosSchemaTypes.ObjectFieldBuilder<Types, ClarifyResource>, kind: KindRef) {
  return {
    id: t.id({
      nullable: false,
      description: GLOBAL_ID_DESCRIPTION,
      resolve: (l) => encodeGlobalId(LIST_KIND, l.id, text(l.attributes.object) ?? ''),
    }),
    clarifyId: t.exposeID('id', { nullable: false, description: 'The list id Clarify uses.' }),
    name: t.string({ resolve: (l) => text(l.attributes.name) }),
    object: t.string({ description: 'The object slug of its records, e.g. `deal`.', resolve: (l) => text(l.attributes.object) }),
    kind: t.field({ type: kind, resolve: (l) => (l.attributes.kind === 'dynamic' ? 'dynamic' : l.attributes.kind === 'static' ? 'static' : null) }),
    filter: t.field({ type: 'JSON', description: "A dynamic list's filter as Clarify stores it.", resolve: (l) => l.attributes.filter ?? null }),
    recordCount: t.int({ resolve: (l) => count(l.attributes.record_count) }),
    createdAt: t.field({ type: 'DateTime', resolve: (l) => text(l.attributes._created_at) }),
    updatedAt: t.field({ type: 'DateTime', resolve: (l) => text(l.attributes._updated_at) }),
  };
}

/** `<Type>List` (a node, with its `records`), its connection, its payload and its create input. */
function objectListTypes(registry: SchemaRegistry, { parts, records, filter }: ListedObject, kind: KindRef, userError: ObjectRef<Types, UserErrorValue>) {
  const builder = registry.builder;
  const slug = parts.object.slug;
  const recordsInfo: ClarifyFieldInfo = { role: 'endpointConnection', target: slug };
  const listType = registry.claim(`${parts.names.typeName}List`);
  registry.nodeTypes.set(`${LIST_KIND}:${slug}`, listType);
  const list = builder.objectRef<ClarifyResource>(listType).implement({
    extensions: recordsOf(savedListObject(slug)),
    description: `A saved list of ${parts.object.plural}.`,
    ...(registry.node ? { interfaces: [registry.node] } : {}),
    fields: (t) => ({
      ...listFields(t, kind),
      records: t.field({
        type: records,
        description: `The list's ${parts.object.plural}, with the same filter, order and nesting as \`${parts.names.plural}\` (one call per page, with include).`,
        args: {
          ...t.arg.connectionArgs(),
          filter: t.arg({ type: filter, description: 'Conditions on the list\'s records.' }),
          ...(parts.orderBy ? { orderBy: t.arg({ type: parts.orderBy, description: 'Sort order.' }) } : {}),
        },
        extensions: { clarify: recordsInfo },
        resolve: (saved, _args, ctx, info) => {
          const entry = planEntry(ctx, info, 'paged');
          const plan = entry.list ?? { filter: [], sort: undefined, page: entry.page };
          const fetchPage = (limit: number, offset: number): Promise<ListPage> =>
            listSavedListRecords(ctx.client, slug, saved.id, { ...listParams(plan, entry.include), limit, offset }, ctx.call);
          return fetchConnection(ctx, entry.page, fetchPage, entry.include);
        },
      }),
    }),
  });
  const connection = builder.connectionObject(
    {
      type: list,
      name: registry.claim(`${parts.names.typeName}ListConnection`),
      fields: (t) => ({ totalCount: t.int({ nullable: false, resolve: (c) => c.totalCount }) }),
    },
    { name: registry.claim(`${parts.names.typeName}ListEdge`) },
  );
  const payload = builder.objectRef<ListPayload>(registry.claim(`${parts.names.typeName}ListPayload`)).implement({
    fields: (t) => ({
      list: t.field({ type: list, resolve: (p) => p.list }),
      userErrors: t.field({ type: [userError], nullable: false, resolve: (p) => p.userErrors }),
    }),
  });
  const input = builder.inputType(registry.claim(`Create${parts.names.typeName}ListInput`), {
    fields: (t) => ({
      name: t.string({ required: true }),
      kind: t.field({ type: kind, defaultValue: 'static' }),
      filter: t.field({ type: filter, description: 'For a dynamic list: the records it holds.' }),
    }),
  });
  return { parts, list, connection, payload, input };
}

type MutationFieldBuilder = PothosSchemaTypes.MutationFieldBuilder<Types, object>;

/** `create<Type>List`, `add<Type>ListRecords`, `remove<Type>ListRecords` and `delete<Type>List`. */
function listMutations(
  t: MutationFieldBuilder,
  registry: SchemaRegistry,
  vocabulary: FilterVocabulary,
  { parts, payload, input }: ReturnType<typeof objectListTypes>,
  deletePayload: ObjectRef<Types, DeletedPayload>,
): FieldMap {
  const fields: FieldMap = {};
  const name = (wanted: string): string => registry.claimRootField('mutation', wanted);
  const slug = parts.object.slug;
  const typeName = parts.names.typeName;
  fields[name(`create${typeName}List`)] = t.field({
    type: payload,
    nullable: false,
    description: `Saves a list of ${parts.object.plural}: static (add records to it) or dynamic (its filter decides).`,
    args: { input: t.arg({ type: input, required: true }) },
    extensions: writes(() => 1, [{ change: 'savedList', object: slug, ids: 'payload' }]),
    resolve: async (_root, { input: value }, ctx) => {
      const listKind = value.kind ?? 'static';
      if (listKind === 'dynamic' && !value.filter) return { list: null, userErrors: [{ field: ['input', 'filter'], message: 'A dynamic list needs a filter.', code: USER_ERROR_CODES.required }] };
      if (listKind === 'static' && value.filter) return { list: null, userErrors: [{ field: ['input', 'filter'], message: 'A static list takes no filter.', code: USER_ERROR_CODES.invalid }] };
      const filter = value.filter ? savedFilter(vocabulary, slug, value.filter) : null;
      try {
        const list = await createSavedList(ctx.client, slug, { name: value.name, kind: listKind, filter }, ctx.call);
        return { list, userErrors: [] };
      } catch (error) {
        if (!isUserFacing(error)) throw error;
        return { list: null, userErrors: userErrorsFrom(error, (pointer) => ['input', ...(pointer ? [pointer.split('/')[1] ?? ''] : [])].filter((s) => s !== '')) };
      }
    },
  });
  for (const change of ['add', 'remove'] as const) {
    fields[name(`${change}${typeName}ListRecords`)] = t.field({
      type: payload,
      nullable: false,
      description: change === 'add' ? 'Adds records to a static list (records already in it stay once).' : 'Removes records from a static list.',
      args: { id: t.arg.id({ required: true }), recordIds: t.arg.idList({ required: true }) },
      // Change the records (when any are named), then read the list back.
      extensions: writes((args) => (Array.isArray(args.recordIds) && args.recordIds.length > 0 ? 2 : 1), [{ change: 'savedList', object: slug, ids: 'id' }]),
      resolve: async (_root, args, ctx) => {
        try {
          if (args.recordIds.length > 0) {
            await changeSavedListRecords(ctx.client, slug, args.id, change, args.recordIds.map((id) => ({ type: slug, id })), ctx.call);
          }
          return { list: await getSavedList(ctx.client, slug, args.id, ctx.call), userErrors: [] };
        } catch (error) {
          if (!isUserFacing(error)) throw error;
          const errors = userErrorsFrom(error, () => ['recordIds']).flatMap((e) => {
            if (error.code !== 'NOT_FOUND') return [e];
            const named = idsNamedIn(e.message, args.recordIds);
            return named.length > 0 ? named.map((index) => ({ ...e, field: ['recordIds', String(index)] })) : [{ ...e, field: ['id'] }];
          });
          return { list: null, userErrors: errors };
        }
      },
    });
  }
  fields[name(`delete${typeName}List`)] = t.field({
    type: deletePayload,
    nullable: false,
    args: { id: t.arg.id({ required: true }) },
    extensions: writes(() => 1, [{ change: 'savedList', object: slug, ids: 'id' }]),
    resolve: async (_root, args, ctx) => {
      try {
        await deleteSavedList(ctx.client, slug, args.id, ctx.call);
        return { deletedId: encodeGlobalId(LIST_KIND, args.id, slug), userErrors: [] };
      } catch (error) {
        if (!isUserFacing(error)) throw error;
        return { deletedId: null, userErrors: userErrorsFrom(error, () => ['id']) };
      }
    },
  });
  return fields;
}
