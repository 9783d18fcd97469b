import type { GraphQLError, GraphQLField, GraphQLObjectType, GraphQLSchema } from 'graphql';
import type { WriteEffect } from './effects.js';
import type { FilterVocabulary } from './filter.js';

/** Upstream calls a write makes, from its coerced arguments. */
export type CallRule = (args: Record<string, unknown>) => number;

/**
 * What a GraphQL field means upstream, stored in the field's `extensions.clarify` so that the
 * planner reads the schema itself rather than a side table.
 */
export type ClarifyFieldInfo =
  /**
   * A root list of `object`'s records; `feed: 'deleted'` for its deleted-record feed; `keyset`
   * when its cursors keep their place where its order allows it.
   */
  | { role: 'list'; object: string; feed?: 'deleted'; keyset?: boolean }
  | { role: 'single'; object: string }
  /** An FK to a record (`company_id`), includable. */
  | { role: 'reference'; field: string; target: string }
  /** A to-many relationship (`people`), includable when not filtered or ordered. */
  | { role: 'toMany'; field: string; target: string }
  /** A user id (`owner_id`): not includable, loaded from `/users`. */
  | { role: 'user'; field: string }
  /** A connection read from its own endpoint once per parent record, holding no records (activities, attachments). */
  | { role: 'paged'; /** A timeline, which a comment's change also changes. */ timeline?: boolean }
  /** A connection of `target` records read from its own endpoint per parent, with `include` for what its nodes select. */
  | { role: 'endpointConnection'; target: string }
  /** A subscription's change feed of `object`: polled apart, each change's record arrives with `include`. */
  | { role: 'changes'; object: string }
  /**
   * `node(id)` / `nodes(ids)`: the record, comment or saved list a global id names. `types` maps
   * each node kind (an object slug, `comment`, `list:<object>`) to its GraphQL type; `records`
   * lists the kinds that are records read like `deal(id)`. `ids`, for a field that names its
   * records otherwise (federation's `_entities(representations:)`), turns its arguments into the
   * global ids `nodes(ids:)` would take, or the error that refuses them.
   */
  | { role: 'node' | 'nodes'; types: Record<string, string>; records: string[]; ids?: (args: Record<string, unknown>) => unknown[] | GraphQLError }
  /**
   * A mutation: its own calls, what it changes (for the response cache; empty when nothing a read
   * sees), and a payload whose records come back without `include`.
   */
  | { role: 'write'; calls: CallRule; effects: readonly WriteEffect[] };

/**
 * What a caller's token must allow: `read` runs queries and subscriptions, `write` adds record
 * mutations, `admin` adds what changes the workspace beyond records (schema changes, merges,
 * bulk deletes). Ordered: each scope includes the ones before it.
 */
export const ACCESS_SCOPES = ['read', 'write', 'admin'] as const;
export type AccessScope = (typeof ACCESS_SCOPES)[number];

/** Whether `held` allows what `needed` asks. */
export function scopeAllows(held: AccessScope, needed: AccessScope): boolean {
  return ACCESS_SCOPES.indexOf(held) >= ACCESS_SCOPES.indexOf(needed);
}

/** `extensions` of a mutation field that needs the `admin` scope, set where the field is built. */
export const ADMINISTRATIVE = { scope: 'admin' } as const satisfies { scope: AccessScope };

/** The scope a mutation field needs: `admin` when its `extensions.scope` says so, else `write`. */
export function mutationScope(field: GraphQLField<unknown, unknown> | undefined): AccessScope {
  return field?.extensions?.scope === 'admin' ? 'admin' : 'write';
}

/** What the schema as a whole tells the planner, in `schema.extensions.clarify`. */
export interface SchemaPlanInfo {
  filters: FilterVocabulary;
}

export function clarifyInfo(field: GraphQLField<unknown, unknown> | undefined): ClarifyFieldInfo | undefined {
  const value: unknown = field?.extensions?.clarify;
  return isFieldInfo(value) ? value : undefined;
}

function isFieldInfo(value: unknown): value is ClarifyFieldInfo {
  return typeof value === 'object' && value !== null && 'role' in value && typeof value.role === 'string';
}

export function schemaPlanInfo(schema: GraphQLSchema): SchemaPlanInfo | undefined {
  const value: unknown = schema.extensions?.clarify;
  return typeof value === 'object' && value !== null && 'filters' in value && isVocabulary(value.filters)
    ? { filters: value.filters }
    : undefined;
}

function isVocabulary(value: unknown): value is FilterVocabulary {
  return typeof value === 'object' && value !== null && 'keysOf' in value && typeof value.keysOf === 'function';
}

/** A type's extensions naming the records it holds (`extensions.clarify.records`), for the response cache. */
export function recordsOf(object: string): { clarify: { records: string } } {
  return { clarify: { records: object } };
}

/** The object whose records a type holds (`person`, `comment`, `deal list`), if it holds records. */
export function recordObjectOf(type: GraphQLObjectType): string | undefined {
  const value: unknown = type.extensions?.clarify;
  return typeof value === 'object' && value !== null && 'records' in value && typeof value.records === 'string' ? value.records : undefined;
}

/** A mutation field's write rule and declared effects; undefined for a field without them. */
export function writeInfoOf(field: GraphQLField<unknown, unknown> | undefined): Extract<ClarifyFieldInfo, { role: 'write' }> | undefined {
  const info = clarifyInfo(field);
  return info?.role === 'write' && Array.isArray(info.effects) ? info : undefined;
}

/** Every field of `Mutation` with the effects it declares (undefined: none declared). */
export function mutationEffects(schema: GraphQLSchema): { field: string; effects: readonly WriteEffect[] | undefined }[] {
  const fields = Object.values(schema.getMutationType()?.getFields() ?? {});
  return fields
    .map((field) => ({ field: field.name, effects: writeInfoOf(field)?.effects }))
    .sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}
