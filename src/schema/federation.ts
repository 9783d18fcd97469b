import { printSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { ClarifyResource } from '../client/types.js';
import type { GatewayContext } from '../loaders/request-context.js';
import type { ClarifyFieldInfo } from '../plan/field-info.js';
import { decodeGlobalId, encodeGlobalId } from '../plan/global-id.js';
import type { GatewayBuilder } from './builder.js';
import { planEntry } from './plan-entry.js';
import type { SchemaRegistry } from './registry.js';
import { loadSingle } from './root-fields.js';

/**
 * Federation v2 subgraph: every record type (standard and custom objects, and `User`) is an
 * entity with the resolvable keys `id` (the global id) and `clarifyId` (Clarify's own id).
 * `_entities(representations:)` is planned like `nodes(ids:)`: one read per distinct record,
 * with the `include` its selection needs, shared with the operation's other reads of it.
 */

/** The federation spec version the subgraph links (`@link(url: …/federation/v2.6)`). */
export const FEDERATION_LINK_URL = 'https://specs.apollo.dev/federation/v2.6';
/** The federation directives the subgraph imports: it uses only `@key`. */
const FEDERATION_DIRECTIVES = ['@key'];

const USER_OBJECT = 'user';
const ENTITIES_FIELD = '_entities';

type BuildOptions = Parameters<GatewayBuilder['toSchema']>[0];

/** Marks every record type as an entity keyed by `id` and by `clarifyId`. */
export function addEntityKeys(registry: SchemaRegistry): void {
  const builder = registry.builder;
  for (const parts of registry.objects.values()) {
    const slug = parts.object.slug;
    builder.asEntity(parts.ref, {
      key: [builder.selection<{ id: string }>('id'), builder.selection<{ clarifyId: string }>('clarifyId')],
      // Only for a caller that resolves one reference on its own: `_entities` reads them as planned below.
      resolveReference: (reference, ctx) => {
        const id = 'id' in reference ? reference.id : reference.clarifyId;
        return loadSingle(slug, decodeGlobalId(id)?.id ?? id, ctx, { include: [], share: `${slug}\u0000${id}` });
      },
    });
  }
}

/**
 * The subgraph schema: the gateway's schema with `@link`, `@key`, `_service` and `_entities`;
 * `_entities` is rewired to the planned read.
 */
export function toSubgraphSchema(registry: SchemaRegistry, options: BuildOptions): GraphQLSchema {
  const schema = registry.builder.toSubGraphSchema({ ...options, linkUrl: FEDERATION_LINK_URL, federationDirectives: FEDERATION_DIRECTIVES });
  const field = schema.getQueryType()?.getFields()[ENTITIES_FIELD];
  if (!field) return schema;
  const types: Record<string, string> = {};
  for (const parts of registry.objects.values()) types[parts.object.slug] = parts.names.typeName;
  const kinds = new Map(Object.entries(types).map(([kind, typeName]) => [typeName, kind]));
  const ids = (args: Record<string, unknown>): unknown[] | GraphQLError => representationIds(args.representations, kinds);
  const info: ClarifyFieldInfo = { role: 'nodes', types, records: Object.keys(types), ids };
  field.extensions = { ...field.extensions, clarify: info };
  field.resolve = resolveEntities(ids);
  return schema;
}

/** The subgraph SDL of a schema built with `federation`: what `_service { sdl }` answers and composition reads. */
export function printSubgraphSdl(schema: GraphQLSchema): string {
  return printSubgraphSchema(schema);
}

/**
 * The global id each representation names: `{ __typename: "Company", id }` with a global id or a
 * Clarify id in `id` (as every `ID` argument takes), or `{ __typename, clarifyId }`. A
 * representation that names no record of its type refuses the field, before any call.
 */
export function representationIds(value: unknown, kinds: ReadonlyMap<string, string>): string[] | GraphQLError {
  const representations = Array.isArray(value) ? value : [];
  const ids: string[] = [];
  for (const [index, representation] of representations.entries()) {
    const id = representationId(representation, kinds);
    if (id === undefined) {
      return new GraphQLError(
        `Invalid representation at _entities(representations.${index}): it needs the __typename of a record type and its \`id\` (a global or Clarify id) or \`clarifyId\`.`,
        { extensions: { code: 'BAD_USER_INPUT', argumentName: 'representations' } },
      );
    }
    ids.push(id);
  }
  return ids;
}

function representationId(representation: unknown, kinds: ReadonlyMap<string, string>): string | undefined {
  if (typeof representation !== 'object' || representation === null) return undefined;
  const fields = representation as Record<string, unknown>;
  const kind = typeof fields.__typename === 'string' ? kinds.get(fields.__typename) : undefined;
  if (kind === undefined) return undefined;
  const { id, clarifyId } = fields;
  if (typeof id === 'string' && id !== '') {
    const global = decodeGlobalId(id);
    // A global id must name a record of the representation's own type.
    if (global) return global.kind === kind ? id : undefined;
    return usable(encodeGlobalId(kind, id));
  }
  if (typeof clarifyId === 'string' && clarifyId !== '') return usable(encodeGlobalId(kind, clarifyId));
  return undefined;
}

/** The global id when its Clarify id can be a record's (not `..`, no slash): decoding checks that. */
function usable(globalId: string): string | undefined {
  return decodeGlobalId(globalId) ? globalId : undefined;
}

/**
 * `_entities`: the records in the order of the representations, null for one that does not
 * exist. Each read is the plan's item for that position (one call per distinct record, with the
 * merged `include`), run concurrently within the request's bound; users come from `/users`.
 */
function resolveEntities(ids: (args: Record<string, unknown>) => unknown[] | GraphQLError): GraphQLFieldResolver<unknown, GatewayContext> {
  return (_source, args, ctx, info) => {
    const entry = planEntry(ctx, info, 'nodes');
    const globalIds = ids(args);
    if (globalIds instanceof GraphQLError) throw globalIds;
    return Promise.all(
      globalIds.map((value, index): Promise<ClarifyResource | null> => {
        const global = typeof value === 'string' ? decodeGlobalId(value) : undefined;
        const item = entry.items[index];
        if (!global || !item) return Promise.resolve(null);
        const load = () => loadSingle(global.kind, global.id, ctx, item);
        return global.kind === USER_OBJECT ? load() : ctx.records.limited(load);
      }),
    );
  };
}
