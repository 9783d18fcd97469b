import { GraphQLError, isInputObjectType, isListType, isNonNullType, type GraphQLArgument, type GraphQLInputType } from 'graphql';
import { unusableIdReason } from '../client/path-segment.js';

/**
 * Global ids (Relay's Global Object Identification). Clarify's record ids are UUIDs that do not
 * say which object they belong to, and Clarify has no read by id alone, so a global id carries
 * the kind with the Clarify id: base64url of `deal:<id>`, `user:<id>`, `comment:<id>`, or
 * `list:<object>:<id>` for a saved list. `node(id:)` reads the kind and makes the one call that
 * kind needs. Every other `ID` argument takes either form: a global id is replaced by the
 * Clarify id it carries before anything else sees it.
 */
export interface GlobalId {
  /** An object slug (`deal`, `c_sales_order`, `user`), `comment` or `list`. */
  kind: string;
  /** For a saved list, the object slug of its records. */
  object?: string;
  /** The Clarify id. */
  id: string;
}

export const COMMENT_KIND = 'comment';
export const LIST_KIND = 'list';

const KIND = /^[a-z][a-z0-9_]*$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodeGlobalId(kind: string, id: string, object?: string): string {
  const text = object === undefined ? `${kind}:${id}` : `${kind}:${object}:${id}`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** The global id's parts; undefined for any string this gateway did not encode (a Clarify id). */
export function decodeGlobalId(value: string): GlobalId | undefined {
  if (!BASE64URL.test(value)) return undefined;
  const text = Buffer.from(value, 'base64url').toString('utf8');
  // Only the canonical encoding counts: a Clarify id that merely decodes is not taken for one.
  if (Buffer.from(text, 'utf8').toString('base64url') !== value) return undefined;
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  if (colon < 1 || !KIND.test(kind)) return undefined;
  const rest = text.slice(colon + 1);
  // The Clarify id inside goes into a URL path: one no record can have (`..`, a slash) names nothing.
  if (kind !== LIST_KIND) return rest === '' || unusableIdReason(rest) !== undefined ? undefined : { kind, id: rest };
  const second = rest.indexOf(':');
  const object = rest.slice(0, second);
  const id = rest.slice(second + 1);
  return second > 0 && KIND.test(object) && id !== '' && unusableIdReason(id) === undefined ? { kind, object, id } : undefined;
}

/**
 * The node a value names when it is a global id of one of `types` (node kind → GraphQL type, see
 * `ClarifyFieldInfo`), with its kind (`list:<object>` for a saved list); an error for anything else.
 */
export function nodeTarget(value: unknown, types: Readonly<Record<string, string>>): { id: GlobalId; kind: string; typeName: string } | GraphQLError {
  const id = typeof value === 'string' ? decodeGlobalId(value) : undefined;
  const kind = id?.kind === LIST_KIND ? `${LIST_KIND}:${id.object ?? ''}` : id?.kind;
  const typeName = kind === undefined ? undefined : types[kind];
  if (id && kind !== undefined && typeName !== undefined) return { id, kind, typeName };
  return new GraphQLError(
    'Invalid ID: `node` takes a global id (the `id` of a record, user, comment or saved list); a Clarify id goes to the typed root field, e.g. `deal(id:)`.',
    { extensions: { code: 'BAD_USER_INPUT', argumentName: 'id' } },
  );
}

/** The Clarify id a value names: the id inside a global id, or the value itself. */
export function clarifyIdOf(value: string): string {
  return decodeGlobalId(value)?.id ?? value;
}

/** Whether any `ID` sits in the argument types (directly, in a list or inside an input object). */
export function hasIdArguments(args: readonly GraphQLArgument[]): boolean {
  const seen = new Set<string>();
  const visit = (type: GraphQLInputType): boolean => {
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) return visit(inner.ofType);
    if (isInputObjectType(inner)) {
      if (seen.has(inner.name)) return false;
      seen.add(inner.name);
      return Object.values(inner.getFields()).some((field) => visit(field.type));
    }
    return inner.name === 'ID';
  };
  return args.some((arg) => visit(arg.type));
}

/** Coerced argument values with every global id inside an `ID` replaced by its Clarify id. */
export function withClarifyIds(args: readonly GraphQLArgument[], values: Record<string, unknown>): Record<string, unknown> {
  let changed: Record<string, unknown> | undefined;
  for (const arg of args) {
    if (!(arg.name in values)) continue;
    const before = values[arg.name];
    const after = clarifyIds(before, arg.type);
    if (after !== before) (changed ??= { ...values })[arg.name] = after;
  }
  return changed ?? values;
}

function clarifyIds(value: unknown, type: GraphQLInputType): unknown {
  if (value === null || value === undefined) return value;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    if (!Array.isArray(value)) return clarifyIds(value, inner.ofType);
    let changed: unknown[] | undefined;
    value.forEach((item, index) => {
      const after = clarifyIds(item, inner.ofType);
      if (after !== item) (changed ??= [...value])[index] = after;
    });
    return changed ?? value;
  }
  if (isInputObjectType(inner)) {
    if (typeof value !== 'object' || Array.isArray(value)) return value;
    const fields = inner.getFields();
    const record = value;
    let changed: Record<string, unknown> | undefined;
    for (const [name, item] of Object.entries(record)) {
      const field = fields[name];
      const after = field ? clarifyIds(item, field.type) : item;
      if (after !== item) (changed ??= { ...record })[name] = after;
    }
    return changed ?? value;
  }
  return inner.name === 'ID' && typeof value === 'string' ? clarifyIdOf(value) : value;
}
