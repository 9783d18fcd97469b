/** The sandbox's internal description of objects and fields, from which `/schemas` is rendered. */

export type FieldKind =
  | 'text'
  | 'number'
  | 'boolean'
  | 'date'
  | 'date-time'
  | 'select'
  | 'multi-select'
  | 'collection'
  | 'object-collection'
  | 'name'
  | 'rich-text'
  | 'fk'
  | 'user-ref'
  | 'to-many'
  /** System fields only: `_id` and the actor fields. */
  | 'id'
  | 'actor';

export type RelationshipKind = 'many-to-one' | 'one-to-many' | 'many-to-many';

export interface RelationshipDef {
  kind: RelationshipKind;
  /** The other object's slug. */
  entity: string;
  /** The inverse field on the other object, when it has one. */
  field?: string;
}

export interface FieldDef {
  name: string;
  title: string;
  kind: FieldKind;
  /** Options of a select or multi-select field. */
  options?: string[];
  /** Items of a collection must be email addresses. */
  email?: boolean;
  relationship?: RelationshipDef;
  primary?: boolean;
  unique?: boolean;
  rank: number;
}

export interface ObjectDef {
  slug: string;
  title: string;
  singular: string;
  plural: string;
  description: string | null;
  custom: boolean;
  /** Users are listed through `/users` only, never through `/objects`. */
  readOnly: boolean;
  fields: Map<string, FieldDef>;
  required: string[];
}

export const SYSTEM_FIELDS: readonly FieldDef[] = [
  { name: '_id', title: 'Record ID', kind: 'id', rank: -5 },
  { name: '_created_at', title: 'Created at', kind: 'date-time', rank: -4 },
  { name: '_updated_at', title: 'Updated at', kind: 'date-time', rank: -3 },
  { name: '_created_by', title: 'Created by', kind: 'actor', rank: -2 },
  { name: '_updated_by', title: 'Updated by', kind: 'actor', rank: -1 },
];

const SYSTEM_BY_NAME = new Map(SYSTEM_FIELDS.map((field) => [field.name, field]));

/** A field of the object or a system field, for filters and sorting. */
export function queryableField(object: ObjectDef, name: string): FieldDef | undefined {
  return SYSTEM_BY_NAME.get(name) ?? object.fields.get(name);
}

export function uniqueField(object: ObjectDef): FieldDef | undefined {
  for (const field of object.fields.values()) if (field.unique) return field;
  return undefined;
}

/** Whether the field shows up in `relationships` (to-one record links and to-many fields). */
export function isRelationship(field: FieldDef): boolean {
  return field.kind === 'fk' || field.kind === 'to-many';
}

export function isUserReference(field: FieldDef): boolean {
  return field.kind === 'user-ref';
}
