import type { ObjectRef, EnumRef, InputObjectRef } from '@pothos/core';
import type { ClarifyResource } from '../client/types.js';
import type { FieldModel, ObjectModel, WorkspaceModel } from '../workspace/model.js';
import type { GatewayBuilder, GatewaySchemaTypes } from './builder.js';
import type { ConnectionShape } from './connections.js';
import { enumValueNames, nameFields, nameObjects, pascalCase, type FieldNames, type ObjectNames } from './naming.js';

type Types = PothosSchemaTypes.ExtendDefaultTypes<GatewaySchemaTypes>;

export type RecordRef = ObjectRef<Types, ClarifyResource>;
export type ConnectionRef = ObjectRef<Types, ConnectionShape>;
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

/**
 * The refs and names of one schema build, so that records, filters, connections and mutations
 * refer to each other's types by object slug instead of re-deriving names.
 */
export class SchemaRegistry {
  readonly objects = new Map<string, ObjectParts>();
  private readonly enums = new Map<string, SelectEnumRef>();

  constructor(
    readonly builder: GatewayBuilder,
    readonly model: WorkspaceModel,
  ) {
    const names = nameObjects(model);
    for (const object of model.objects) {
      const objectNames = names.get(object.slug)!;
      this.objects.set(object.slug, {
        object,
        names: objectNames,
        fieldNames: nameFields(object),
        ref: builder.objectRef<ClarifyResource>(objectNames.typeName),
      });
    }
  }

  parts(slug: string): ObjectParts | undefined {
    return this.objects.get(slug);
  }

  /** The GraphQL enum for a select or multi-select field, made once. */
  enumFor(parts: ObjectParts, field: FieldModel): SelectEnumRef {
    const key = `${parts.object.slug}.${field.name}`;
    let ref = this.enums.get(key);
    if (!ref) {
      const name = `${parts.names.typeName}${pascalCase(field.name)}`;
      const values: Record<string, { value: string; description: string }> = {};
      for (const [option, valueName] of enumValueNames(field.options ?? [])) {
        values[valueName] = { value: option, description: `Clarify value \`${option}\`.` };
      }
      if (Object.keys(values).length === 0) values.UNSET = { value: '', description: 'This field has no options yet.' };
      ref = this.builder.enumType(name, {
        description: `Options of ${parts.object.singular} ${field.title}.`,
        values,
      }) as SelectEnumRef;
      this.enums.set(key, ref);
    }
    return ref;
  }
}
