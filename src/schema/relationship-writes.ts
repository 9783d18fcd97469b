import type { ClarifyError } from '../client/errors.js';
import type { ClarifyResource, ResourceIdentifier } from '../client/types.js';
import type { GatewayContext } from '../loaders/request-context.js';
import type { FieldModel } from '../workspace/model.js';
import type { ObjectParts } from './registry.js';
import { idsNamedIn, isUserFacing, parsePointer, type UserErrorValue } from './user-errors.js';

export interface RelationPayload {
  record: ClarifyResource | null;
  userErrors: UserErrorValue[];
}

/**
 * `add<Type><Relation>`: reads the record's current set and PATCHes the union. A PATCH replaces
 * the set for many-to-many and adds for one-to-many; sending the complete wanted set is right
 * under both readings. Two calls (one more per page when the record lists only part of the set).
 */
export async function addRelated(parts: ObjectParts, field: FieldModel, id: string, ids: string[], ctx: GatewayContext): Promise<RelationPayload> {
  const slug = parts.object.slug;
  const target = field.relationship!.target;
  const document = await ctx.client.get(slug, id, {}, ctx.call);
  if (!document) return missingParent(id);
  if (ids.length === 0) {
    ctx.records.prime([document.data]);
    return { record: document.data, userErrors: [] };
  }
  const current = await currentIds(ctx, slug, document.data, field.name);
  const wanted = [...new Set([...current, ...ids])];
  let linked: ResourceIdentifier[];
  try {
    linked = await ctx.client.linkRelationship(slug, id, field.name, wanted.map((related) => ({ type: target, id: related })), ctx.call);
  } catch (error) {
    if (isUserFacing(error)) return { record: null, userErrors: relationErrors(error, id, ids, wanted) };
    throw error;
  }
  const record: ClarifyResource = {
    ...document.data,
    relationships: { ...document.data.relationships, [field.name]: { kind: 'many', data: linked, count: linked.length } },
  };
  settle(ctx);
  ctx.records.prime([record]);
  return { record, userErrors: [] };
}

/**
 * `remove<Type><Relation>`: DELETE with the listed ids (others stay linked), then the record as it
 * now is, fetched with `include` for what the caller selected below it.
 */
export async function removeRelated(
  parts: ObjectParts,
  field: FieldModel,
  id: string,
  ids: string[],
  ctx: GatewayContext,
  include: string[] = [],
): Promise<RelationPayload> {
  const slug = parts.object.slug;
  const target = field.relationship!.target;
  if (ids.length > 0) {
    try {
      await ctx.client.unlinkRelationship(slug, id, field.name, ids.map((related) => ({ type: target, id: related })), ctx.call);
    } catch (error) {
      if (isUserFacing(error)) return { record: null, userErrors: relationErrors(error, id, ids, ids) };
      throw error;
    }
    settle(ctx);
  }
  const document = await ctx.client.get(slug, id, { include }, ctx.call);
  if (!document) return missingParent(id);
  ctx.records.prime([document.data, ...document.included]);
  return { record: document.data, userErrors: [] };
}

/** The ids linked now: from the record's block when complete, else from the relationship endpoint. */
async function currentIds(ctx: GatewayContext, slug: string, record: ClarifyResource, field: string): Promise<string[]> {
  const relationship = record.relationships[field];
  if (relationship?.kind === 'many' && relationship.data.length >= relationship.count) return relationship.data.map((r) => r.id);
  const ids: string[] = [];
  for await (const page of ctx.client.listAllRelationship(slug, record.id, field, {}, ctx.call)) ids.push(...page.data.map((r) => r.id));
  return ids;
}

/**
 * The records on both sides changed, and so may others (the previous parent of a moved record):
 * forget what the request read so later fields read it again.
 */
function settle(ctx: GatewayContext): void {
  ctx.records.forgetAll();
}

function missingParent(id: string): RelationPayload {
  return { record: null, userErrors: [{ field: ['id'], message: `No record with id "${id}"`, code: 'NOT_FOUND' }] };
}

/**
 * A 404 names either the record (`id`) or one of the related ids; a pointer into the body
 * (`/data/2/…`) names one item of what was sent, mapped back to its place in `ids`.
 */
function relationErrors(error: ClarifyError, id: string, ids: string[], sent: string[]): UserErrorValue[] {
  const issues = error.issues.length > 0 ? error.issues : [{ detail: error.message }];
  return issues.flatMap((issue) => {
    const target = parsePointer('pointer' in issue ? issue.pointer : undefined);
    const related = target?.item !== undefined ? sent[target.item] : undefined;
    const at = (field: string[]): UserErrorValue => ({ field, message: issue.detail, code: error.code });
    if (related !== undefined && ids.includes(related)) return [at(['ids', String(ids.indexOf(related))])];
    if (error.code !== 'NOT_FOUND') return [at(['ids'])];
    const named = idsNamedIn(issue.detail, ids);
    if (named.length > 0) return named.map((index) => at(['ids', String(index)]));
    return [at(issue.detail.includes(`"${id}"`) ? ['id'] : ['ids'])];
  });
}
