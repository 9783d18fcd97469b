import type { ErrorCode } from '../../errors/codes.js';
/**
 * Schema changes through the graph (admin keys only: Clarify's 403 comes back as `FORBIDDEN`):
 * a custom field, select options added or renamed, a custom object. Each change that applied
 * reloads the gateway's schema, as SIGHUP does, so the next request sees it. Clarify applies
 * option edits asynchronously: the mutation waits for them up to a deadline, and
 * `schemaChange(id)` reports a change that was still pending.
 */
import type { FieldMap, ObjectRef } from '@pothos/core';
import { addProperties, createCustomObject, editSelectOptions, getSchemaJob, type SchemaJob } from '../../client/record-extras.js';
import type { GatewayContext } from '../../loaders/request-context.js';
import { ADMINISTRATIVE, type ClarifyFieldInfo } from '../../plan/field-info.js';
import type { GatewaySchemaTypes } from '../core/builder.js';
import { writes } from '../core/plan-entry.js';
import type { SchemaRegistry } from '../core/registry.js';
import { USER_ERROR_CODES, isUserFacing, userErrorsFrom } from '../core/user-errors.js';
import type { UserErrorValue } from '../core/values.js';

/** Longest a mutation waits for an asynchronous change, in ms (also bounded by the request deadline). */
export const SCHEMA_CHANGE_WAIT_MS = 10_000;
const POLL_START_MS = 50;
const POLL_MAX_MS = 1_000;

type Types = PothosSchemaTypes.ExtendDefaultTypes<GatewaySchemaTypes>;
type Status = 'APPLIED' | 'PENDING' | 'FAILED';
type CustomFieldType = 'TEXT' | 'NUMBER' | 'BOOLEAN' | 'DATE' | 'SELECT';

interface ChangeValue {
  id: string | null;
  status: Status;
  error: string | null;
}
interface ChangePayload {
  change: ChangeValue | null;
  schemaReloaded: boolean;
  userErrors: UserErrorValue[];
}
interface CustomFieldInput {
  object: string;
  name: string;
  title?: string | null;
  type: CustomFieldType;
  options?: string[] | null;
}
interface SelectOptionsInput {
  object: string;
  field: string;
  add?: string[] | null;
  rename?: unknown;
  wait?: boolean | null;
}
interface CustomObjectInput {
  name: string;
  plural: string;
  description?: string | null;
}

const FIELD_NAME = /^[a-z][a-z0-9_]{0,62}$/;

function statusOf(job: SchemaJob): Status {
  return job.status === 'succeeded' ? 'APPLIED' : job.status === 'failed' ? 'FAILED' : 'PENDING';
}

/** Reloads the caller's schema; for an asynchronous change, once per job however often it is asked about. */
async function reload(ctx: GatewayContext, job?: string): Promise<boolean> {
  if (!ctx.reloadSchema) return false;
  await ctx.reloadSchema(job);
  return true;
}

/** Polls a job until it is no longer pending or the wait is over. */
async function waitFor(job: SchemaJob, ctx: GatewayContext): Promise<SchemaJob> {
  const deadline = Math.min(Date.now() + SCHEMA_CHANGE_WAIT_MS, (ctx.call.deadline ?? Number.POSITIVE_INFINITY) - 500);
  let current = job;
  let delay = POLL_START_MS;
  while (current.status === 'pending' && Date.now() + delay < deadline) {
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(POLL_MAX_MS, delay * 2);
    current = (await getSchemaJob(ctx.client, current.id, ctx.call)) ?? current;
  }
  return current;
}

async function applied(ctx: GatewayContext, id: string | null): Promise<ChangePayload> {
  return { change: { id, status: 'APPLIED', error: null }, schemaReloaded: await reload(ctx), userErrors: [] };
}

function refused(error: unknown, locate: (pointer: string | undefined) => string[] | null): ChangePayload {
  if (!isUserFacing(error)) throw error;
  return { change: null, schemaReloaded: false, userErrors: userErrorsFrom(error, locate) };
}

const invalid = (field: string[], message: string, code: ErrorCode = USER_ERROR_CODES.invalid): ChangePayload => ({
  change: null,
  schemaReloaded: false,
  userErrors: [{ field, message, code }],
});

/** The JSON Schema of a new field by its GraphQL type. */
function propertySchema(type: CustomFieldType, title: string, options: readonly string[]): Record<string, unknown> {
  switch (type) {
    case 'NUMBER':
      return { type: ['number', 'null'], title };
    case 'BOOLEAN':
      return { type: ['boolean', 'null'], title };
    case 'DATE':
      return { type: 'date', title };
    case 'SELECT':
      return { type: ['string', 'null'], enum: [...options, null], title };
    default:
      return { type: ['string', 'null'], title };
  }
}

export function addSchemaChanges(registry: SchemaRegistry): void {
  const userError = registry.userError;
  if (!userError) return;
  const change = changeType(registry);
  const single: ClarifyFieldInfo = { role: 'single', object: 'schema change' };
  registry.builder.queryFields((t) => ({
    [registry.claimRootField('query', 'schemaChange')]: t.field({
      type: change,
      description: 'The state of an asynchronous schema change; once APPLIED, the gateway has reloaded its schema.',
      args: { id: t.arg.id({ required: true }) },
      extensions: { clarify: single },
      resolve: async (_root, args, ctx) => {
        const job = await getSchemaJob(ctx.client, args.id, ctx.call);
        if (!job) return null;
        if (job.status === 'succeeded') await reload(ctx, job.id);
        return { id: job.id, status: statusOf(job), error: job.error };
      },
    }),
  }));
  addChangeMutations(registry, change, userError);
}

function changeType(registry: SchemaRegistry): ObjectRef<Types, ChangeValue> {
  const status = registry.builder.enumType('SchemaChangeStatus', {
    description: 'APPLIED: in the schema (and the gateway reloaded it). PENDING: Clarify is still applying it; poll `schemaChange(id)`. FAILED: Clarify gave up; see `error`.',
    values: ['APPLIED', 'PENDING', 'FAILED'] as const,
  });
  return registry.builder.objectRef<ChangeValue>('SchemaChange').implement({
    description: 'A change to the workspace schema.',
    fields: (t) => ({
      id: t.exposeID('id', { nullable: true, description: 'Set for changes Clarify applies asynchronously.' }),
      status: t.field({ type: status, nullable: false, resolve: (c) => c.status }),
      error: t.exposeString('error', { nullable: true }),
    }),
  });
}

/** `createCustomField`, `editSelectOptions` and `createCustomObject`, with their inputs and payload. */
function addChangeMutations(registry: SchemaRegistry, change: ObjectRef<Types, ChangeValue>, userError: ObjectRef<Types, UserErrorValue>): void {
  const builder = registry.builder;
  const fieldType = builder.enumType('CustomFieldType', { values: ['TEXT', 'NUMBER', 'BOOLEAN', 'DATE', 'SELECT'] as const });
  const payload = builder.objectRef<ChangePayload>('SchemaChangePayload').implement({
    fields: (t) => ({
      change: t.field({ type: change, resolve: (p) => p.change }),
      schemaReloaded: t.boolean({ nullable: false, description: 'Whether the gateway re-read the schema after the change: the next request sees it.', resolve: (p) => p.schemaReloaded }),
      userErrors: t.field({ type: [userError], nullable: false, resolve: (p) => p.userErrors }),
    }),
  });
  const fieldInput = builder.inputType('CreateCustomFieldInput', {
    fields: (t) => ({
      object: t.string({ required: true, description: 'Object slug, e.g. `person` or `c_sales_order`.' }),
      name: t.string({ required: true, description: 'Clarify field name: lowercase letters, digits and `_`, starting with a letter (`loyalty_tier`).' }),
      title: t.string({ description: 'Display name; defaults to the name.' }),
      type: t.field({ type: fieldType, required: true }),
      options: t.stringList({ description: 'Options of a SELECT field.' }),
    }),
  });
  const optionsInput = builder.inputType('EditSelectOptionsInput', {
    fields: (t) => ({
      object: t.string({ required: true }),
      field: t.string({ required: true, description: 'Clarify field name of a select field, e.g. `industry`.' }),
      add: t.stringList({ description: 'Options to add.' }),
      rename: t.field({ type: 'JSON', description: 'Options to rename: `{"Old": "New"}`. Stored values follow.' }),
      wait: t.boolean({ defaultValue: true, description: `Wait (up to ${SCHEMA_CHANGE_WAIT_MS / 1000} s) for Clarify to apply it.` }),
    }),
  });
  const objectInput = builder.inputType('CreateCustomObjectInput', {
    fields: (t) => ({
      name: t.string({ required: true, description: 'Singular, 1 to 32 characters; the slug is `c_` + its snake_case.' }),
      plural: t.string({ required: true }),
      description: t.string({ description: 'At most 256 characters; Clarify shows it to its AI as context.' }),
    }),
  });

  // A new field or option, or a new object, changes what answers hold: every cached one goes.
  const schemaChanged = { ...writes(() => 1, [{ change: 'schema' }]), ...ADMINISTRATIVE };
  builder.mutationFields((t) => {
    const fields: FieldMap = {};
    const name = (wanted: string): string => registry.claimRootField('mutation', wanted);
    fields[name('createCustomField')] = t.field({
      type: payload,
      nullable: false,
      description: 'Adds a field to an object (admin keys only). The field is in the schema of the next request.',
      args: { input: t.arg({ type: fieldInput, required: true }) },
      extensions: schemaChanged,
      resolve: (_root, { input }, ctx) => createField(input, ctx),
    });
    fields[name('editSelectOptions')] = t.field({
      type: payload,
      nullable: false,
      description: 'Adds or renames options of a select field (admin keys only). Clarify applies it asynchronously: by default the mutation waits for it.',
      args: { input: t.arg({ type: optionsInput, required: true }) },
      extensions: schemaChanged,
      resolve: (_root, { input }, ctx) => editOptions(input, ctx),
    });
    fields[name('createCustomObject')] = t.field({
      type: payload,
      nullable: false,
      description: 'Creates a custom object (admin keys only); its types and root fields are in the schema of the next request.',
      args: { input: t.arg({ type: objectInput, required: true }) },
      extensions: schemaChanged,
      resolve: (_root, { input }, ctx) => createObject(input, ctx),
    });
    return fields;
  });
}

async function createField(input: CustomFieldInput, ctx: GatewayContext): Promise<ChangePayload> {
  const object = ctx.model.objects.find((candidate) => candidate.slug === input.object);
  if (!object || object.readOnly) return invalid(['input', 'object'], `No object "${input.object}" takes new fields.`, 'NOT_FOUND');
  if (!FIELD_NAME.test(input.name)) return invalid(['input', 'name'], 'Use lowercase letters, digits and _, starting with a letter.');
  if (object.fields.some((field) => field.name === input.name)) return invalid(['input', 'name'], `${input.object} has a field "${input.name}" already.`);
  const options = input.options ?? [];
  if (input.type === 'SELECT' && options.length === 0) return invalid(['input', 'options'], 'A SELECT field needs options.', USER_ERROR_CODES.required);
  if (input.type !== 'SELECT' && options.length > 0) return invalid(['input', 'options'], 'Only a SELECT field takes options.');
  try {
    await addProperties(ctx.client, input.object, { [input.name]: propertySchema(input.type, input.title ?? input.name, options) }, ctx.call);
  } catch (error) {
    return refused(error, () => ['input']);
  }
  return applied(ctx, null);
}

async function editOptions(input: SelectOptionsInput, ctx: GatewayContext): Promise<ChangePayload> {
  const rename = input.rename ?? {};
  if (!isStringMap(rename)) return invalid(['input', 'rename'], 'rename maps option names to new names: {"Old": "New"}.');
  const add = input.add ?? [];
  if (add.length === 0 && Object.keys(rename).length === 0) return invalid(['input'], 'Give options to add or to rename.', USER_ERROR_CODES.required);
  let job: SchemaJob;
  try {
    job = await editSelectOptions(ctx.client, input.object, input.field, { add, rename }, ctx.call);
  } catch (error) {
    return refused(error, (pointer) => {
      if (!pointer) return ['input', 'field'];
      const match = /^\/data\/attributes\/(add_options|rename_options)(?:\/(.+))?/.exec(pointer);
      if (!match) return ['input'];
      return ['input', match[1] === 'add_options' ? 'add' : 'rename', ...(match[2] ? [match[2].replace(/~1/g, '/').replace(/~0/g, '~')] : [])];
    });
  }
  if (input.wait !== false) job = await waitFor(job, ctx);
  const state = statusOf(job);
  return {
    change: { id: job.id, status: state, error: job.error },
    schemaReloaded: state === 'APPLIED' ? await reload(ctx, job.id) : false,
    userErrors: [],
  };
}

async function createObject(input: CustomObjectInput, ctx: GatewayContext): Promise<ChangePayload> {
  try {
    await createCustomObject(ctx.client, { name: input.name, plural: input.plural, description: input.description ?? null }, ctx.call);
  } catch (error) {
    return refused(error, (pointer) => (pointer ? ['input', pointer.split('/')[1] ?? ''] : ['input']));
  }
  return applied(ctx, null);
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((item) => typeof item === 'string');
}
