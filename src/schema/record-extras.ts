/**
 * What a record page shows beside the record: its activity timeline and its files, on every
 * record type; plus the workspace's deleted records per object and a file's download link.
 */
import type { FieldMap, ObjectRef } from '@pothos/core';
import type { ClarifyResource } from '../client/types.js';
import { getAttachment, listActivities, listAttachments, listDeleted } from '../client/record-extras.js';
import type { GatewaySchemaTypes } from './core/builder.js';
import type { ConnectionShape } from './core/connections.js';
import { endpointConnection } from './core/endpoint-connection.js';
import { recordsOf, type ClarifyFieldInfo } from '../plan/field-info.js';
import { camelCase } from './core/naming.js';
import { planEntry } from './core/plan-entry.js';
import { claimRootField, recordObjectEnum, recordObjects } from './core/object-enum.js';
import type { ObjectParts, SchemaRegistry } from './core/registry.js';
import { richText, text } from './core/values.js';

type Types = PothosSchemaTypes.ExtendDefaultTypes<GatewaySchemaTypes>;
type ResourceRef = ObjectRef<Types, ClarifyResource>;
type ShapeRef = ObjectRef<Types, ConnectionShape>;

const details = (r: ClarifyResource): Record<string, unknown> => {
  const value = r.attributes.details;
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
};
const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const wholeNumber = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : null);

/** Activity kinds with a type of their own; any other kind is an `OtherActivity`. */
const ACTIVITY_TYPES: Record<string, string> = {
  record_created: 'RecordCreatedActivity',
  record_updated: 'RecordUpdatedActivity',
  comment_created: 'CommentActivity',
  attachment_added: 'AttachmentActivity',
  attachment_removed: 'AttachmentActivity',
  records_merged: 'MergeActivity',
};

export interface RecordExtraTypes {
  activityConnection: ShapeRef;
  attachment: ResourceRef;
  attachmentConnection: ShapeRef;
}

/** The field name for an extra on a record type, unless the object has a field of that name already. */
function extraFieldName(parts: ObjectParts, wanted: string): string | undefined {
  const taken = new Set<string>();
  for (const names of parts.fieldNames.values()) {
    if (names.value) taken.add(names.value);
    if (names.relation) taken.add(names.relation);
  }
  return taken.has(wanted) ? undefined : wanted;
}

function activityTypes(registry: SchemaRegistry): ShapeRef {
  const builder = registry.builder;
  const names = new Map([...new Set(Object.values(ACTIVITY_TYPES))].map((name) => [name, name]));
  const otherName = 'OtherActivity';
  const activity = builder.interfaceRef<ClarifyResource>('Activity').implement({
    description: "One entry of a record's timeline. The concrete type follows `kind`; kinds without their own type are `OtherActivity`.",
    resolveType: (r) => names.get(ACTIVITY_TYPES[String(r.attributes.kind)] ?? '') ?? otherName,
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
  implement(names.get('RecordCreatedActivity')!, 'The record was created.');
  implement(names.get('RecordUpdatedActivity')!, 'Attributes of the record changed.', (t) => ({
    changedFields: t.stringList({
      nullable: { list: false, items: false },
      description: 'The GraphQL names of the fields that changed.',
      resolve: (r) => {
        const parts = registry.parts(String((r.attributes.record as { type?: unknown } | undefined)?.type ?? ''));
        return stringList(details(r).fields).map((name) => parts?.fieldNames.get(name)?.value ?? parts?.fieldNames.get(name)?.relation ?? camelCase(name));
      },
    }),
  }));
  implement(names.get('CommentActivity')!, 'A comment on the record, as it reads now.', (t) => ({
    commentId: t.id({ resolve: (r) => text(details(r).comment_id) }),
    body: t.field({ type: registry.richText!, resolve: (r) => (Array.isArray(details(r).body) ? richText({ text: details(r).body }) : null) }),
  }));
  implement(names.get('AttachmentActivity')!, 'A file was attached to the record, or removed from it.', (t) => ({
    attachmentId: t.id({ resolve: (r) => text(details(r).attachment_id) }),
    fileName: t.string({ resolve: (r) => text(details(r).file_name) }),
    removed: t.boolean({ nullable: false, resolve: (r) => r.attributes.kind === 'attachment_removed' }),
  }));
  implement(names.get('MergeActivity')!, 'Other records were merged into this one.', (t) => ({
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
  ) as unknown as ShapeRef;
}

function attachmentTypes(registry: SchemaRegistry): { attachment: ResourceRef; connection: ShapeRef } {
  const builder = registry.builder;
  const attachment = builder.objectRef<ClarifyResource>('Attachment').implement({
    extensions: recordsOf('attachment'),
    description: 'A file attached to a record.',
    fields: (t) => ({
      id: t.exposeID('id', { nullable: false }),
      fileName: t.string({ resolve: (r) => text(r.attributes.file_name) }),
      contentType: t.string({ resolve: (r) => text(r.attributes.content_type) }),
      size: t.int({ description: 'Bytes.', resolve: (r) => wholeNumber(r.attributes.size) }),
      createdAt: t.field({ type: 'DateTime', resolve: (r) => text(r.attributes._created_at) }),
      createdById: t.string({ resolve: (r) => text(r.attributes._created_by) }),
    }),
  });
  const connection = builder.connectionObject(
    {
      type: attachment,
      name: 'AttachmentConnection',
      description: "A page of a record's files.",
      fields: (t) => ({ totalCount: t.int({ nullable: false, resolve: (c) => c.totalCount }) }),
    },
    { name: 'AttachmentEdge' },
  ) as unknown as ShapeRef;
  return { attachment, connection };
}

interface DownloadValue {
  attachment: ClarifyResource;
  url: string;
  expiresAt: string | null;
}

/** `activities` and `attachments` on every record type, `deleted<Plural>` and `attachmentDownload` at the root. */
export function addRecordExtras(registry: SchemaRegistry): RecordExtraTypes | undefined {
  const objects = recordObjects(registry);
  if (objects.length === 0 || !registry.richText) return undefined;
  const builder = registry.builder;
  const activityConnection = activityTypes(registry);
  const { attachment, connection: attachmentConnection } = attachmentTypes(registry);
  const paged: ClarifyFieldInfo = { role: 'paged' };
  const timeline: ClarifyFieldInfo = { role: 'paged', timeline: true };

  for (const parts of objects) {
    const slug = parts.object.slug;
    const activitiesName = extraFieldName(parts, 'activities');
    const attachmentsName = extraFieldName(parts, 'attachments');
    builder.objectFields(parts.ref, (t) => {
      const fields: FieldMap = {};
      if (activitiesName) {
        fields[activitiesName] = t.field({
          type: activityConnection,
          description: "The record's timeline, newest first (one Clarify call per page). Null, with an error, when Clarify could not answer.",
          args: { ...t.arg.connectionArgs() },
          extensions: { clarify: timeline },
          resolve: (record, _args, ctx, info) =>
            endpointConnection(planEntry(ctx, info, 'paged').page, (limit, offset) =>
              listActivities(ctx.client, slug, record.id, { limit, offset }, ctx.call),
            ),
        });
      }
      if (attachmentsName) {
        fields[attachmentsName] = t.field({
          type: attachmentConnection,
          description: "The record's files (one Clarify call per page). Null, with an error, when Clarify could not answer.",
          args: { ...t.arg.connectionArgs() },
          extensions: { clarify: paged },
          resolve: (record, _args, ctx, info) =>
            endpointConnection(planEntry(ctx, info, 'paged').page, (limit, offset) =>
              listAttachments(ctx.client, slug, record.id, { limit, offset }, ctx.call),
            ),
        });
      }
      return fields;
    });
  }

  const deletedRecord = builder.objectRef<ClarifyResource>('DeletedRecord').implement({
    description: 'A record deleted in the last 30 days, with its last stored values.',
    fields: (t) => ({
      id: t.exposeID('id', { nullable: false }),
      object: t.string({ nullable: false, description: 'The object slug, e.g. `deal`.', resolve: (r) => r.type }),
      deletedAt: t.field({ type: 'DateTime', resolve: (r) => text(r.attributes._deleted_at) }),
      deletedById: t.string({ resolve: (r) => text(r.attributes._deleted_by) }),
      displayName: t.string({
        description: "The record's primary field when it was deleted.",
        resolve: (r) => {
          const primary = registry.parts(r.type)?.object.primaryField;
          const value = primary ? r.attributes[primary] : undefined;
          if (value && typeof value === 'object' && 'full_name' in value) return text((value as { full_name?: unknown }).full_name);
          return text(value);
        },
      }),
      values: t.field({ type: 'JSON', nullable: false, description: 'Its attributes as Clarify kept them (snake_case names).', resolve: (r) => r.attributes }),
    }),
  });
  const deletedConnection = builder.connectionObject(
    {
      type: deletedRecord,
      name: 'DeletedRecordConnection',
      description: 'A page of deleted records, oldest deletion first.',
      fields: (t) => ({ totalCount: t.int({ nullable: false, resolve: (c) => c.totalCount }) }),
    },
    { name: 'DeletedRecordEdge' },
  ) as unknown as ShapeRef;

  const download = builder.objectRef<DownloadValue>('AttachmentDownload').implement({
    description: 'A signed link to download one file.',
    fields: (t) => ({
      attachment: t.field({ type: attachment, nullable: false, resolve: (v) => v.attachment }),
      url: t.exposeString('url', { nullable: false, description: 'Signed URL; fetch it before `expiresAt`. Needs no credential.' }),
      expiresAt: t.field({ type: 'DateTime', resolve: (v) => v.expiresAt }),
    }),
  });
  const objectEnum = recordObjectEnum(registry);

  builder.queryFields((t) => {
    const fields: FieldMap = {};
    for (const parts of objects) {
      const slug = parts.object.slug;
      const info: ClarifyFieldInfo = { role: 'list', object: slug, feed: 'deleted' };
      fields[claimRootField(registry, 'query', `deleted${parts.names.pluralType}`)] = t.field({
        type: deletedConnection,
        description: `${parts.object.plural} deleted in the last 30 days, oldest deletion first; \`since\` keeps those deleted at or after it.`,
        args: { since: t.arg({ type: 'DateTime' }), ...t.arg.connectionArgs() },
        extensions: { clarify: info },
        resolve: (_root, args, ctx, gqlInfo) => {
          const since = args.since ? new Date(args.since).toISOString() : null;
          return endpointConnection(planEntry(ctx, gqlInfo, 'list').list.page, (limit, offset) =>
            listDeleted(ctx.client, slug, since, { limit, offset }, ctx.call),
          );
        },
      });
    }
    const single: ClarifyFieldInfo = { role: 'single', object: 'attachment' };
    fields[claimRootField(registry, 'query', 'attachmentDownload')] = t.field({
      type: download,
      description: 'One file of a record with a fresh signed download link; null when the record or file does not exist.',
      args: {
        object: t.arg({ type: objectEnum, required: true }),
        recordId: t.arg.id({ required: true }),
        attachmentId: t.arg.id({ required: true }),
      },
      extensions: { clarify: single },
      resolve: async (_root, args, ctx) => {
        const found = await getAttachment(ctx.client, args.object, args.recordId, args.attachmentId, ctx.call);
        if (!found) return null;
        const url = text(found.attributes.download_url);
        return url ? { attachment: found, url, expiresAt: text(found.attributes.download_expires_at) } : null;
      },
    });
    return fields;
  });
  return { activityConnection, attachment, attachmentConnection };
}
