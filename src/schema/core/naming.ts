import type { FieldModel, ObjectModel, WorkspaceModel } from '../../workspace/model.js';

/** Names GraphQL or this schema already uses; an object type named like one gets a suffix. */
export const RESERVED_TYPE_NAMES: ReadonlySet<string> = new Set([
  // Timelines, files, comments, saved lists, deleted records and schema changes.
  'Activity',
  'ActivityConnection',
  'ActivityEdge',
  'RecordCreatedActivity',
  'RecordUpdatedActivity',
  'CommentActivity',
  'AttachmentActivity',
  'MergeActivity',
  'OtherActivity',
  'Attachment',
  'AttachmentConnection',
  'AttachmentEdge',
  'AttachmentDownload',
  'AttachmentUpload',
  'DeletedRecord',
  'DeletedRecordConnection',
  'DeletedRecordEdge',
  'RecordType',
  'Comment',
  'CommentBodyInput',
  'CreateCommentInput',
  'CommentPayload',
  'DeleteCommentPayload',
  'RequestAttachmentUploadInput',
  'RequestAttachmentUploadPayload',
  'AttachUploadedFileInput',
  'AttachmentPayload',
  'RemoveAttachmentInput',
  'RemoveAttachmentPayload',
  'SavedList',
  'SavedListConnection',
  'SavedListEdge',
  'SavedListKind',
  'DeleteSavedListPayload',
  'SchemaChange',
  'SchemaChangeStatus',
  'SchemaChangePayload',
  'CustomFieldType',
  'CreateCustomFieldInput',
  'EditSelectOptionsInput',
  'CreateCustomObjectInput',
  'Query',
  'Mutation',
  'Subscription',
  'String',
  'Int',
  'Float',
  'Boolean',
  'ID',
  'Record',
  'Node',
  'PageInfo',
  'DateTime',
  'Date',
  'JSON',
  'EmailAddress',
  'PersonName',
  'PersonNameInput',
  'RichText',
  'UserError',
  'OrderDirection',
  'StringFilter',
  'NumberFilter',
  'DateFilter',
  'DateTimeFilter',
  'BooleanFilter',
  'IdFilter',
  'CollectionFilter',
  'PersonNameInput',
  'RichTextInput',
  'ChangeKind',
]);

/** Name of a type generated for one field of an object (`DealStage`, `MeetingParticipantsItem`). */
export function fieldTypeName(typeName: string, field: string): string {
  return `${typeName}${pascalCase(field)}`;
}

/** Names shaped like the mutation inputs and payloads generated for other objects. */
const MUTATION_SHAPED = /^(Create|Update|Delete|Add|Remove)[A-Z].*(Input|Payload|Result)$/;

/** Suffixes of the types generated for each object; another object may not take those names. */
const DERIVED_SUFFIXES = ['Connection', 'Edge', 'Filter', 'OrderBy', 'OrderField', 'Input', 'Payload', 'Result', 'List', 'ListConnection', 'ListEdge', 'ListPayload', 'Change'];

export function pascalCase(value: string): string {
  const words = value
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  const joined = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join('');
  return /^[0-9]/.test(joined) ? `N${joined}` : joined || 'Unnamed';
}

export function camelCase(value: string): string {
  const pascal = pascalCase(value);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/** `SCREAMING_SNAKE` GraphQL enum value name for a Clarify option (`To Do` → `TO_DO`). */
export function enumValueName(value: string): string {
  const name = value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\+/g, ' PLUS ')
    .replace(/&/g, ' AND ')
    .replace(/%/g, ' PERCENT ')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .join('_')
    .toUpperCase();
  if (!name) return 'EMPTY';
  if (/^[0-9]/.test(name)) return `_${name}`;
  if (name === 'TRUE' || name === 'FALSE' || name === 'NULL') return `${name}_`;
  return name;
}

/** Unique GraphQL enum value names for a list of options, in order. */
export function enumValueNames(options: string[]): Map<string, string> {
  const used = new Set<string>();
  const names = new Map<string, string>();
  for (const option of options) {
    const base = enumValueName(option);
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    names.set(option, name);
  }
  return names;
}

/** The GraphQL names chosen for one object: its type and its root fields. */
export interface ObjectNames {
  typeName: string;
  /** Root field for one record (`person`). */
  single: string;
  /** Root field for the connection (`people`). */
  plural: string;
  /** Pascal plural used in bulk mutation names (`People`). */
  pluralType: string;
}

/**
 * Names every object of the model. Object types take PascalCase of the slug without `c_`;
 * a clash with a built-in, another object's generated type or another object's name gets a
 * suffix. Root fields come from the labels.
 */
export function nameObjects(model: WorkspaceModel): Map<string, ObjectNames> {
  const taken = new Set(RESERVED_TYPE_NAMES);
  const objects = model.objects.map((object) => ({ object, base: pascalCase(object.slug.replace(/^c_/, '')) }));
  // Names the build will generate from each object and its fields; an object type may not take one.
  const derived = new Set<string>();
  for (const { object, base } of objects) {
    for (const suffix of DERIVED_SUFFIXES) derived.add(base + suffix);
    for (const field of object.fields) {
      if (!['select', 'multiSelect', 'objectCollection'].includes(field.kind)) continue;
      const fieldType = fieldTypeName(base, field.name);
      for (const suffix of ['', 'Filter', 'ListFilter', 'Item', 'ItemInput']) derived.add(fieldType + suffix);
    }
  }

  // Standard objects choose first so that a custom object never displaces them.
  const ordered = [...objects].sort((a, b) => Number(a.object.custom) - Number(b.object.custom) || a.object.slug.localeCompare(b.object.slug));
  const rootFields = new Set(['node', 'nodes', '_health', 'workspace']);
  const names = new Map<string, ObjectNames>();
  const unused = (name: string): boolean => !taken.has(name) && !derived.has(name) && !MUTATION_SHAPED.test(name);
  for (const { object, base } of ordered) {
    let typeName = unused(base) ? base : `${base}Object`;
    for (let n = 2; !unused(typeName); n++) typeName = `${base}Object${n}`;
    taken.add(typeName);

    let single = camelCase(object.singular);
    let plural = camelCase(object.plural);
    if (plural === single) plural = `${single}List`;
    if (rootFields.has(single)) single = camelCase(`${object.singular} ${object.slug}`);
    if (rootFields.has(plural)) plural = camelCase(`${object.plural} ${object.slug}`);
    rootFields.add(single);
    rootFields.add(plural);

    // Bulk mutation types use the plural (`CreatePeoplePayload`), so it must not be a type name either.
    const pluralBase = pascalCase(plural);
    let pluralType = pluralBase;
    for (let n = 2; taken.has(pluralType); n++) pluralType = `${pluralBase}${n}`;
    taken.add(pluralType);
    names.set(object.slug, { typeName, single, plural, pluralType });
  }
  return names;
}

/**
 * What one Clarify field becomes on its object type: a value field (`email_addresses` →
 * `emailAddresses`), a reference's id and record fields (`companyId`, `company`), or a to-many
 * connection field (`people`).
 */
export type FieldNames =
  | { kind: 'value'; value: string; relation?: undefined }
  | { kind: 'reference'; value: string; relation: string }
  | { kind: 'toMany'; value?: undefined; relation: string };

const SYSTEM_FIELD_NAMES: Record<string, string> = {
  _id: 'id',
  _created_at: 'createdAt',
  _updated_at: 'updatedAt',
  _created_by: 'createdBy',
  _updated_by: 'updatedBy',
};

/** Names the fields of one object, keeping each GraphQL name unique within the type. */
export function nameFields(object: ObjectModel): Map<string, FieldNames> {
  const used = new Set<string>(['id', '__typename']);
  const result = new Map<string, FieldNames>();
  const claim = (wanted: string): string => {
    let name = wanted;
    for (let n = 2; used.has(name); n++) name = `${wanted}${n}`;
    used.add(name);
    return name;
  };
  for (const field of object.fields) {
    if (field.name === '_id') {
      result.set(field.name, { kind: 'value', value: 'id' });
      continue;
    }
    const system = SYSTEM_FIELD_NAMES[field.name];
    if (system) {
      result.set(field.name, { kind: 'value', value: claim(system) });
      continue;
    }
    result.set(field.name, namesFor(field, claim));
  }
  return result;
}

function namesFor(field: FieldModel, claim: (wanted: string) => string): FieldNames {
  const camel = camelCase(field.name);
  switch (field.kind) {
    case 'reference':
    case 'userReference': {
      const value = claim(field.name.endsWith('_id') ? camelCase(field.name.slice(0, -3)) + 'Id' : `${camel}Id`);
      const relationBase = field.name.endsWith('_id') ? camelCase(field.name.slice(0, -3)) : `${camel}Record`;
      return { kind: 'reference', value, relation: claim(relationBase) };
    }
    case 'toMany':
      return { kind: 'toMany', relation: claim(camel) };
    default:
      return { kind: 'value', value: claim(camel) };
  }
}
