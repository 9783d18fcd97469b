/**
 * A record's timeline: `activities` on every record type, a connection of `Activity`, whose
 * concrete type follows Clarify's kind (created, updated, commented, files, merged, other).
 */
import type { FieldMap, ObjectRef } from '@pothos/core';
import { listActivities } from '../../client/record-extras.js';
import type { ClarifyResource } from '../../client/types.js';
import type { ClarifyFieldInfo } from '../../plan/field-info.js';
import type { GatewaySchemaTypes } from '../core/builder.js';
import { endpointConnection } from '../core/endpoint-connection.js';
import { camelCase } from '../core/naming.js';
import { recordObjects } from '../core/object-enum.js';
import { planEntry } from '../core/plan-entry.js';
import { freeFieldName, type SchemaRegistry } from '../core/registry.js';
import { isRecord, richText, text, type RichTextValue } from '../core/values.js';

type Types = PothosSchemaTypes.ExtendDefaultTypes<GatewaySchemaTypes>;

const details = (r: ClarifyResource): Record<string, unknown> => {
  const value = r.attributes.details;
  return isRecord(value) && !Array.isArray(value) ? value : {};
};
const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** Activity kinds with a type of their own; any other kind is an `OtherActivity`. */
const ACTIVITY_TYPES = new Map([
  ['record_created', 'RecordCreatedActivity'],
  ['record_updated', 'RecordUpdatedActivity'],
  ['comment_created', 'CommentActivity'],
  ['attachment_added', 'AttachmentActivity'],
  ['attachment_removed', 'AttachmentActivity'],
  ['records_merged', 'MergeActivity'],
]);

/** `activities` on every record type but users', unless the object has a field of that name. */
export function addActivities(registry: SchemaRegistry): void {
  const objects = recordObjects(registry);
  const richTextRef = registry.richText;
  if (objects.length === 0 || !richTextRef) return;
  const connection = activityTypes(registry, richTextRef);
  const timeline: ClarifyFieldInfo = { role: 'paged', timeline: true };
  for (const parts of objects) {
    const slug = parts.object.slug;
    const name = freeFieldName(parts, 'activities');
    if (!name) continue;
    registry.builder.objectFields(parts.ref, (t) => ({
      [name]: t.field({
        type: connection,
        description: "The record's timeline, newest first (one Clarify call per page). Null, with an error, when Clarify could not answer.",
        args: { ...t.arg.connectionArgs() },
        extensions: { clarify: timeline },
        resolve: (record, _args, ctx, info) =>
          endpointConnection(planEntry(ctx, info, 'paged').page, (limit, offset) => listActivities(ctx.client, slug, record.id, { limit, offset }, ctx.call)),
      }),
    }));
  }
}

/** The `Activity` interface, a type per kind, and `ActivityConnection`. */
function activityTypes(registry: SchemaRegistry, richTextRef: ObjectRef<Types, RichTextValue>) {
  const builder = registry.builder;
  const otherName = 'OtherActivity';
  const activity = builder.interfaceRef<ClarifyResource>('Activity').implement({
    description: "One entry of a record's timeline. The concrete type follows `kind`; kinds without their own type are `OtherActivity`.",
    resolveType: (r) => ACTIVITY_TYPES.get(String(r.attributes.kind)) ?? otherName,
    fields: (t) => ({
      id: t.exposeID('id', { nullable: false }),
      kind: t.string({ nullable: false, description: 'Clarify\'s kind, e.g. `record_updated`.', resolve: (r) => String(r.attributes.kind ?? '') }),
      occurredAt: t.field({ type: 'DateTime', resolve: (r) => text(r.attributes.occurred_at) }),
      actorId: t.string({ description: 'Who did it: a user id, or a system actor such as `system`.', resolve: (r) => text(r.attributes.actor) }),
      details: t.field({ type: 'JSON', nullable: false, description: 'The kind-specific payload as Clarify sends it.', resolve: details }),
    }),
  });
  const implement = (name: string, description: string, fields?: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, ClarifyResource>) => FieldMap): void => {
    builder.objectRef<ClarifyResource>(name).implement({ description, interfaces: [activity], fields: fields ?? (() => ({})) });
  };
  implement('RecordCreatedActivity', 'The record was created.');
  implement('RecordUpdatedActivity', 'Attributes of the record changed.', (t) => ({
    changedFields: t.stringList({
      nullable: { list: false, items: false },
      description: 'The GraphQL names of the fields that changed.',
      resolve: (r) => {
        const record = r.attributes.record;
        const parts = registry.parts(String((isRecord(record) ? record.type : undefined) ?? ''));
        return stringList(details(r).fields).map((name) => parts?.fieldNames.get(name)?.value ?? parts?.fieldNames.get(name)?.relation ?? camelCase(name));
      },
    }),
  }));
  implement('CommentActivity', 'A comment on the record, as it reads now.', (t) => ({
    commentId: t.id({ resolve: (r) => text(details(r).comment_id) }),
    body: t.field({ type: richTextRef, resolve: (r) => (Array.isArray(details(r).body) ? richText({ text: details(r).body }) : null) }),
  }));
  implement('AttachmentActivity', 'A file was attached to the record, or removed from it.', (t) => ({
    attachmentId: t.id({ resolve: (r) => text(details(r).attachment_id) }),
    fileName: t.string({ resolve: (r) => text(details(r).file_name) }),
    removed: t.boolean({ nullable: false, resolve: (r) => r.attributes.kind === 'attachment_removed' }),
  }));
  implement('MergeActivity', 'Other records were merged into this one.', (t) => ({
    sourceIds: t.idList({ nullable: { list: false, items: false }, resolve: (r) => stringList(details(r).sources) }),
  }));
  implement(otherName, 'A kind of activity this gateway has no type for; read `details`.');
  return builder.connectionObject(
    {
      type: activity,
      name: 'ActivityConnection',
      description: "A page of a record's timeline, newest first.",
      fields: (t) => ({ totalCount: t.int({ nullable: false, resolve: (c) => c.totalCount }) }),
    },
    { name: 'ActivityEdge' },
  );
}
