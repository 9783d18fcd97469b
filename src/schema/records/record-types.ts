import type { FieldMap, ObjectRef } from '@pothos/core';
import type { GatewaySchemaTypes } from '../core/builder.js';
import type { ClarifyResource } from '../../client/types.js';
import type { FieldModel, ItemProperty } from '../../workspace/model.js';
import { recordsOf, type ClarifyFieldInfo } from '../../plan/field-info.js';
import { encodeGlobalId } from '../../plan/global-id.js';
import { camelCase, fieldTypeName } from '../core/naming.js';
import { addNodeInterface, GLOBAL_ID_DESCRIPTION } from '../core/nodes.js';
import { type ObjectParts, type SchemaRegistry, fieldNamesOf } from '../core/registry.js';
import { resolveReference, resolveToMany, resolveUser } from './relations.js';
import { booleanValue, collectionItems, numberValue, personName, referenceId, richText, text, type PersonNameValue, type RichTextValue } from '../core/values.js';

type Builder = SchemaRegistry['builder'];

/** Adds `Record`, `PersonName`, `RichText` and one object type (with its connection) per object. */
export function addRecordTypes(registry: SchemaRegistry): void {
  const builder = registry.builder;
  for (const parts of registry.objects.values()) registry.nodeTypes.set(parts.object.slug, parts.names.typeName);
  const nodeInterface = addNodeInterface(registry);
  const recordInterface = builder.interfaceRef<ClarifyResource>('Record').implement({
    description: 'Fields every Clarify record has.',
    interfaces: [nodeInterface],
    resolveType: (value) => registry.nodeTypes.get(value.type) ?? null,
    fields: (t) => ({
      id: t.id({ nullable: false, description: GLOBAL_ID_DESCRIPTION, resolve: (r) => encodeGlobalId(r.type, r.id) }),
      clarifyId: t.exposeID('id', { nullable: false, description: 'The Clarify record id (what Clarify\'s REST API and app call it).' }),
      createdAt: t.field({ type: 'DateTime', resolve: (r) => text(r.attributes._created_at) }),
      updatedAt: t.field({ type: 'DateTime', resolve: (r) => text(r.attributes._updated_at) }),
    }),
  });
  const personNameRef = builder.objectRef<PersonNameValue>('PersonName').implement({
    description: "A person's name.",
    fields: (t) => ({
      firstName: t.exposeString('firstName', { nullable: true }),
      lastName: t.exposeString('lastName', { nullable: true }),
      fullName: t.exposeString('fullName', { nullable: true }),
    }),
  });
  const richTextRef = builder.objectRef<RichTextValue>('RichText').implement({
    description: 'Rich text: its blocks as Clarify stores them, and their plain text.',
    fields: (t) => ({
      plainText: t.exposeString('plainText', { nullable: false }),
      blocks: t.field({ type: 'JSON', nullable: false, resolve: (v) => v.blocks }),
    }),
  });
  const shared = { personNameRef, richTextRef };
  registry.richText = richTextRef;

  for (const parts of registry.objects.values()) {
    parts.connection = builder.connectionObject(
      {
        type: parts.ref,
        name: registry.claim(`${parts.names.typeName}Connection`),
        description: `A page of ${parts.object.plural}.`,
        fields: (t) => ({
          totalCount: t.int({
            nullable: false,
            description: 'How many records match, across all pages.',
            resolve: (connection) => connection.totalCount,
          }),
        }),
      },
      { name: registry.claim(`${parts.names.typeName}Edge`) },
    );
  }

  for (const parts of registry.objects.values()) {
    const itemTypes = objectCollectionTypes(registry, parts);
    builder.objectType(parts.ref, {
      description: parts.object.description ?? `A Clarify ${parts.object.singular} record (\`${parts.object.slug}\`).`,
      interfaces: [nodeInterface, recordInterface],
      extensions: recordsOf(parts.object.slug),
      isTypeOf: (value) => typeof value === 'object' && value !== null && 'type' in value && value.type === parts.object.slug,
      fields: (t): FieldMap => {
        const fields: FieldMap = {};
        for (const field of parts.object.fields) {
          if (field.name === '_id' || field.name === '_created_at' || field.name === '_updated_at') continue;
          Object.assign(fields, fieldsFor(t, registry, parts, field, shared, itemTypes));
        }
        return fields;
      },
    });
  }
}

type RecordFieldBuilder = Parameters<Parameters<Builder['objectType']>[1]['fields'] & object>[0];

interface SharedRefs {
  personNameRef: ObjectRef<Types, PersonNameValue>;
  richTextRef: ObjectRef<Types, RichTextValue>;
}

type Types = PothosSchemaTypes.ExtendDefaultTypes<GatewaySchemaTypes>;

function fieldsFor(
  t: RecordFieldBuilder,
  registry: SchemaRegistry,
  parts: ObjectParts,
  field: FieldModel,
  shared: SharedRefs,
  itemTypes: Map<string, ObjectRef<Types, unknown>>,
): FieldMap {
  const names = fieldNamesOf(parts, field);
  const description = field.title;
  if (names.kind === 'reference') return referenceFields(t, registry, field, names.value, names.relation, description);
  if (names.kind === 'toMany') return toManyField(t, registry, parts, field, names.relation, description);
  const attr = (r: ClarifyResource): unknown => r.attributes[field.name];
  const value = names.value;
  switch (field.kind) {
    case 'text':
      return { [value]: t.string({ description, resolve: (r) => text(attr(r)) }) };
    case 'number':
      return { [value]: t.float({ description, resolve: (r) => numberValue(attr(r)) }) };
    case 'boolean':
      return { [value]: t.boolean({ description, resolve: (r) => booleanValue(attr(r)) }) };
    case 'date':
      return { [value]: t.field({ type: 'Date', description, resolve: (r) => text(attr(r))?.slice(0, 10) ?? null }) };
    case 'dateTime':
      return { [value]: t.field({ type: 'DateTime', description, resolve: (r) => text(attr(r)) }) };
    case 'select': {
      const options = new Set(field.options);
      const enumRef = registry.enumFor(parts, field);
      return {
        [value]: t.field({
          type: enumRef,
          description,
          resolve: (r) => {
            const v = text(attr(r));
            return v !== null && options.has(v) ? v : null;
          },
        }),
      };
    }
    case 'multiSelect': {
      const options = new Set(field.options);
      const enumRef = registry.enumFor(parts, field);
      return {
        [value]: t.field({
          type: [enumRef],
          nullable: { list: false, items: false },
          description,
          resolve: (r) => collectionItems(attr(r)).filter((v): v is string => typeof v === 'string' && options.has(v)),
        }),
      };
    }
    case 'stringCollection':
      return {
        [value]: t.stringList({
          nullable: { list: false, items: false },
          description,
          resolve: (r) => collectionItems(attr(r)).filter((v): v is string => typeof v === 'string'),
        }),
      };
    case 'objectCollection': {
      const itemType = itemTypes.get(field.name);
      if (!itemType) return {};
      return {
        [value]: t.field({
          type: [itemType],
          nullable: { list: false, items: false },
          description,
          resolve: (r) => collectionItems(attr(r)).filter((v) => v !== null && typeof v === 'object'),
        }),
      };
    }
    case 'personName':
      return { [value]: t.field({ type: shared.personNameRef, description, resolve: (r) => personName(attr(r)) }) };
    case 'richText':
      return { [value]: t.field({ type: shared.richTextRef, description, resolve: (r) => richText(attr(r)) }) };
    case 'json':
      return { [value]: t.field({ type: 'JSON', description, resolve: (r) => attr(r) ?? null }) };
    case 'id':
    case 'reference':
    case 'userReference':
    case 'toMany':
      return {};
  }
}

function referenceFields(
  t: RecordFieldBuilder,
  registry: SchemaRegistry,
  field: FieldModel,
  valueName: string,
  relationName: string,
  description: string,
): FieldMap {
  const fields: FieldMap = {
    [valueName]: t.id({ description: `${description} (id).`, resolve: (r) => referenceId(r, field.name) }),
  };
  const target = field.relationship && registry.parts(field.relationship.target);
  if (!target) return fields;
  const info: ClarifyFieldInfo =
    field.kind === 'userReference' ? { role: 'user', field: field.name } : { role: 'reference', field: field.name, target: target.object.slug };
  fields[relationName] = t.field({
    type: target.ref,
    description,
    extensions: { clarify: info },
    resolve: (r, _args, ctx, gqlInfo) =>
      info.role === 'user' ? resolveUser(r, field.name, ctx) : resolveReference(r, field.name, target.object.slug, ctx, gqlInfo),
  });
  return fields;
}

function toManyField(
  t: RecordFieldBuilder,
  registry: SchemaRegistry,
  parts: ObjectParts,
  field: FieldModel,
  relationName: string,
  description: string,
): FieldMap {
  const target = field.relationship && registry.parts(field.relationship.target);
  if (!target?.connection || !target.filter) return {};
  const info: ClarifyFieldInfo = { role: 'toMany', field: field.name, target: target.object.slug };
  const args = {
    ...t.arg.connectionArgs(),
    filter: t.arg({ type: target.filter, description: 'Conditions on the related records (uses the relationship endpoint).' }),
    ...(target.orderBy ? { orderBy: t.arg({ type: target.orderBy, description: 'Sort order (uses the relationship endpoint).' }) } : {}),
  };
  return {
    [relationName]: t.field({
      type: target.connection,
      // Nullable so that a failed relationship read costs only this field, not its parents.
      description: `${description}. Ordered by a number, date or date-time, cursors keep their place when records are created or deleted; otherwise they are positions (offsets) in the relationship. Null, with an error, when Clarify could not answer for this record.`,
      args,
      extensions: { clarify: info },
      resolve: (r, _args, ctx, gqlInfo) => resolveToMany(parts.object.slug, r, field.name, target.object.slug, ctx, gqlInfo),
    }),
  };
}

/** One object type per collection-of-objects field (meeting `participants` → `MeetingParticipant`). */
function objectCollectionTypes(registry: SchemaRegistry, parts: ObjectParts): Map<string, ObjectRef<Types, unknown>> {
  const builder = registry.builder;
  const types = new Map<string, ObjectRef<Types, unknown>>();
  for (const field of parts.object.fields) {
    if (field.kind !== 'objectCollection') continue;
    const name = registry.claim(`${fieldTypeName(parts.names.typeName, field.name)}Item`);
    const properties: ItemProperty[] = field.itemProperties?.length ? field.itemProperties : [];
    const ref = builder.objectRef<Record<string, unknown>>(name).implement({
      description: `One item of ${parts.object.singular} ${field.title}.`,
      fields: (t): FieldMap => {
        const fields: FieldMap = {};
        for (const property of properties) {
          const key = camelCase(property.name);
          const read = (item: Record<string, unknown>): unknown => item[property.name];
          if (property.kind === 'boolean') fields[key] = t.boolean({ resolve: (item) => booleanValue(read(item)) });
          else if (property.kind === 'number') fields[key] = t.float({ resolve: (item) => numberValue(read(item)) });
          else fields[key] = t.string({ resolve: (item) => (read(item) == null ? null : String(read(item))) });
        }
        fields.raw = t.field({ type: 'JSON', nullable: false, description: 'The item as Clarify stores it.', resolve: (item) => item });
        return fields;
      },
    });
    types.set(field.name, ref);
  }
  return types;
}
