import { ClarifyError, outcomeUnknown } from '../../client/errors.js';
import type { ClarifyResource, ResourceIdentifier } from '../../client/types.js';
import type { GatewayContext } from '../../loaders/request-context.js';
import { relationshipLockKey } from '../../loaders/write-lock.js';
import type { ObjectParts } from '../core/registry.js';
import { idsNamedIn, isClarifyError, isUserFacing, parsePointer } from '../core/user-errors.js';
import type { UserErrorValue } from '../core/values.js';

export interface RelationPayload {
  record: ClarifyResource | null;
  userErrors: UserErrorValue[];
}

/** A to-many relationship of an object: its Clarify field and the object whose records it links. */
export interface ToManyRelation {
  name: string;
  target: string;
}

/** How often a relationship edit is applied before giving up on a set that keeps changing. */
export const RELATIONSHIP_EDIT_TRIES = 3;

/**
 * `add<Type><Relation>`: under the gateway's lock on (record, relationship), reads the current
 * set, PATCHes the union (a PATCH replaces the set for many-to-many and adds for one-to-many;
 * the complete wanted set is right under both readings), then reads the set back. An added id a
 * writer outside the gateway removed meanwhile, or a PATCH whose answer was lost and that did not
 * land, is applied again, up to `RELATIONSHIP_EDIT_TRIES` times. Three calls when nothing
 * interferes (one more per page when the set spans pages). Once a PATCH may have landed, any
 * failure is `OUTCOME_UNKNOWN`.
 */
export async function addRelated(parts: ObjectParts, field: ToManyRelation, id: string, ids: string[], ctx: GatewayContext): Promise<RelationPayload> {
  const slug = parts.object.slug;
  const { target } = field;
  return ctx.writeLock.withLock(relationshipLockKey(slug, id, field.name), async () => {
    const document = await ctx.client.get(slug, id, {}, ctx.call);
    if (!document) return missingParent(id);
    if (ids.length === 0) {
      ctx.records.prime([document.data]);
      return { record: document.data, userErrors: [] };
    }
    let current = await currentIds(ctx, slug, document.data, field.name);
    for (let tries = 0; ; tries += 1) {
      if (tries > 0 && ids.every((related) => current.includes(related))) break;
      if (tries >= RELATIONSHIP_EDIT_TRIES) throw keptChanging(slug, 'add');
      const wanted = [...new Set([...current, ...ids])];
      const link = () => ctx.client.linkRelationship(slug, id, field.name, wanted.map((related) => ({ type: target, id: related })), ctx.call);
      if (tries > 0) {
        await afterWrite(link, LINK_ROUTE);
      } else {
        try {
          await link();
        } catch (error) {
          if (isUserFacing(error)) return { record: null, userErrors: relationErrors(error, id, ids, wanted) };
          // A lost answer is settled by the read below.
          if (!isClarifyError(error) || !error.mayHaveBeenWritten) throw error;
        }
      }
      settle(ctx);
      current = await afterWrite(() => relatedIds(ctx, slug, id, field.name), LINK_ROUTE);
    }
    const linked: ResourceIdentifier[] = current.map((related) => ({ type: target, id: related }));
    const record: ClarifyResource = {
      ...document.data,
      relationships: { ...document.data.relationships, [field.name]: { kind: 'many', data: linked, count: linked.length } },
    };
    ctx.records.prime([record]);
    return { record, userErrors: [] };
  }, ctx.call);
}

/**
 * `remove<Type><Relation>`: under the same lock, DELETE with the listed ids (others stay linked),
 * then the record as it now is, fetched with `include` for what the caller selected below it.
 * When that read still shows a listed id (a lost answer that did not land, or a writer outside
 * the gateway that linked it again), the DELETE is sent again, up to `RELATIONSHIP_EDIT_TRIES`
 * times. Two calls when nothing interferes. Once a DELETE may have landed, any failure is
 * `OUTCOME_UNKNOWN`.
 */
export async function removeRelated(
  parts: ObjectParts,
  field: ToManyRelation,
  id: string,
  ids: string[],
  ctx: GatewayContext,
  include: string[] = [],
): Promise<RelationPayload> {
  const slug = parts.object.slug;
  const { target } = field;
  return ctx.writeLock.withLock(relationshipLockKey(slug, id, field.name), async () => {
    let written = false;
    for (let tries = 0; ; tries += 1) {
      if (ids.length > 0) {
        const unlink = () => ctx.client.unlinkRelationship(slug, id, field.name, ids.map((related) => ({ type: target, id: related })), ctx.call);
        if (written) {
          await afterWrite(unlink, UNLINK_ROUTE);
        } else {
          try {
            await unlink();
          } catch (error) {
            if (isUserFacing(error)) return { record: null, userErrors: relationErrors(error, id, ids, ids) };
            if (!isClarifyError(error) || !error.mayHaveBeenWritten) throw error;
          }
          written = true;
        }
        settle(ctx);
      }
      const read = () => ctx.client.get(slug, id, { include }, ctx.call);
      const document = written ? await afterWrite(read, UNLINK_ROUTE) : await read();
      if (!document) return missingParent(id);
      const current = () => currentIds(ctx, slug, document.data, field.name);
      const still = ids.length === 0 ? [] : written ? await afterWrite(current, UNLINK_ROUTE) : await current();
      if (!ids.some((related) => still.includes(related))) {
        ctx.records.prime([document.data, ...document.included]);
        return { record: document.data, userErrors: [] };
      }
      if (tries + 1 >= RELATIONSHIP_EDIT_TRIES) throw keptChanging(slug, 'remove');
    }
  }, ctx.call);
}

const LINK_ROUTE = 'PATCH /objects/:object/records/:id/relationships/:rel';
const UNLINK_ROUTE = 'DELETE /objects/:object/records/:id/relationships/:rel';

/**
 * Runs a step that follows a write that may have landed (a read-back, a write sent again): however
 * it fails, the write's outcome is unknown, so the failure becomes `OUTCOME_UNKNOWN` with its
 * code in `failure`, as the client reports a single write whose answer was lost.
 */
async function afterWrite<T>(step: () => Promise<T>, route: string): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (isClarifyError(error) && error.code !== 'ABORTED') throw outcomeUnknown(error, route);
    throw error;
  }
}

/** The ids linked now: from the record's block when complete, else from the relationship endpoint. */
async function currentIds(ctx: GatewayContext, slug: string, record: ClarifyResource, field: string): Promise<string[]> {
  const relationship = record.relationships[field];
  if (relationship?.kind === 'many' && relationship.data.length >= relationship.count) return relationship.data.map((r) => r.id);
  return relatedIds(ctx, slug, record.id, field);
}

/** The ids linked now, read from the relationship endpoint. */
async function relatedIds(ctx: GatewayContext, slug: string, id: string, field: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of ctx.client.listAllRelationship(slug, id, field, {}, ctx.call)) ids.push(...page.data.map((r) => r.id));
  return ids;
}

function keptChanging(slug: string, verb: 'add' | 'remove'): ClarifyError {
  const detail = `The set kept changing under another client's edits; the ${verb} was applied ${RELATIONSHIP_EDIT_TRIES} times and did not hold`;
  return new ClarifyError(`Clarify ${slug} relationship: ${detail}`, {
    code: 'CONFLICT',
    route: verb === 'add' ? LINK_ROUTE : UNLINK_ROUTE,
    issues: [{ detail }],
  });
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
