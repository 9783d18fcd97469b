import type { GraphQLField, GraphQLSchema } from 'graphql';
import type { FilterVocabulary } from './filter.js';

/** Upstream calls a write makes, from its coerced arguments. */
export type CallRule = (args: Record<string, unknown>) => number;

/**
 * What a GraphQL field means upstream, stored in the field's `extensions.clarify` so that the
 * planner reads the schema itself rather than a side table.
 */
export type ClarifyFieldInfo =
  /** `keyset`: a root list of records, whose cursors keep their place where its order allows it. */
  | { role: 'list'; object: string; keyset?: boolean }
  | { role: 'single'; object: string }
  /** An FK to a record (`company_id`), includable. */
  | { role: 'reference'; field: string; target: string }
  /** A to-many relationship (`people`), includable when not filtered or ordered. */
  | { role: 'toMany'; field: string; target: string }
  /** A user id (`owner_id`): not includable, loaded from `/users`. */
  | { role: 'user'; field: string }
  /** A connection read from its own endpoint once per parent record, holding no records (activities, attachments). */
  | { role: 'paged' }
  /** A connection of `target` records read from its own endpoint per parent, with `include` for what its nodes select. */
  | { role: 'endpointConnection'; target: string }
  /** A subscription's change feed of `object`: polled apart, each change's record arrives with `include`. */
  | { role: 'changes'; object: string }
  /**
   * `node(id)` / `nodes(ids)`: the record, comment or saved list a global id names. `types` maps
   * each node kind (an object slug, `comment`, `list:<object>`) to its GraphQL type; `records`
   * lists the kinds that are records read like `deal(id)`.
   */
  | { role: 'node' | 'nodes'; types: Record<string, string>; records: string[] }
  /** A mutation: its own calls, and a payload whose records come back without `include`. */
  | { role: 'write'; calls: CallRule };

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
