import { randomUUID } from 'node:crypto';
import { ApiError, badRequest, invalid, notFound } from './errors.js';
import type { Extras, SchemaJob } from './extras.js';
import { stamp, type HandlerContext, type HandlerResult } from './handler.js';
import { isObject } from './schema-registry.js';
import type { Store } from './store.js';

function render(job: SchemaJob): unknown {
  return {
    type: 'schema-job',
    id: job.id,
    attributes: {
      _id: job.id,
      kind: job.kind,
      entity: job.entity,
      field: job.field,
      status: job.status,
      error: job.error,
      _created_at: job.createdAt,
      completed_at: job.completedAt,
    },
  };
}

/** Applies every pending job whose time has come; called before each request is handled. */
export function applyDueJobs(extras: Extras, now: number): void {
  for (const job of extras.schemaJobs.values()) {
    if (job.status !== 'pending' || job.dueAt > now) continue;
    try {
      job.apply();
      job.status = 'succeeded';
    } catch (error) {
      job.status = 'failed';
      job.error = error instanceof Error ? error.message : String(error);
    }
    job.completedAt = new Date(Math.max(now, job.dueAt)).toISOString();
  }
}

function optionList(value: unknown, pointer: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item.trim() !== '' && item.length <= 100)) {
    throw invalid('must be an array of option names (1 to 100 characters)', pointer);
  }
  return value as string[];
}

function renameMap(value: unknown, pointer: string): Array<[string, string]> {
  if (value === undefined) return [];
  if (!isObject(value) || !Object.values(value).every((item) => typeof item === 'string' && item.trim() !== '' && item.length <= 100)) {
    throw invalid('must map existing option names to new names', pointer);
  }
  return Object.entries(value) as Array<[string, string]>;
}

function rewriteValues(store: Store, slug: string, field: string, renames: Map<string, string>): void {
  for (const record of store.table(slug).records.values()) {
    const value = record.attrs[field];
    if (typeof value === 'string' && renames.has(value)) record.attrs[field] = renames.get(value);
    else if (isObject(value) && Array.isArray(value.items)) {
      record.attrs[field] = { items: value.items.map((item) => (typeof item === 'string' ? (renames.get(item) ?? item) : item)) };
    }
  }
  store.touch(slug);
}

/**
 * `PATCH /schemas/{entity}/properties/{field}` with
 * `{"data": {"type": "schema-property", "attributes": {"add_options": [...], "rename_options": {"Old": "New"}}}}`:
 * checked now, applied asynchronously; answers 202 with a job to poll at `GET /schemas/jobs/{id}`.
 */
export function updateSelectOptions(context: HandlerContext): HandlerResult {
  const { registry, store, extras } = context.workspace;
  const slug = context.params.entity ?? '';
  const object = registry.objects.get(slug);
  if (!object || object.readOnly) throw notFound(`Entity "${slug}" does not exist`);
  const name = context.params.field ?? '';
  const field = object.fields.get(name);
  if (!field) throw notFound(`${slug} has no field "${name}"`);
  if (field.kind !== 'select' && field.kind !== 'multi-select') throw invalid(`${name} is not a select field; only select options can be edited`, '/data');
  const body = context.body();
  if (!isObject(body) || !isObject(body.data) || !isObject(body.data.attributes)) {
    throw badRequest('The request body must be {"data": {"type": "schema-property", "attributes": {...}}}', { pointer: '/data' });
  }
  if (body.data.type !== undefined && body.data.type !== 'schema-property') throw invalid('data.type must be "schema-property"', '/data/type');
  const add = optionList(body.data.attributes.add_options, '/data/attributes/add_options');
  const renames = renameMap(body.data.attributes.rename_options, '/data/attributes/rename_options');
  if (add.length === 0 && renames.length === 0) throw invalid('send add_options, rename_options or both', '/data/attributes');
  for (const job of extras.schemaJobs.values()) {
    if (job.status === 'pending' && job.entity === slug) throw new ApiError(409, 'Schema is being modified by another request. Please retry.');
  }
  const current = new Set(field.options ?? []);
  const final = new Set(current);
  for (const [from, to] of renames) {
    const pointer = `/data/attributes/rename_options/${from.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (!current.has(from)) throw invalid(`"${from}" is not an option of ${name}`, pointer);
    if (from !== to && final.has(to)) throw invalid(`"${to}" is already an option of ${name}`, pointer);
    final.delete(from);
    final.add(to);
  }
  add.forEach((option, index) => {
    if (final.has(option)) throw invalid(`"${option}" is already an option of ${name}`, `/data/attributes/add_options/${index}`);
    final.add(option);
  });
  const renameTable = new Map(renames);
  const time = stamp(context);
  const job: SchemaJob = {
    id: randomUUID(),
    kind: 'update-options',
    entity: slug,
    field: name,
    status: 'pending',
    createdAt: time._updated_at,
    dueAt: context.now() + context.schemaApplyDelayMs,
    error: null,
    completedAt: null,
    apply: () => {
      field.options = [...(field.options ?? []).map((option) => renameTable.get(option) ?? option), ...add];
      if (renameTable.size > 0) rewriteValues(store, slug, name, renameTable);
    },
  };
  extras.schemaJobs.set(job.id, job);
  applyDueJobs(extras, context.now());
  return { status: 202, body: { data: render(job) } };
}

export function getSchemaJob(context: HandlerContext): HandlerResult {
  const id = context.params.id ?? '';
  const job = context.workspace.extras.schemaJobs.get(id);
  if (!job) throw notFound(`No schema job with id "${id}"`);
  return { status: 200, body: { data: render(job) } };
}
