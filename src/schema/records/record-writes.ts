import type { ClarifyError } from '../../client/errors.js';
import type { ClarifyResource } from '../../client/types.js';
import type { GatewayContext } from '../../loaders/request-context.js';
import { toAttributes, type InputValue } from './inputs.js';
import type { ObjectParts } from '../core/registry.js';
import {
  idsNamedIn,
  inputPath,
  isClarifyError,
  isUserFacing,
  parsePointer,
  USER_ERROR_CODES,
  userErrorsFrom,
} from '../core/user-errors.js';
import type { UserErrorValue } from '../core/values.js';

/** Clarify's cap on `POST /records/bulk`. */
export const BULK_CREATE_LIMIT = 25;

export interface RecordPayload {
  record: ClarifyResource | null;
  /** Null when a retry makes it impossible to tell. */
  matched: boolean | null;
  userErrors: UserErrorValue[];
}

export interface BulkPayload {
  results: RecordPayload[];
  userErrors: UserErrorValue[];
}

export interface DeletePayload {
  deletedId: string | null;
  userErrors: UserErrorValue[];
}

export interface BulkDeletePayload {
  deletedIds: string[];
  userErrors: UserErrorValue[];
}

const emptyResult = (): RecordPayload => ({ record: null, matched: false, userErrors: [] });

/**
 * The field to send as `match_on`: the object's unique field, and only when this write carries a
 * value for it. Only then is the create an idempotent upsert that the client may retry; without a
 * value a retried create could insert twice, so it goes out as a plain, never-retried create.
 */
function matchOnFor(parts: ObjectParts, attributes: Record<string, unknown>): string | undefined {
  const unique = parts.object.uniqueField;
  if (unique === undefined) return undefined;
  const value = attributes[unique];
  if (typeof value === 'string') return value.trim() !== '' ? unique : undefined;
  if (value && typeof value === 'object') {
    const items = 'items' in value ? value.items : undefined;
    return Array.isArray(items) && items.length > 0 ? unique : undefined;
  }
  return typeof value === 'number' || typeof value === 'boolean' ? unique : undefined;
}

/**
 * Keeps the request's record store coherent after a write: everything read before is dropped
 * (the write may have changed other records too, such as the inverse side of a link), then the
 * records the write returned are kept.
 */
function remember(ctx: GatewayContext, records: ClarifyResource[]): void {
  ctx.records.forgetAll();
  ctx.records.prime(records);
}

/** Maps an upstream pointer of a single-record write to the GraphQL argument path. */
function locateSingle(parts: ObjectParts, idArgument?: string[]) {
  return (pointer: string | undefined): string[] | null => {
    const target = parsePointer(pointer);
    if (!target) return pointer === undefined ? null : ['input'];
    return inputPath(parts, ['input'], target.inside, idArgument);
  };
}

function notFound(error: ClarifyError, field: string[]): UserErrorValue[] {
  return [{ field, message: error.issues[0]?.detail ?? 'Not found', code: 'NOT_FOUND' }];
}

export async function createRecord(parts: ObjectParts, input: InputValue, ctx: GatewayContext): Promise<RecordPayload> {
  const { attributes, errors } = toAttributes(parts, input, 'create', ['input']);
  if (errors.length > 0) return { ...emptyResult(), userErrors: errors };
  const matchOn = matchOnFor(parts, attributes);
  try {
    const { document, matched } = await ctx.client.create(parts.object.slug, attributes, matchOn ? { matchOn } : {}, ctx.call);
    remember(ctx, [document.data, ...document.included]);
    return { record: document.data, matched, userErrors: [] };
  } catch (error) {
    if (isUserFacing(error) && error.code !== 'NOT_FOUND') return { ...emptyResult(), userErrors: userErrorsFrom(error, locateSingle(parts)) };
    throw error;
  }
}

export async function updateRecord(parts: ObjectParts, id: string, input: InputValue, ctx: GatewayContext): Promise<RecordPayload> {
  const { attributes, errors } = toAttributes(parts, input, 'update', ['input']);
  if (errors.length > 0) return { ...emptyResult(), userErrors: errors };
  try {
    const record = await ctx.client.update(parts.object.slug, id, attributes, ctx.call);
    remember(ctx, [record]);
    return { record, matched: false, userErrors: [] };
  } catch (error) {
    if (!isUserFacing(error)) throw error;
    if (error.code === 'NOT_FOUND') return { ...emptyResult(), userErrors: notFound(error, ['id']) };
    return { ...emptyResult(), userErrors: userErrorsFrom(error, locateSingle(parts, ['id'])) };
  }
}

export async function deleteRecord(parts: ObjectParts, id: string, ctx: GatewayContext): Promise<DeletePayload> {
  try {
    await ctx.client.delete(parts.object.slug, id, ctx.call);
  } catch (error) {
    if (isUserFacing(error) && error.code === 'NOT_FOUND') return { deletedId: null, userErrors: notFound(error, ['id']) };
    if (isUserFacing(error)) return { deletedId: null, userErrors: userErrorsFrom(error, () => ['id']) };
    throw error;
  }
  ctx.records.forgetAll();
  return { deletedId: id, userErrors: [] };
}

export async function deleteRecords(parts: ObjectParts, ids: string[], ctx: GatewayContext): Promise<BulkDeletePayload> {
  if (ids.length === 0) return { deletedIds: [], userErrors: [] };
  try {
    await ctx.client.bulkDelete(parts.object.slug, ids, ctx.call);
  } catch (error) {
    if (isClarifyError(error) && error.mayHaveBeenWritten) {
      ctx.records.forgetAll();
      const detail = error.issues.slice(0, -1).map((issue) => issue.detail).join('; ');
      const message = `Clarify failed (${error.failure ?? error.code}) after the delete reached it${detail ? `: ${detail}` : ''}; this request may or may not have deleted them, read them to know`;
      return { deletedIds: [], userErrors: [{ field: ['ids'], message, code: USER_ERROR_CODES.outcomeUnknown }] };
    }
    if (isUserFacing(error)) {
      // A 404 after an attempt that may have deleted them comes as OUTCOME_UNKNOWN, not here.
      ctx.records.forgetAll();
      const errors = userErrorsFrom(error, () => ['ids']).flatMap((e) => {
        const named = error.code === 'NOT_FOUND' ? idsNamedIn(e.message, ids) : [];
        const message = `${e.message} (nothing was deleted)`;
        return named.length === 0 ? [{ ...e, message }] : named.map((index) => ({ ...e, field: ['ids', String(index)], message }));
      });
      return { deletedIds: [], userErrors: errors };
    }
    throw error;
  }
  ctx.records.forgetAll();
  return { deletedIds: [...new Set(ids)], userErrors: [] };
}

interface PreparedItem {
  /** Position in the mutation's `inputs`. */
  index: number;
  /** Its entry in the mutation's `results`. */
  result: RecordPayload;
  /** Set on every update item: `Update<Type>ItemInput` requires it. */
  id?: string;
  attributes: Record<string, unknown>;
}

const notWritten = (index: number, reason: string): UserErrorValue => ({
  field: ['inputs', String(index)],
  message: `Not written: ${reason}`,
  code: USER_ERROR_CODES.notWritten,
});

/** A result per input, and the inputs that are valid; the invalid ones get their errors in their result and `top`. */
function prepare(parts: ObjectParts, inputs: InputValue[], mode: 'create' | 'update', top: UserErrorValue[]): { results: RecordPayload[]; valid: PreparedItem[] } {
  const valid: PreparedItem[] = [];
  const results = inputs.map((raw, index) => {
    const result = emptyResult();
    const { id, ...input } = raw;
    const { attributes, errors } = toAttributes(parts, input, mode, ['inputs', String(index)]);
    if (errors.length > 0) {
      result.userErrors.push(...errors);
      top.push(...errors);
    } else valid.push({ index, result, attributes, ...(typeof id === 'string' ? { id } : {}) });
    return result;
  });
  return { results, valid };
}

/**
 * Batches of at most 25: items that carry their unique value first (sent with `match_on`, so an
 * idempotent upsert the client may retry), then the others (plain creates, never retried).
 */
function planBatches(parts: ObjectParts, items: PreparedItem[], atomic: boolean): { items: PreparedItem[]; matchOn?: string }[] {
  const unique = parts.object.uniqueField;
  const withValue = items.filter((item) => matchOnFor(parts, item.attributes) !== undefined);
  const without = items.filter((item) => matchOnFor(parts, item.attributes) === undefined);
  if (atomic) return items.length === 0 ? [] : [{ items, ...(without.length === 0 && unique ? { matchOn: unique } : {}) }];
  const batches: { items: PreparedItem[]; matchOn?: string }[] = [];
  for (const [group, matchOn] of [[withValue, unique], [without, undefined]] as const) {
    for (let start = 0; start < group.length; start += BULK_CREATE_LIMIT) {
      batches.push({ items: group.slice(start, start + BULK_CREATE_LIMIT), ...(matchOn ? { matchOn } : {}) });
    }
  }
  return batches;
}

/**
 * `create<Types>`: each upstream batch of 25 is atomic, the mutation is not. A batch that Clarify
 * rejects because of some of its items is sent once more without them (nothing of it was
 * written, so this is no retry of a write that may have landed); the rejected items carry their
 * errors. `atomic: true` allows one batch only, and then nothing is written unless all is.
 */
export async function createRecords(parts: ObjectParts, inputs: InputValue[], atomic: boolean, ctx: GatewayContext): Promise<BulkPayload> {
  if (atomic && inputs.length > BULK_CREATE_LIMIT) {
    const reason = `atomic: true takes at most ${BULK_CREATE_LIMIT} inputs (one upstream batch); got ${inputs.length}`;
    const results = inputs.map((_input, index) => ({ ...emptyResult(), userErrors: [notWritten(index, reason)] }));
    return { results, userErrors: [{ field: ['inputs'], message: reason, code: USER_ERROR_CODES.tooManyForAtomic }] };
  }
  const top: UserErrorValue[] = [];
  const { results, valid } = prepare(parts, inputs, 'create', top);
  if (atomic && valid.length < inputs.length) {
    for (const item of valid) item.result.userErrors.push(notWritten(item.index, 'another input is invalid and atomic is true'));
    return { results, userErrors: top };
  }
  const unique = parts.object.uniqueField;
  const carrying = valid.filter((item) => matchOnFor(parts, item.attributes) !== undefined).length;
  if (atomic && unique && carrying > 0 && carrying < valid.length) {
    // One atomic batch is either an upsert on the unique field or a plain create, not both.
    const reason = `atomic: true needs every input to give ${parts.fieldNames.get(unique)?.value ?? unique}, or none to`;
    for (const item of valid) item.result.userErrors.push(notWritten(item.index, reason));
    return { results, userErrors: [{ field: ['inputs'], message: reason, code: USER_ERROR_CODES.invalid }] };
  }
  const failures: { error: ClarifyError; maybeWritten: boolean }[] = [];
  let succeeded = 0;
  for (const batch of planBatches(parts, valid, atomic)) {
    const outcome = await createBatch(parts, batch.items, batch.matchOn, atomic, top, ctx);
    if (outcome instanceof Error) {
      failures.push({ error: outcome, maybeWritten: outcome.mayHaveBeenWritten });
    } else succeeded += outcome;
  }
  // Nothing written, nothing the caller could fix, and nothing that may have landed: an upstream
  // failure, reported as such. Otherwise each item's result says what happened to it.
  const [first] = failures;
  if (succeeded === 0 && first && top.length === 0 && failures.every((f) => !f.maybeWritten)) throw first.error;
  for (const { error, maybeWritten } of failures) {
    if (maybeWritten) {
      top.push({
        field: ['inputs'],
        message: `A batch failed (${error.failure ?? error.code}) after it reached Clarify; its items may or may not have been written (see each result)`,
        code: USER_ERROR_CODES.outcomeUnknown,
      });
    }
  }
  return { results, userErrors: top };
}

/** Sends one batch; returns how many items were written, or the upstream failure. */
async function createBatch(
  parts: ObjectParts,
  items: PreparedItem[],
  matchOn: string | undefined,
  atomic: boolean,
  top: UserErrorValue[],
  ctx: GatewayContext,
  resend = true,
): Promise<number | ClarifyError> {
  let records: ClarifyResource[];
  try {
    records = await ctx.client.bulkCreate(parts.object.slug, items.map((item) => item.attributes), matchOn ? { matchOn } : {}, ctx.call);
  } catch (error) {
    if (isUserFacing(error) && error.code !== 'NOT_FOUND') {
      const offenders = reportBatchIssues(parts, error, items, top);
      const rest = items.filter((item) => !offenders.has(item.index));
      if (resend && !atomic && offenders.size > 0 && rest.length > 0) {
        return createBatch(parts, rest, matchOn, atomic, top, ctx, false);
      }
      for (const item of rest) item.result.userErrors.push(notWritten(item.index, 'Clarify rejected its batch because of another input'));
      return 0;
    }
    if (!isClarifyError(error)) throw error;
    const reason = !error.mayHaveBeenWritten
      ? `Not written: Clarify failed (${error.code})`
      : matchOn
        ? `Clarify failed (${error.failure ?? error.code}) after the batch reached it; it may or may not have been written, and sending it again is safe (upsert)`
        : `Clarify failed (${error.failure ?? error.code}) after the batch reached it; it may or may not have been written, check before sending it again`;
    for (const item of items) {
      item.result.userErrors.push({ field: ['inputs', String(item.index)], message: reason, code: error.code });
    }
    return error;
  }
  const seen = new Set<string>();
  records.forEach((record, position) => {
    const item = items[position];
    if (!item) return;
    item.result.record = record;
    item.result.matched = seen.has(record.id) || wasUpdated(record);
    seen.add(record.id);
  });
  remember(ctx, records);
  return records.length;
}

/**
 * The bulk endpoint gives no per-item status: an item matched an existing record when the record
 * it returns was changed after it was created.
 */
function wasUpdated(record: ClarifyResource): boolean {
  const created = Date.parse(String(record.attributes._created_at));
  const updated = Date.parse(String(record.attributes._updated_at));
  return Number.isFinite(created) && Number.isFinite(updated) && updated > created;
}

/**
 * Puts a rejected batch's issues on the items their pointers name (`/data/3/…` is the 4th item
 * of the batch, reported under its index in `inputs`). Returns the indexes that had an issue.
 */
function reportBatchIssues(parts: ObjectParts, error: ClarifyError, items: PreparedItem[], top: UserErrorValue[]): Set<number> {
  const offenders = new Set<number>();
  const issues = error.issues.length > 0 ? error.issues : [{ detail: error.message }];
  for (const issue of issues) {
    const target = parsePointer('pointer' in issue ? issue.pointer : undefined);
    const item = target?.item !== undefined ? items[target.item] : undefined;
    if (!item || !target) {
      top.push({ field: ['inputs'], message: issue.detail, code: error.code });
      continue;
    }
    const userError = { field: inputPath(parts, ['inputs', String(item.index)], target.inside), message: issue.detail, code: error.code };
    item.result.userErrors.push(userError);
    top.push(userError);
    offenders.add(item.index);
  }
  return offenders;
}

/** `update<Types>`: one upstream call, all or nothing. */
export async function updateRecords(parts: ObjectParts, inputs: InputValue[], ctx: GatewayContext): Promise<BulkPayload> {
  const top: UserErrorValue[] = [];
  const { results, valid } = prepare(parts, inputs, 'update', top);
  const skip = (reason: string): BulkPayload => {
    for (const item of valid) if (item.result.userErrors.length === 0) item.result.userErrors.push(notWritten(item.index, reason));
    return { results, userErrors: top };
  };
  if (valid.length < inputs.length) return skip('another input is invalid, and a bulk update is all or nothing');
  if (valid.length === 0) return { results, userErrors: top };
  let records: ClarifyResource[];
  try {
    records = await ctx.client.bulkUpdate(parts.object.slug, valid.map((item) => ({ id: item.id!, attributes: item.attributes })), ctx.call);
  } catch (error) {
    if (isClarifyError(error) && error.mayHaveBeenWritten) {
      ctx.records.forgetAll();
      const message = `Clarify failed (${error.failure ?? error.code}) after the update reached it; it may or may not have been applied, and sending it again is safe`;
      for (const item of valid) item.result.userErrors.push({ field: ['inputs', String(item.index)], message, code: USER_ERROR_CODES.outcomeUnknown });
      return { results, userErrors: [{ field: ['inputs'], message, code: USER_ERROR_CODES.outcomeUnknown }] };
    }
    if (!isUserFacing(error)) throw error;
    if (error.code === 'NOT_FOUND') {
      const detail = error.issues[0]?.detail ?? 'Not found';
      const named = idsNamedIn(detail, valid.map((item) => item.id!));
      if (named.length === 0) top.push(...notFound(error, ['inputs']));
      for (const position of named) {
        const item = valid[position];
        if (!item) continue;
        const unknown: UserErrorValue = { field: ['inputs', String(item.index), 'id'], message: detail, code: 'NOT_FOUND' };
        item.result.userErrors.push(unknown);
        top.push(unknown);
      }
      return skip('an id is unknown to Clarify, and a bulk update is all or nothing');
    }
    reportBatchIssues(parts, error, valid, top);
    return skip('Clarify rejected another input, and a bulk update is all or nothing');
  }
  records.forEach((record, position) => {
    const item = valid[position];
    if (item) item.result.record = record;
  });
  remember(ctx, records);
  return { results, userErrors: top };
}
