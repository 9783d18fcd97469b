import type { ErrorCode } from '../../errors/codes.js';
import type { InputFieldMap, InputObjectRef } from '@pothos/core';
import type { FieldModel } from '../../workspace/model.js';
import type { GatewaySchemaTypes } from '../core/builder.js';
import { camelCase, fieldTypeName } from '../core/naming.js';
import { type ObjectParts, type SchemaRegistry, fieldNamesOf } from '../core/registry.js';
import { USER_ERROR_CODES } from '../core/user-errors.js';
import { plainTextBlocks, type UserErrorValue } from '../core/values.js';

type Types = PothosSchemaTypes.ExtendDefaultTypes<GatewaySchemaTypes>;
export type InputValue = Record<string, unknown>;
export type InputRef = InputObjectRef<Types, InputValue>;

/** The write inputs of one object. */
export interface ObjectInputs {
  create: InputRef;
  update: InputRef;
  /** `update<Types>` items: the update fields plus `id`. */
  updateItem: InputRef;
}

type SharedInputs = ReturnType<typeof addSharedInputs>;

/** Same rule as Clarify's: something@domain.tld, no spaces. */
const EMAIL_RE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
/** DECIMAL(16,4): at most 12 digits before the point. */
const NUMBER_LIMIT = 1e12;

/** Fields a write may carry: not server-owned, not to-many (those go through relationship mutations). */
export function writableFields(parts: ObjectParts): FieldModel[] {
  return parts.object.fields.filter(
    (field) =>
      !field.readOnly &&
      !field.name.startsWith('_') &&
      field.kind !== 'id' &&
      field.kind !== 'toMany' &&
      parts.fieldNames.get(field.name)?.value !== undefined,
  );
}

/** A collection of email addresses: validated here so one bad address is one item's error. */
function isEmailCollection(field: FieldModel): boolean {
  return field.kind === 'stringCollection' && field.name.includes('email');
}

export function addSharedInputs(registry: SchemaRegistry) {
  const builder = registry.builder;
  const personName = builder.inputType('PersonNameInput', {
    description: "A person's name. Give first and last name, or only `fullName` (split on the first space by Clarify).",
    fields: (t) => ({
      firstName: t.string(),
      lastName: t.string(),
      fullName: t.string(),
    }),
  });
  const richText = builder.inputType('RichTextInput', {
    description: 'Rich text: either `plainText` (one paragraph per line) or Clarify `blocks` (BlockNote), not both.',
    fields: (t) => ({
      plainText: t.string(),
      blocks: t.field({ type: 'JSON' }),
    }),
  });
  return { personName, richText };
}

/** `Create<Type>Input`, `Update<Type>Input` and `Update<Type>ItemInput` for one object. */
export function addObjectInputs(registry: SchemaRegistry, parts: ObjectParts, shared: SharedInputs): ObjectInputs {
  const builder = registry.builder;
  const typeName = parts.names.typeName;
  const itemInputs = objectCollectionInputs(registry, parts);
  const fieldsFor = (t: InputFieldBuilder, mode: 'create' | 'update'): InputFieldMap => {
    const fields: InputFieldMap = {};
    for (const field of writableFields(parts)) {
      const name = valueNameOf(parts, field);
      const required = mode === 'create' && field.required;
      const description = field.required ? `${field.title} (required).` : field.title;
      fields[name] = inputField(t, registry, parts, field, { required, description, shared, itemInputs });
    }
    return fields;
  };
  const create = builder.inputType(registry.claim(`Create${typeName}Input`), {
    description: `A new ${parts.object.singular}.${parts.object.uniqueField ? ` A record with the same ${parts.object.uniqueField} is updated instead (upsert).` : ''}`,
    fields: (t) => fieldsFor(t, 'create'),
  });
  const update = builder.inputType(registry.claim(`Update${typeName}Input`), {
    description: `Changes to a ${parts.object.singular}: only the fields given change; an explicit null clears a field.`,
    fields: (t) => fieldsFor(t, 'update'),
  });
  const updateItem = builder.inputType(registry.claim(`Update${typeName}ItemInput`), {
    description: `One ${parts.object.singular} of a bulk update: its id and the fields to change.`,
    fields: (t) => ({ id: t.id({ required: true }), ...fieldsFor(t, 'update') }),
  });
  return { create, update, updateItem };
}

type InputFieldBuilder = PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>;

interface FieldOptions {
  required: boolean;
  description: string;
  shared: SharedInputs;
  itemInputs: Map<string, InputRef>;
}

function inputField(t: InputFieldBuilder, registry: SchemaRegistry, parts: ObjectParts, field: FieldModel, options: FieldOptions) {
  const { required, description } = options;
  const list = { list: required, items: true } as const;
  switch (field.kind) {
    case 'number':
      return t.float({ required, description });
    case 'boolean':
      return t.boolean({ required, description });
    case 'date':
      return t.field({ type: 'Date', required, description });
    case 'dateTime':
      return t.field({ type: 'DateTime', required, description });
    case 'select':
      return t.field({ type: registry.enumFor(parts, field), required, description });
    case 'multiSelect':
      return t.field({ type: [registry.enumFor(parts, field)], required: list, description });
    case 'stringCollection':
      return t.stringList({ required: list, description: isEmailCollection(field) ? `${description} (valid email addresses).` : description });
    case 'objectCollection': {
      const item = options.itemInputs.get(field.name);
      return item ? t.field({ type: [item], required: list, description }) : t.field({ type: ['JSON'], required: list, description });
    }
    case 'personName':
      return t.field({ type: options.shared.personName, required, description });
    case 'richText':
      return t.field({ type: options.shared.richText, required, description });
    case 'reference':
    case 'userReference':
      return t.id({ required, description: `${description} (id).` });
    case 'json':
      return t.field({ type: 'JSON', required, description });
    default:
      return t.string({ required, description });
  }
}

function objectCollectionInputs(registry: SchemaRegistry, parts: ObjectParts): Map<string, InputRef> {
  const refs = new Map<string, InputRef>();
  for (const field of writableFields(parts)) {
    if (field.kind !== 'objectCollection' || !field.itemProperties?.length) continue;
    const properties = field.itemProperties;
    const ref = registry.builder.inputType(registry.claim(`${fieldTypeName(parts.names.typeName, field.name)}ItemInput`), {
      description: `One item of ${parts.object.singular} ${field.title}.`,
      fields: (t) => {
        const fields: InputFieldMap = {};
        for (const property of properties) {
          const key = camelCase(property.name);
          if (property.kind === 'boolean') fields[key] = t.boolean();
          else if (property.kind === 'number') fields[key] = t.float();
          else fields[key] = t.string();
        }
        return fields;
      },
    });
    refs.set(field.name, ref);
  }
  return refs;
}

/** Clarify attributes made from a GraphQL input, or the problems that stop them being sent. */
export interface Conversion {
  attributes: Record<string, unknown>;
  errors: UserErrorValue[];
}

/**
 * Turns a create or update input into Clarify attributes, checking what the schema can tell
 * (empty required values, email addresses, number range, rich text shape) so that those
 * problems cost no upstream call. `root` is the input's path in the arguments.
 */
export function toAttributes(parts: ObjectParts, input: InputValue, mode: 'create' | 'update', root: string[]): Conversion {
  const attributes: Record<string, unknown> = {};
  const errors: UserErrorValue[] = [];
  for (const field of writableFields(parts)) {
    const name = valueNameOf(parts, field);
    if (!(name in input) || input[name] === undefined) continue;
    const value = input[name];
    const path = [...root, name];
    const fail = (message: string, code: ErrorCode = USER_ERROR_CODES.invalid, at: string[] = path): void => {
      errors.push({ field: at, message: `${field.title}: ${message}`, code });
    };
    if (value === null) {
      if (field.required) fail('is required and cannot be cleared', USER_ERROR_CODES.required);
      else attributes[field.name] = null;
      continue;
    }
    if (mode === 'update' && field.kind === 'personName' && !replacesWholeName(value as InputValue)) {
      // Clarify replaces the whole name object; one part alone would clear the other.
      fail('an update replaces the whole name: give firstName and lastName together, or fullName (null clears it)');
      continue;
    }
    const converted = convertValue(field, value, path, fail);
    if (converted !== undefined) attributes[field.name] = converted;
  }
  return { attributes, errors };
}

type Fail = (message: string, code?: ErrorCode, at?: string[]) => void;

function convertValue(field: FieldModel, value: unknown, path: string[], fail: Fail): unknown {
  switch (field.kind) {
    case 'text':
      if (field.required && typeof value === 'string' && value.trim() === '') return fail('must not be empty', USER_ERROR_CODES.required);
      return value;
    case 'number':
      if (typeof value === 'number' && Math.abs(Math.round(value * 10_000) / 10_000) >= NUMBER_LIMIT) return fail('must have at most 12 digits before the decimal point');
      return value;
    case 'dateTime':
      return value instanceof Date ? value.toISOString() : value;
    case 'multiSelect':
    case 'objectCollection':
      return { items: (value as unknown[]).map((item) => (field.kind === 'objectCollection' ? snakeKeys(item) : item)) };
    case 'stringCollection': {
      const items = value as string[];
      if (isEmailCollection(field)) {
        let valid = true;
        items.forEach((item, index) => {
          if (!EMAIL_RE.test(item)) {
            fail(`"${item}" is not a valid email address`, USER_ERROR_CODES.invalid, [...path, String(index)]);
            valid = false;
          }
        });
        if (!valid) return undefined;
      }
      if (field.required && items.length === 0) return fail('needs at least one value', USER_ERROR_CODES.required);
      return { items };
    }
    case 'personName':
      return personNameValue(field, value as InputValue, fail);
    case 'richText':
      return richTextValue(value as InputValue, fail);
    case 'reference':
    case 'userReference':
      if (typeof value === 'string' && value.trim() === '') return fail('must be an id; use null to clear it');
      return value;
    default:
      return value;
  }
}

function snakeKeys(item: unknown): unknown {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) out[key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)] = value;
  return out;
}

function replacesWholeName(name: InputValue): boolean {
  const given = (key: string): boolean => namePart(name, key) !== null;
  return given('fullName') || (given('firstName') && given('lastName'));
}

/** A part of a name input, trimmed; null when absent or blank. */
function namePart(name: InputValue, key: string): string | null {
  const value = name[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** `{first_name, last_name, full_name}`; only a full name is sent as the string form Clarify splits. */
function personNameValue(field: FieldModel, name: InputValue, fail: Fail): unknown {
  const first = namePart(name, 'firstName');
  const last = namePart(name, 'lastName');
  const full = namePart(name, 'fullName');
  if (first === null && last === null && full === null) {
    return field.required ? fail('needs a first, last or full name', USER_ERROR_CODES.required) : null;
  }
  if (first === null && last === null) return full;
  return { first_name: first, last_name: last, full_name: full ?? [first, last].filter((p) => p !== null).join(' ') };
}

/** `{text: blocks}`; plain text becomes one BlockNote paragraph per line. */
function richTextValue(value: InputValue, fail: Fail): unknown {
  const plainText = value.plainText;
  const blocks = value.blocks;
  const hasText = typeof plainText === 'string';
  const hasBlocks = blocks !== undefined && blocks !== null;
  if (hasText && hasBlocks) return fail('give plainText or blocks, not both');
  if (hasBlocks) return Array.isArray(blocks) ? { text: blocks } : fail('blocks must be a list of blocks');
  if (!hasText) return null;
  return { text: plainTextBlocks(plainText) };
}

/** The value field name of a field that has one (`emailAddresses`, `companyId`). */
function valueNameOf(parts: ObjectParts, field: FieldModel): string {
  const names = fieldNamesOf(parts, field);
  if (names.kind === 'toMany') throw new Error(`${parts.object.slug}.${field.name} has no value field.`);
  return names.value;
}
