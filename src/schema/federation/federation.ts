import type { Selection } from '@pothos/plugin-federation';
import { GraphQLError, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { ClarifyResource } from '../../client/types.js';
import type { GatewayContext } from '../../loaders/request-context.js';
import type { ClarifyFieldInfo } from '../../plan/field-info.js';
import { decodeGlobalId, encodeGlobalId, type GlobalId } from '../../plan/global-id.js';
import type { GatewayBuilder } from '../core/builder.js';
import { planEntry } from '../core/plan-entry.js';
import { fieldNamesOf, type ObjectParts, type SchemaRegistry } from '../core/registry.js';
import { loadSingle } from '../core/record-reads.js';
import { USER_OBJECT } from '../../workspace/model.js';

/**
 * Federation v2 subgraph: every record type (standard and custom objects, and `User`) is an
 * entity with the resolvable keys `id` (the global id) and `clarifyId` (Clarify's own id), and,
 * where Clarify's unique field holds one text value (a deal's `name`), that field too.
 * `_entities(representations:)` is planned like `nodes(ids:)`: one read per distinct record,
 * with the `include` its selection needs, shared with the operation's other reads of it.
 */

/** The federation spec version the subgraph links (`@link(url: …/federation/v2.6)`). */
const FEDERATION_LINK_URL = 'https://specs.apollo.dev/federation/v2.6';
/** The federation directives the subgraph imports: it uses only `@key`. */
const FEDERATION_DIRECTIVES = ['@key'];

const ENTITIES_FIELD = '_entities';
/**
 * Node kinds of reads by a unique field start with this: `unique_deal_name`. Object slugs never
 * do (custom ones start with `c_`), so such a kind names no object.
 */
const UNIQUE_KIND_PREFIX = 'unique_';

type BuildOptions = Parameters<GatewayBuilder['toSchema']>[0];

/** One entity type: its object, and the unique single-valued field it is also keyed by. */
export interface Entity {
  slug: string;
  typeName: string;
  parts: ObjectParts;
  /** `field`: the GraphQL field; `attribute`: Clarify's; `kind`: the node kind of a read by it. */
  unique?: { field: string; attribute: string; kind: string };
}

/** The entity types of a schema build, in the registry's order. */
function entitiesOf(registry: SchemaRegistry): Entity[] {
  return [...registry.objects.values()].map((parts) => {
    const { slug } = parts.object;
    const entity: Entity = { slug, typeName: parts.names.typeName, parts };
    // A collection (emails, domains) is no key: a representation would have to carry the whole list.
    const field = parts.object.fields.find((candidate) => candidate.name === parts.object.uniqueField && candidate.kind === 'text');
    const names = field ? fieldNamesOf(parts, field) : undefined;
    if (field && names?.kind === 'value') entity.unique = { field: names.value, attribute: field.name, kind: `${UNIQUE_KIND_PREFIX}${slug}_${field.name}` };
    return entity;
  });
}

/**
 * Marks every record type as an entity keyed by `id`, by `clarifyId`, and by its unique text field
 * if it has one; returns the entities for `toSubgraphSchema`.
 */
export function addEntityKeys(registry: SchemaRegistry): readonly Entity[] {
  const builder = registry.builder;
  const entities = entitiesOf(registry);
  for (const entity of entities) {
    const kinds = kindsOf([entity]);
    const lookups = lookupsOf([entity]);
    // Each key is one scalar field; its name comes from the workspace, so the shape is a record.
    const key = (field: string): Selection<Record<string, string>> => ({ ...builder.selection<{ id: string }>('id'), selection: field });
    const keys = ['id', 'clarifyId', ...(entity.unique ? [entity.unique.field] : [])].map(key);
    builder.asEntity(entity.parts.ref, {
      key: keys,
      // Only for a caller that resolves one reference on its own: `_entities` reads them as planned below.
      resolveReference: (reference: Record<string, unknown>, ctx) => {
        const global = decodeGlobalId(representationId({ ...reference, __typename: entity.typeName }, kinds) ?? '');
        return global ? loadEntity(global, ctx, { include: [], share: `${global.kind}\u0000${global.id}` }, lookups) : null;
      },
    });
  }
  return entities;
}

/**
 * The subgraph schema: the gateway's schema with `@link`, `@key`, `_service` and `_entities`;
 * `_entities` is rewired to the planned read.
 */
export function toSubgraphSchema(registry: SchemaRegistry, options: BuildOptions, entities: readonly Entity[]): GraphQLSchema {
  const schema = registry.builder.toSubGraphSchema({ ...options, linkUrl: FEDERATION_LINK_URL, federationDirectives: FEDERATION_DIRECTIVES });
  const field = schema.getQueryType()?.getFields()[ENTITIES_FIELD];
  if (!field) return schema;
  const types: Record<string, string> = {};
  for (const entity of entities) {
    types[entity.slug] = entity.typeName;
    if (entity.unique) types[entity.unique.kind] = entity.typeName;
  }
  const kinds = kindsOf(entities);
  const ids = (args: Record<string, unknown>): unknown[] | GraphQLError => representationIds(args.representations, kinds);
  const info: ClarifyFieldInfo = { role: 'nodes', types, records: entities.map((entity) => entity.slug), ids };
  field.extensions = { ...field.extensions, clarify: info };
  field.resolve = resolveEntities(ids, lookupsOf(entities));
  return schema;
}

/** Each entity type by its GraphQL name. */
function kindsOf(entities: readonly Entity[]): ReadonlyMap<string, Entity> {
  return new Map(entities.map((entity) => [entity.typeName, entity]));
}

/** A read by a unique field: the node kind it goes by → the object and the Clarify attribute. */
type Lookups = ReadonlyMap<string, { slug: string; attribute: string }>;

function lookupsOf(entities: readonly Entity[]): Lookups {
  return new Map(entities.flatMap((entity) => (entity.unique ? [[entity.unique.kind, { slug: entity.slug, attribute: entity.unique.attribute }] as const] : [])));
}

/**
 * The global id each representation names: `{ __typename: "Company", id }` with a global id or a
 * Clarify id in `id` (as every `ID` argument takes), `{ __typename, clarifyId }`, or the unique
 * field (`{ __typename: "Deal", name }`), whose read goes by a node kind of its own. A
 * representation that names no record of its type refuses the field, before any call.
 */
function representationIds(value: unknown, kinds: ReadonlyMap<string, Entity>): string[] | GraphQLError {
  const representations = Array.isArray(value) ? value : [];
  const ids: string[] = [];
  for (const [index, representation] of representations.entries()) {
    const id = representationId(representation, kinds);
    if (id === undefined) {
      return new GraphQLError(
        `Invalid representation at _entities(representations.${index}): it needs the __typename of a record type and one of its keys: \`id\` (a global or Clarify id), \`clarifyId\`, or its unique field.`,
        { extensions: { code: 'BAD_USER_INPUT', argumentName: 'representations' } },
      );
    }
    ids.push(id);
  }
  return ids;
}

function representationId(representation: unknown, kinds: ReadonlyMap<string, Entity>): string | undefined {
  if (typeof representation !== 'object' || representation === null) return undefined;
  const fields = representation as Record<string, unknown>;
  const entity = typeof fields.__typename === 'string' ? kinds.get(fields.__typename) : undefined;
  if (entity === undefined) return undefined;
  const { id, clarifyId } = fields;
  if (typeof id === 'string' && id !== '') {
    const global = decodeGlobalId(id);
    // A global id must name a record of the representation's own type.
    if (global) return global.kind === entity.slug ? id : undefined;
    return usable(encodeGlobalId(entity.slug, id));
  }
  if (typeof clarifyId === 'string' && clarifyId !== '') return usable(encodeGlobalId(entity.slug, clarifyId));
  const unique = entity.unique ? fields[entity.unique.field] : undefined;
  if (entity.unique && typeof unique === 'string' && unique !== '') return usable(encodeGlobalId(entity.unique.kind, unique));
  return undefined;
}

/** The global id when its Clarify id can be a record's (not `..`, no lone surrogate): decoding checks that. */
function usable(globalId: string): string | undefined {
  return decodeGlobalId(globalId) ? globalId : undefined;
}

/**
 * `_entities`: the records in the order of the representations, null for one that does not
 * exist. Each read is the plan's item for that position (one call per distinct record, with the
 * merged `include`), run concurrently within the request's bound; users come from `/users`.
 */
function resolveEntities(ids: (args: Record<string, unknown>) => unknown[] | GraphQLError, lookups: Lookups): GraphQLFieldResolver<unknown, GatewayContext> {
  return (_source, args, ctx, info) => {
    const entry = planEntry(ctx, info, 'nodes');
    const globalIds = ids(args);
    if (globalIds instanceof GraphQLError) throw globalIds;
    return Promise.all(
      globalIds.map((value, index): Promise<ClarifyResource | null> => {
        const global = typeof value === 'string' ? decodeGlobalId(value) : undefined;
        const item = entry.items[index];
        if (!global || !item) return Promise.resolve(null);
        const load = () => loadEntity(global, ctx, item, lookups);
        return global.kind === USER_OBJECT ? load() : ctx.records.limited(load);
      }),
    );
  };
}

/**
 * One entity: by id as `company(id:)` reads it, or by its unique field as a list call filtered on
 * it (`filter[name][Is]=…&page[limit]=1`, with the same `include`); one call per share key.
 */
function loadEntity(id: GlobalId, ctx: GatewayContext, item: { include: string[]; share: string }, lookups: Lookups): Promise<ClarifyResource | null> {
  const lookup = lookups.get(id.kind);
  if (!lookup) return loadSingle(id.kind, id.id, ctx, item);
  return ctx.records.once(`unique ${item.share}`, async () => {
    const page = await ctx.client.list(
      lookup.slug,
      { filter: [{ path: lookup.attribute, operator: 'Is', value: id.id }], include: item.include, limit: 1, offset: 0 },
      ctx.call,
    );
    ctx.records.prime(page.data);
    ctx.records.prime(page.included);
    return page.data[0] ?? null;
  });
}
