import {
  getNamedType,
  getNullableType,
  getOperationAST,
  isListType,
  isObjectType,
  Kind,
  TypeInfo,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { clarifyInfo } from '../plan/field-info.js';
import { decodeGlobalId, encodeGlobalId } from '../plan/global-id.js';

/**
 * Which cache entries a read files itself under, and which a write invalidates, beyond the
 * records the response cache collects by type and id:
 * - a read that selects a list or connection of a record type files under `<Type>[]`;
 * - a write to a type invalidates `<Type>[]` (a created or changed record may join or leave any
 *   list), the ids it names, and for a relationship write the related ids and their lists.
 */

export type CacheEntity = { typename: string; id?: string };

export const listTag = (typeName: string): string => `${typeName}[]`;

function isRecordType(type: GraphQLNamedType | undefined): type is GraphQLObjectType {
  return isObjectType(type) && 'id' in type.getFields();
}

/** The record type a connection (`nodes`, `edges`, `pageInfo`) lists, if it is one. */
export function connectionNodeType(type: GraphQLNamedType | undefined): GraphQLObjectType | undefined {
  if (!isObjectType(type)) return undefined;
  const fields = type.getFields();
  const nodes = fields['nodes'];
  if (!nodes || !fields['pageInfo']) return undefined;
  const node = getNamedType(nodes.type);
  return isRecordType(node) ? node : undefined;
}

const listTagsByDocument = new WeakMap<DocumentNode, WeakMap<GraphQLSchema, string[]>>();

/** `<Type>[]` for every list or connection of records the document selects. */
export function listTagsOf(document: DocumentNode, schema: GraphQLSchema): string[] {
  let bySchema = listTagsByDocument.get(document);
  const known = bySchema?.get(schema);
  if (known) return known;
  const tags = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const type = typeInfo.getType();
        if (!type) return;
        const nullable = getNullableType(type);
        const named = getNamedType(type);
        if (isListType(nullable) && isRecordType(named)) tags.add(listTag(named.name));
        const node = connectionNodeType(named);
        if (node) tags.add(listTag(node.name));
      },
    }),
  );
  const result = [...tags];
  if (!bySchema) listTagsByDocument.set(document, (bySchema = new WeakMap()));
  bySchema.set(schema, result);
  return result;
}

function rootFields(selectionSet: SelectionSetNode, document: DocumentNode): { name: string; key: string; node: FieldNode }[] {
  const out: { name: string; key: string; node: FieldNode }[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      out.push({ name: selection.name.value, key: selection.alias?.value ?? selection.name.value, node: selection });
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      out.push(...rootFields(selection.selectionSet, document));
    } else {
      const fragment = document.definitions.find(
        (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value,
      );
      if (fragment && fragment.kind === Kind.FRAGMENT_DEFINITION) out.push(...rootFields(fragment.selectionSet, document));
    }
  }
  return out;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  return [];
}

function lowerFirst(value: string): string {
  return value.charAt(0).toLowerCase() + value.slice(1);
}

/** The record type a mutation payload is about: its `record`, its `results[].record`, or its name. */
function writtenType(schema: GraphQLSchema, payload: GraphQLNamedType): GraphQLObjectType | undefined {
  if (!isObjectType(payload)) return undefined;
  const fields = payload.getFields();
  const record = fields['record'] && getNamedType(fields['record'].type);
  if (isRecordType(record)) return record;
  const results = fields['results'] && getNamedType(fields['results'].type);
  if (results && results !== payload) {
    const nested = writtenType(schema, results);
    if (nested) return nested;
  }
  const named = /^Delete(\w+)Payload$/.exec(payload.name)?.[1];
  if (!named) return undefined;
  const single = schema.getType(named);
  if (isRecordType(single)) return single;
  const listField = schema.getQueryType()?.getFields()[lowerFirst(named)];
  return listField ? connectionNodeType(getNamedType(listField.type)) : undefined;
}

/** Record ids a payload names: `record.id`, `results[].record.id`, `deletedId`, `deletedIds`. */
function idsInPayload(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(idsInPayload);
  if (!value || typeof value !== 'object') return [];
  const payload = value as Record<string, unknown>;
  const ids: string[] = [];
  const record = payload['record'] as Record<string, unknown> | null | undefined;
  if (record && typeof record === 'object') ids.push(...strings(record['id']), ...strings(record['__responseCacheId']));
  ids.push(...strings(payload['deletedId']), ...strings(payload['deletedIds']));
  if (Array.isArray(payload['results'])) ids.push(...idsInPayload(payload['results']));
  return ids;
}

/**
 * What a mutation operation may have changed, from its arguments and its result. A create whose
 * result names no record (the caller did not select one, or the answer was lost) may have
 * updated an existing record by upsert, so every entry with that type goes.
 */
export function mutationInvalidations(input: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables: Record<string, unknown>;
  data: Record<string, unknown> | null | undefined;
}): CacheEntity[] {
  const operation = getOperationAST(input.document, input.operationName ?? undefined);
  const mutationType = input.schema.getMutationType();
  if (!operation || operation.operation !== 'mutation' || !mutationType) return [];
  const entities = new Map<string, CacheEntity>();
  const slugs = recordSlugs(input.schema);
  const add = (entity: CacheEntity) => {
    // Answers are filed under the global `id` they read back; an argument may carry either form.
    const slug = slugs.get(entity.typename);
    if (entity.id !== undefined && slug !== undefined && !decodeGlobalId(entity.id)) entity = { ...entity, id: encodeGlobalId(slug, entity.id) };
    entities.set(entity.id === undefined ? entity.typename : `${entity.typename}:${entity.id}`, entity);
  };
  const fields = mutationType.getFields();
  for (const root of rootFields(operation.selectionSet, input.document)) {
    const field = fields[root.name];
    if (!field) continue;
    const type = writtenType(input.schema, getNamedType(field.type));
    if (!type) continue;
    add({ typename: listTag(type.name) });
    const args = argumentValues(root.node, input.variables);
    const payloadIds = idsInPayload(input.data?.[root.key]);
    for (const id of payloadIds) add({ typename: type.name, id });
    for (const id of strings(args['id'])) add({ typename: type.name, id });
    const relation = relatedType(type, root.name);
    if (relation) {
      for (const id of strings(args['ids'])) add({ typename: relation.name, id });
      add({ typename: listTag(relation.name) });
    } else {
      for (const id of strings(args['ids'])) add({ typename: type.name, id });
      const inputs = Array.isArray(args['inputs']) ? (args['inputs'] as unknown[]) : [];
      for (const item of inputs) {
        if (item && typeof item === 'object') for (const id of strings((item as Record<string, unknown>)['id'])) add({ typename: type.name, id });
      }
    }
    if (root.name.startsWith('create') && payloadIds.length === 0) add({ typename: type.name });
  }
  return [...entities.values()];
}

const slugsBySchema = new WeakMap<GraphQLSchema, Map<string, string>>();

/** Record type name → object slug, from the typed root fields (`deal(id)` reads `deal`). */
function recordSlugs(schema: GraphQLSchema): Map<string, string> {
  let slugs = slugsBySchema.get(schema);
  if (slugs) return slugs;
  slugs = new Map();
  for (const field of Object.values(schema.getQueryType()?.getFields() ?? {})) {
    const info = clarifyInfo(field);
    if (info?.role === 'single' && !info.object.includes(' ')) slugs.set(getNamedType(field.type).name, info.object);
  }
  slugsBySchema.set(schema, slugs);
  return slugs;
}

/** For `add<Type><Relation>` / `remove<Type><Relation>`: the record type of that relationship. */
function relatedType(type: GraphQLObjectType, mutationName: string): GraphQLObjectType | undefined {
  const match = /^(?:add|remove)(\w+)$/.exec(mutationName);
  if (!match?.[1]?.startsWith(type.name)) return undefined;
  const relation = lowerFirst(match[1].slice(type.name.length));
  const field = type.getFields()[relation];
  if (!field) return undefined;
  const named = getNamedType(field.type);
  return connectionNodeType(named) ?? (isRecordType(named) ? named : undefined);
}

function argumentValues(node: FieldNode, variables: Record<string, unknown>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const argument of node.arguments ?? []) args[argument.name.value] = valueFromASTUntyped(argument.value, variables);
  return args;
}
