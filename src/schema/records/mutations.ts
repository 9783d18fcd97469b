import { encodeGlobalId } from '../../plan/global-id.js';
import type { FieldMap, ObjectRef } from '@pothos/core';
import { type FieldModel, USER_OBJECT } from '../../workspace/model.js';
import type { WriteEffect } from '../../plan/effects.js';
import { ADMINISTRATIVE, type CallRule } from '../../plan/field-info.js';
import type { GatewaySchemaTypes } from '../core/builder.js';
import { addObjectInputs, addSharedInputs, type ObjectInputs } from './inputs.js';
import { pascalCase } from '../core/naming.js';
import {
  BULK_CREATE_LIMIT,
  createRecord,
  createRecords,
  deleteRecord,
  deleteRecords,
  updateRecord,
  updateRecords,
  type BulkDeletePayload,
  type BulkPayload,
  type DeletePayload,
  type RecordPayload,
} from './record-writes.js';
import { type ObjectParts, type SchemaRegistry, fieldNamesOf, referencing } from '../core/registry.js';
import { addRelated, removeRelated, type RelationPayload } from './relationship-writes.js';
import { planEntry, writes } from '../core/plan-entry.js';
import { addUserErrorType } from '../core/user-errors.js';
import { isRecord, type UserErrorValue } from '../core/values.js';

type Types = PothosSchemaTypes.ExtendDefaultTypes<GatewaySchemaTypes>;
type MutationFieldBuilder = PothosSchemaTypes.MutationFieldBuilder<Types, object>;
type UserErrorRef = ObjectRef<Types, UserErrorValue>;


const listLength = (value: unknown): number => (Array.isArray(value) ? value.length : 0);

/** Whether an input gives a value for a field (a non-blank string, a non-empty list, …). */
function carriesValue(input: unknown, field: string): boolean {
  const value = isRecord(input) ? input[field] : undefined;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return value !== null && value !== undefined;
}

const CALLS = {
  one: (): number => 1,
  /**
   * Inputs that carry the unique value go in upsert batches, the others in plain ones, 25 a batch.
   * (A batch Clarify rejects for some items is sent once more without them; that is not counted.)
   */
  bulkCreate: (uniqueInput: string | undefined) => (args: Record<string, unknown>): number => {
    const inputs: unknown[] = Array.isArray(args.inputs) ? args.inputs : [];
    if (args.atomic === true) return inputs.length > BULK_CREATE_LIMIT ? 0 : Math.min(1, inputs.length);
    const withValue = uniqueInput ? inputs.filter((input) => carriesValue(input, uniqueInput)).length : 0;
    return Math.ceil(withValue / BULK_CREATE_LIMIT) + Math.ceil((inputs.length - withValue) / BULK_CREATE_LIMIT);
  },
  bulk: (key: string) => (args: Record<string, unknown>): number => (listLength(args[key]) > 0 ? 1 : 0),
  /** add: GET the record, PATCH the union, read the set back; with no ids only the GET. */
  add: (args: Record<string, unknown>): number => (listLength(args.ids) > 0 ? 3 : 1),
  /** remove: DELETE the listed ids, GET the record; with no ids only the GET. */
  remove: (args: Record<string, unknown>): number => (listLength(args.ids) > 0 ? 2 : 1),
} satisfies Record<string, CallRule | ((key: string) => CallRule)>;

/**
 * Per writable object: `create<Type>`, `create<Types>`, `update<Type>`, `update<Types>`,
 * `delete<Type>`, `delete<Types>`, and `add<Type><Relation>` / `remove<Type><Relation>` for each
 * to-many relationship. Payloads carry `userErrors`; other upstream failures are thrown.
 */
export function addMutations(registry: SchemaRegistry): void {
  const writable = [...registry.objects.values()].filter((parts) => !parts.object.readOnly && parts.object.slug !== USER_OBJECT);
  if (writable.length === 0) return;
  const userError = addUserErrorType(registry);
  registry.userError = userError;
  const shared = addSharedInputs(registry);
  const perObject = writable.map((parts) => ({ parts, inputs: addObjectInputs(registry, parts, shared), payloads: addPayloads(registry, parts, userError) }));
  registry.builder.mutationType({
    description: 'Writes to the Clarify workspace.',
    fields: (t): FieldMap => {
      const fields: FieldMap = {};
      for (const { parts, inputs, payloads } of perObject) Object.assign(fields, objectMutations(t, registry, parts, inputs, payloads));
      return fields;
    },
  });
}

interface Payloads {
  create: ObjectRef<Types, RecordPayload>;
  createMany: ObjectRef<Types, BulkPayload>;
  update: ObjectRef<Types, RecordPayload>;
  updateMany: ObjectRef<Types, BulkPayload>;
  delete: ObjectRef<Types, DeletePayload>;
  deleteMany: ObjectRef<Types, BulkDeletePayload>;
  /** Per to-many relationship: the payloads of `add<Type><Relation>` and `remove<Type><Relation>`. */
  relation: { field: FieldModel; add: ObjectRef<Types, RelationPayload>; remove: ObjectRef<Types, RelationPayload> }[];
}

function addPayloads(registry: SchemaRegistry, parts: ObjectParts, userError: UserErrorRef): Payloads {
  const builder = registry.builder;
  const { typeName, pluralType } = parts.names;
  const record = parts.ref;
  const singular = parts.object.singular;
  const userErrors = {
    type: [userError] satisfies [UserErrorRef],
    nullable: false as const,
    description: 'Problems with the input; empty when the write succeeded.',
  };

  const create = builder.objectRef<RecordPayload>(registry.claim(`Create${typeName}Payload`)).implement({
    description: `The result of creating (or upserting) one ${singular}.`,
    fields: (t) => ({
      record: t.field({ type: record, nullable: true, description: 'The record as Clarify stored it; null when not written.', resolve: (p) => p.record }),
      matched: t.exposeBoolean('matched', {
        nullable: true,
        description:
          `True when an existing ${singular} with the same unique value was updated instead of a new one created. ` +
          'Null when it cannot be told: the answer came after a retry of an attempt that may already have created the record.',
      }),
      userErrors: t.field({ ...userErrors, resolve: (p) => p.userErrors }),
    }),
  });
  const createMany = builder.objectRef<BulkPayload>(registry.claim(`Create${pluralType}Payload`)).implement({
    description: `The result of a bulk create: one result per input, in input order.`,
    fields: (t) => ({
      results: t.field({ type: [create], nullable: false, resolve: (p) => p.results }),
      userErrors: t.field({ ...userErrors, description: 'Every problem of the inputs, and problems with the mutation as a whole.', resolve: (p) => p.userErrors }),
    }),
  });
  const update = builder.objectRef<RecordPayload>(registry.claim(`Update${typeName}Payload`)).implement({
    description: `The result of updating one ${singular}.`,
    fields: (t) => ({
      record: t.field({ type: record, nullable: true, description: 'The record after the change; null when not written.', resolve: (p) => p.record }),
      userErrors: t.field({ ...userErrors, resolve: (p) => p.userErrors }),
    }),
  });
  const updateMany = builder.objectRef<BulkPayload>(registry.claim(`Update${pluralType}Payload`)).implement({
    description: 'The result of a bulk update (all or nothing): one result per input, in input order.',
    fields: (t) => ({
      results: t.field({ type: [update], nullable: false, resolve: (p) => p.results }),
      userErrors: t.field({ ...userErrors, resolve: (p) => p.userErrors }),
    }),
  });
  const deleteOne = builder.objectRef<DeletePayload>(registry.claim(`Delete${typeName}Payload`)).implement({
    description: `The result of deleting one ${singular}.`,
    fields: (t) => ({
      deletedId: t.id({
        nullable: true,
        description: 'The global id of the deleted record (its former `id`).',
        resolve: (p) => (p.deletedId === null ? null : encodeGlobalId(parts.object.slug, p.deletedId)),
      }),
      userErrors: t.field({ ...userErrors, resolve: (p) => p.userErrors }),
    }),
  });
  const deleteMany = builder.objectRef<BulkDeletePayload>(registry.claim(`Delete${pluralType}Payload`)).implement({
    description: 'The result of a bulk delete (all or nothing).',
    fields: (t) => ({
      deletedIds: t.idList({
        nullable: false,
        description: 'The global ids of the deleted records (their former `id`s).',
        resolve: (p) => p.deletedIds.map((id) => encodeGlobalId(parts.object.slug, id)),
      }),
      userErrors: t.field({ ...userErrors, resolve: (p) => p.userErrors }),
    }),
  });
  const relation = toManyFields(registry, parts).map((field) => {
    const relationName = pascalCase(relationOf(parts, field));
    const payload = (verb: 'Add' | 'Remove') =>
      builder.objectRef<RelationPayload>(registry.claim(`${verb}${typeName}${relationName}Payload`)).implement({
        description: `The ${singular} after the change of its ${field.title}.`,
        fields: (t) => ({
          record: t.field({ type: record, nullable: true, resolve: (p) => p.record }),
          userErrors: t.field({ ...userErrors, resolve: (p) => p.userErrors }),
        }),
      });
    return { field, add: payload('Add'), remove: payload('Remove') };
  });
  return { create, createMany, update, updateMany, delete: deleteOne, deleteMany, relation };
}

function toManyFields(registry: SchemaRegistry, parts: ObjectParts) {
  return parts.object.fields.filter(
    (field) => field.kind === 'toMany' && field.relationship !== undefined && registry.parts(field.relationship.target) !== undefined && parts.fieldNames.get(field.name)?.relation,
  );
}

function objectMutations(t: MutationFieldBuilder, registry: SchemaRegistry, parts: ObjectParts, inputs: ObjectInputs, payloads: Payloads): FieldMap {
  const { typeName, pluralType } = parts.names;
  const singular = parts.object.singular;
  const plural = parts.object.plural;
  const slug = parts.object.slug;
  const referencedBy = referencing(registry, slug);
  const upsert = parts.object.uniqueField
    ? ` When a ${singular} with the same ${parts.object.uniqueField} exists, it is updated instead (upsert) and \`matched\` is true.`
    : ` Always creates a new record (${singular} has no unique field).`;
  const fields: FieldMap = {
    [`create${typeName}`]: t.field({
      type: payloads.create,
      nullable: false,
      description: `Creates a ${singular}.${upsert}`,
      args: { input: t.arg({ type: inputs.create, required: true }) },
      extensions: writes(CALLS.one, [{ change: 'created', object: slug }]),
      resolve: (_root, args, ctx) => createRecord(parts, args.input, ctx),
    }),
    [`create${pluralType}`]: t.field({
      type: payloads.createMany,
      nullable: false,
      description:
        `Creates ${plural} in upstream batches of ${BULK_CREATE_LIMIT}. Each batch is atomic; the mutation as a whole is not ` +
        `unless \`atomic\` is true, which refuses more than ${BULK_CREATE_LIMIT} inputs.${upsert}`,
      args: {
        inputs: t.arg({ type: [inputs.create], required: { list: true, items: true } }),
        atomic: t.arg.boolean({ required: false, defaultValue: false, description: `Write all inputs or none; at most ${BULK_CREATE_LIMIT}.` }),
      },
      extensions: writes(CALLS.bulkCreate(parts.object.uniqueField ? parts.fieldNames.get(parts.object.uniqueField)?.value : undefined), [
        { change: 'created', object: slug },
      ]),
      resolve: (_root, args, ctx) => createRecords(parts, args.inputs, args.atomic === true, ctx),
    }),
    [`update${typeName}`]: t.field({
      type: payloads.update,
      nullable: false,
      description: `Changes the given fields of a ${singular}; an explicit null clears a field.`,
      args: { id: t.arg.id({ required: true }), input: t.arg({ type: inputs.update, required: true }) },
      extensions: writes(CALLS.one, [{ change: 'records', object: slug, ids: 'id' }]),
      resolve: (_root, args, ctx) => updateRecord(parts, args.id, args.input, ctx),
    }),
    [`update${pluralType}`]: t.field({
      type: payloads.updateMany,
      nullable: false,
      description: `Updates several ${plural} in one upstream call: all or nothing.`,
      args: { inputs: t.arg({ type: [inputs.updateItem], required: { list: true, items: true } }) },
      extensions: writes(CALLS.bulk('inputs'), [{ change: 'records', object: slug, ids: 'inputs[].id' }]),
      resolve: (_root, args, ctx) => updateRecords(parts, args.inputs, ctx),
    }),
    [`delete${typeName}`]: t.field({
      type: payloads.delete,
      nullable: false,
      description: `Deletes a ${singular}.`,
      args: { id: t.arg.id({ required: true }) },
      extensions: writes(CALLS.one, [{ change: 'deleted', object: slug, ids: 'id', referencedBy }]),
      resolve: (_root, args, ctx) => deleteRecord(parts, args.id, ctx),
    }),
    [`delete${pluralType}`]: t.field({
      type: payloads.deleteMany,
      nullable: false,
      description: `Deletes several ${plural} in one upstream call: all or nothing (an unknown id deletes none).`,
      args: { ids: t.arg.idList({ required: { list: true, items: true } }) },
      // Deleting many records at once is for administrators.
      extensions: { ...writes(CALLS.bulk('ids'), [{ change: 'deleted', object: slug, ids: 'ids[]', referencedBy }]), ...ADMINISTRATIVE },
      resolve: (_root, args, ctx) => deleteRecords(parts, args.ids, ctx),
    }),
  };
  for (const { field, add, remove } of payloads.relation) {
    const name = pascalCase(relationOf(parts, field));
    const args = { id: t.arg.id({ required: true }), ids: t.arg.idList({ required: { list: true, items: true } }) };
    // Both ends of a link change: the record's relationship list and the other records' own.
    const target = field.relationship?.target;
    if (!target) continue;
    const relation = { name: field.name, target };
    const linked: WriteEffect[] = [
      { change: 'records', object: slug, ids: 'id' },
      { change: 'records', object: target, ids: 'ids[]' },
    ];
    fields[`add${typeName}${name}`] = t.field({
      type: add,
      nullable: false,
      description: `Links more records to a ${singular}'s ${field.title}; the ones already linked stay.`,
      args,
      extensions: writes(CALLS.add, linked),
      resolve: (_root, a, ctx) => addRelated(parts, relation, a.id, a.ids, ctx),
    });
    fields[`remove${typeName}${name}`] = t.field({
      type: remove,
      nullable: false,
      description: `Unlinks the listed records from a ${singular}'s ${field.title}; others stay linked.`,
      args,
      extensions: writes(CALLS.remove, linked),
      resolve: (_root, a, ctx, info) => removeRelated(parts, relation, a.id, a.ids, ctx, planEntry(ctx, info, 'write').recordInclude),
    });
  }
  return fields;
}

/** The connection field name of a to-many relationship (`people`). */
function relationOf(parts: ObjectParts, field: FieldModel): string {
  const names = fieldNamesOf(parts, field);
  if (names.kind !== 'toMany') throw new Error(`${parts.object.slug}.${field.name} is not a to-many relationship.`);
  return names.relation;
}
