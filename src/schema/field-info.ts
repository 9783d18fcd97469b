import type { GraphQLField } from 'graphql';

/**
 * What a GraphQL field means upstream, stored in the field's `extensions.clarify` so that the
 * look-ahead planner and the cost predictor read the schema itself rather than a side table.
 */
export type ClarifyFieldInfo =
  | { role: 'list'; object: string }
  | { role: 'single'; object: string }
  /** An FK to a record (`company_id`), includable. */
  | { role: 'reference'; field: string; target: string }
  /** A to-many relationship (`people`), includable when not filtered or ordered. */
  | { role: 'toMany'; field: string; target: string }
  /** A user id (`owner_id`): not includable, loaded from `/users`. */
  | { role: 'user'; field: string }
  /** A connection read from its own endpoint once per parent record, holding no records (activities, attachments). */
  | { role: 'paged' }
  /** A connection of `target` records read from its own endpoint per parent, with `include` for what its nodes select (a saved list's records). */
  | { role: 'endpointConnection'; target: string };

export function clarifyInfo(field: GraphQLField<unknown, unknown> | undefined): ClarifyFieldInfo | undefined {
  const value: unknown = field?.extensions?.clarify;
  return isFieldInfo(value) ? value : undefined;
}

function isFieldInfo(value: unknown): value is ClarifyFieldInfo {
  return typeof value === 'object' && value !== null && typeof (value as { role?: unknown }).role === 'string';
}
