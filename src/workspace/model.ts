/**
 * The workspace model: a plain description of a Clarify workspace's objects and fields, made
 * from the JSON Schemas of `GET /schemas`. Nothing downstream reads raw JSON Schema.
 */

/** The slug of Clarify's workspace members: read from `/users`, never created or edited through records. */
export const USER_OBJECT = 'user';

export type RelationshipKind = 'many-to-one' | 'one-to-many' | 'many-to-many';

export type FieldKind =
  | 'id'
  | 'text'
  | 'number'
  | 'boolean'
  | 'date'
  | 'dateTime'
  | 'select'
  | 'multiSelect'
  | 'stringCollection'
  | 'objectCollection'
  | 'personName'
  | 'richText'
  /** An FK to another record (`company_id`). */
  | 'reference'
  /** An FK holding a user id or a system actor (`owner_id`); not includable. */
  | 'userReference'
  /** A to-many relationship (`people`); never an attribute. */
  | 'toMany'
  /** A shape the model does not understand; exposed as JSON. */
  | 'json';

export interface FieldRelationship {
  kind: RelationshipKind;
  /** Slug of the other object (`company`, `user`). */
  target: string;
  /** The inverse field on the other object, when it has one. */
  inverse?: string;
}

/** One property of a collection of objects (meeting `participants` items). */
export interface ItemProperty {
  name: string;
  kind: 'text' | 'number' | 'boolean';
}

export interface FieldModel {
  /** The Clarify attribute name (`email_addresses`). */
  name: string;
  title: string;
  kind: FieldKind;
  nullable: boolean;
  /** Server-owned (`_id`, `_created_at`, …): never in write inputs. */
  readOnly: boolean;
  required: boolean;
  primary: boolean;
  unique: boolean;
  /** Case-sensitive option values for `select` and `multiSelect`. */
  options?: string[];
  /** For `objectCollection`: the item properties. */
  itemProperties?: ItemProperty[];
  relationship?: FieldRelationship;
}

export interface ObjectModel {
  /** Clarify slug: `person`, `c_sales_order`, `user`. */
  slug: string;
  title: string;
  singular: string;
  plural: string;
  description?: string;
  custom: boolean;
  /** `user` is read through `/users` only and cannot be written. */
  readOnly: boolean;
  fields: FieldModel[];
  primaryField?: string;
  uniqueField?: string;
}

export interface WorkspaceModel {
  objects: ObjectModel[];
  /** Shapes that were not understood, one sentence each. */
  warnings: string[];
}

export function findObject(model: WorkspaceModel, slug: string): ObjectModel | undefined {
  return model.objects.find((o) => o.slug === slug);
}

export function findField(object: ObjectModel, name: string): FieldModel | undefined {
  return object.fields.find((f) => f.name === name);
}

/** Fields that hold relationships to records that `include` can reach. */
export function isIncludable(field: FieldModel): boolean {
  return field.kind === 'reference' || field.kind === 'toMany';
}
