/**
 * Merges of duplicate records: `merge<Plural>(into, sources)` for the objects Clarify merges.
 * The survivor takes the sources' values, links, comments and files; the sources are deleted.
 */
import type { FieldMap } from '@pothos/core';
import { mergeRecords } from '../../client/record-extras.js';
import type { ClarifyResource } from '../../client/types.js';
import type { GatewayContext } from '../../loaders/request-context.js';
import { ADMINISTRATIVE } from '../../plan/field-info.js';
import { recordObjects } from '../core/object-enum.js';
import { writes } from '../core/plan-entry.js';
import { referencing, type ObjectParts, type SchemaRegistry } from '../core/registry.js';
import { USER_ERROR_CODES, idsNamedIn, isUserFacing, userErrorsFrom } from '../core/user-errors.js';
import type { UserErrorValue } from '../core/values.js';

/** Objects whose duplicates Clarify merges. */
export const MERGEABLE_OBJECTS: readonly string[] = ['person', 'company', 'deal'];

interface MergePayload {
  record: ClarifyResource | null;
  userErrors: UserErrorValue[];
}

export function addMerges(registry: SchemaRegistry): void {
  const userError = registry.userError;
  if (!userError) return;
  const builder = registry.builder;
  const mergeable = recordObjects(registry)
    .filter((parts) => MERGEABLE_OBJECTS.includes(parts.object.slug))
    .map((parts) => ({
      parts,
      payload: builder.objectRef<MergePayload>(registry.claim(`Merge${parts.names.pluralType}Payload`)).implement({
        fields: (t) => ({
          record: t.field({ type: parts.ref, description: 'The surviving record, with the merged values.', resolve: (p) => p.record }),
          userErrors: t.field({ type: [userError], nullable: false, resolve: (p) => p.userErrors }),
        }),
      }),
    }));

  builder.mutationFields((t) => {
    const fields: FieldMap = {};
    for (const { parts, payload } of mergeable) {
      const slug = parts.object.slug;
      fields[registry.claimRootField('mutation', `merge${parts.names.pluralType}`)] = t.field({
        type: payload,
        nullable: false,
        description: `Merges duplicate ${parts.object.plural} into one. Its empty fields take the sources' values, collections are united, links, comments and files move over; the sources are deleted (and listed by \`deleted${parts.names.pluralType}\`).`,
        args: { into: t.arg.id({ required: true, description: 'The record that survives.' }), sources: t.arg.idList({ required: true, description: 'The records merged into it.' }) },
        // The survivor takes the sources' values, links, comments and files; the sources are deleted.
        extensions: {
          ...writes(() => 1, [
            { change: 'records', object: slug, ids: 'into' },
            { change: 'deleted', object: slug, ids: 'sources[]', referencedBy: referencing(registry, slug) },
          ]),
          ...ADMINISTRATIVE,
        },
        resolve: (_root, args, ctx) => merge(parts, args.into, args.sources, ctx),
      });
    }
    return fields;
  });
}

async function merge(parts: ObjectParts, into: string, sources: string[], ctx: GatewayContext): Promise<MergePayload> {
  if (sources.length === 0) return { record: null, userErrors: [{ field: ['sources'], message: 'Name at least one record to merge.', code: USER_ERROR_CODES.required }] };
  const self = sources.indexOf(into);
  if (self !== -1) return { record: null, userErrors: [{ field: ['sources', String(self)], message: 'A record cannot be merged into itself.', code: USER_ERROR_CODES.invalid }] };
  try {
    const record = await mergeRecords(ctx.client, parts.object.slug, into, sources, ctx.call);
    ctx.records.forgetAll();
    return { record, userErrors: [] };
  } catch (error) {
    if (!isUserFacing(error)) throw error;
    ctx.records.forgetAll();
    const errors = userErrorsFrom(error, (pointer) => {
      const match = pointer ? /^\/data\/attributes\/sources(?:\/(\d+))?/.exec(pointer) : null;
      return match ? ['sources', ...(match[1] ? [match[1]] : [])] : null;
    }).flatMap((e) => {
      if (error.code !== 'NOT_FOUND') return [e];
      const named = idsNamedIn(e.message, sources);
      if (named.length > 0) return named.map((index) => ({ ...e, field: ['sources', String(index)] }));
      return [{ ...e, field: ['into'] }];
    });
    return { record: null, userErrors: errors };
  }
}
