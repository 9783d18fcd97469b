import type { ObjectRef, EnumRef, InputObjectRef, InterfaceRef } from '@pothos/core';
import type { ConnectionShapeForType } from '@pothos/plugin-relay';
import type { ClarifyResource } from '../../client/types.js';
import type { FieldModel, ObjectModel, WorkspaceModel } from '../../workspace/model.js';
import type { GatewayBuilder, GatewaySchemaTypes } from './builder.js';
import type { RichTextValue, UserErrorValue } from './values.js';
import { RESERVED_TYPE_NAMES, enumValueNames, fieldTypeName, nameFields, nameObjects, type FieldNames, type ObjectNames } from './naming.js';

type Types = PothosSchemaTypes.ExtendDefaultTypes<GatewaySchemaTypes>;

export type RecordRef = ObjectRef<Types, ClarifyResource>;
/** A record type's connection, as `builder.connectionObject` makes it (its shape carries `totalCount`). */
export type ConnectionRef = ObjectRef<Types, ConnectionShapeForType<Types, RecordRef, false, Types['DefaultEdgesNullability'], Types['DefaultNodeNullability']>>;
export type SelectEnumRef = EnumRef<Types, string, string>;
export type FilterValue = Record<string, unknown>;
export type FilterRef = InputObjectRef<Types, FilterValue>;

/** Everything the schema parts share for one object. */
export interface ObjectParts {
  object: ObjectModel;
  names: ObjectNames;
  fieldNames: Map<string, FieldNames>;
  ref: RecordRef;
  connection?: ConnectionRef;
  filter?: FilterRef;
  orderBy?: InputObjectRef<Types, { field: string; direction: 'ASC' | 'DESC' }>;
}

/** The GraphQL names of one of the object's fields (every field of the model is named). */
export function fieldNamesOf(parts: ObjectParts, field: FieldModel): FieldNames {
  const names = parts.fieldNames.get(field.name);
  if (!names) throw new Error(`No GraphQL name for ${parts.object.slug}.${field.name}.`);
  return names;
}

/** The objects with a reference (FK) to `slug`: deleting one of its records clears theirs. */
export function referencing(registry: SchemaRegistry, slug: string): string[] {
  const objects = [...registry.objects.values()].map((parts) => parts.object);
  return objects.filter((object) => object.fields.some((field) => field.kind === 'reference' && field.relationship?.target === slug)).map((object) => object.slug);
}

/** A field name for an addition to a record type (`activities`), unless the object has a field of that name already. */
export function freeFieldName(parts: ObjectParts, wanted: string): string | undefined {
  const taken = new Set<string>();
  for (const names of parts.fieldNames.values()) {
    if (names.value) taken.add(names.value);
    if (names.relation) taken.add(names.relation);
  }
  return taken.has(wanted) ? undefined : wanted;
}

/**
 * The refs and names of one schema build, so that records, filters, connections and mutations
 * refer to each other's types by object slug instead of re-deriving names.
 */
export class SchemaRegistry {
  readonly objects = new Map<string, ObjectParts>();
  /** The `RichText` output type, once `addRecordTypes` made it (comments reuse it). */
  richText?: ObjectRef<Types, RichTextValue>;
  /** The `Node` interface, once `addRecordTypes` made it (comments and saved lists implement it too). */
  node?: InterfaceRef<Types, ClarifyResource>;
  /**
   * The GraphQL type of each node kind: an object slug, `comment`, or `list:<object>` for a
   * saved list of that object (see `plan/global-id.ts`).
   */
  readonly nodeTypes = new Map<string, string>();
  /** The `UserError` type, once `addMutations` made it (every payload shares it). */
  userError?: ObjectRef<Types, UserErrorValue>;
  private readonly enums = new Map<string, { ref: SelectEnumRef; name: string }>();
  /** Every type name handed out in this build; generated names never clash, whatever the workspace calls its objects. */
  private readonly typeNames = new Set<string>(RESERVED_TYPE_NAMES);
  /** Every root field name handed out in this build, the objects' own first. */
  private readonly rootFields = { query: new Set<string>(), mutation: new Set<string>() };

  constructor(
    readonly builder: GatewayBuilder,
    readonly model: WorkspaceModel,
  ) {
    const names = nameObjects(model);
    for (const object of model.objects) {
      const objectNames = names.get(object.slug)!;
      this.typeNames.add(objectNames.typeName);
      this.typeNames.add(objectNames.pluralType);
      this.objects.set(object.slug, {
        object,
        names: objectNames,
        fieldNames: nameFields(object),
        ref: builder.objectRef<ClarifyResource>(objectNames.typeName),
      });
      this.rootFields.query.add(objectNames.single);
      this.rootFields.query.add(objectNames.plural);
      for (const verb of ['create', 'update', 'delete']) {
        this.rootFields.mutation.add(`${verb}${objectNames.typeName}`);
        this.rootFields.mutation.add(`${verb}${objectNames.pluralType}`);
      }
    }
  }

  /**
   * A free type name for a generated type: `wanted` itself, or `wanted` with a number when a
   * type of that name exists already (an object type or another generated type).
   */
  claim(wanted: string): string {
    let name = wanted;
    for (let n = 2; this.typeNames.has(name); n++) name = `${wanted}${n}`;
    this.typeNames.add(name);
    return name;
  }

  /**
   * A root field name no other root field of the build has: `wanted`, or `wanted` with a number.
   * Object root fields come from workspace labels, so a custom object may take any name first.
   */
  claimRootField(root: 'query' | 'mutation', wanted: string): string {
    const taken = this.rootFields[root];
    let name = wanted;
    for (let n = 2; taken.has(name); n++) name = `${wanted}${n}`;
    taken.add(name);
    return name;
  }

  parts(slug: string): ObjectParts | undefined {
    return this.objects.get(slug);
  }

  /** The GraphQL enum for a select or multi-select field, made once. */
  enumFor(parts: ObjectParts, field: FieldModel): SelectEnumRef {
    return this.selectEnum(parts, field).ref;
  }

  /** The enum's name, for types named after it (`DealStageFilter`). */
  enumName(parts: ObjectParts, field: FieldModel): string {
    return this.selectEnum(parts, field).name;
  }

  private selectEnum(parts: ObjectParts, field: FieldModel): { ref: SelectEnumRef; name: string } {
    const key = `${parts.object.slug}.${field.name}`;
    let entry = this.enums.get(key);
    if (!entry) {
      const name = this.claim(fieldTypeName(parts.names.typeName, field.name));
      const values: Record<string, { value: string; description: string }> = {};
      for (const [option, valueName] of enumValueNames(field.options ?? [])) {
        values[valueName] = { value: option, description: `Clarify value \`${option}\`.` };
      }
      if (Object.keys(values).length === 0) values.UNSET = { value: '', description: 'This field has no options yet.' };
      const ref = this.builder.enumType(name, {
        description: `Options of ${parts.object.singular} ${field.title}.`,
        values,
      });
      entry = { ref, name };
      this.enums.set(key, entry);
    }
    return entry;
  }
}
