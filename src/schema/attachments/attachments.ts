/**
 * Files attached to records: the `Attachment` type, `attachments` on every record type, and
 * `attachmentDownload` for a fresh signed link. The writes are in `attachment-writes.ts`.
 */
import { getAttachment, listAttachments } from '../../client/record-extras.js';
import type { ClarifyResource } from '../../client/types.js';
import { recordsOf, type ClarifyFieldInfo } from '../../plan/field-info.js';
import { endpointConnection } from '../core/endpoint-connection.js';
import { recordObjectEnum, recordObjects } from '../core/object-enum.js';
import { planEntry } from '../core/plan-entry.js';
import { freeFieldName, type SchemaRegistry } from '../core/registry.js';
import { text } from '../core/values.js';
import { addAttachmentWrites } from './attachment-writes.js';

interface DownloadValue {
  attachment: ClarifyResource;
  url: string;
  expiresAt: string | null;
}

const wholeNumber = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : null);

/** `attachments` on every record type but users', `attachmentDownload` at the root, and the file writes. */
export function addAttachments(registry: SchemaRegistry): void {
  const objects = recordObjects(registry);
  if (objects.length === 0) return;
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
  );
  const paged: ClarifyFieldInfo = { role: 'paged' };
  for (const parts of objects) {
    const slug = parts.object.slug;
    const name = freeFieldName(parts, 'attachments');
    if (!name) continue;
    builder.objectFields(parts.ref, (t) => ({
      [name]: t.field({
        type: connection,
        description: "The record's files (one Clarify call per page). Null, with an error, when Clarify could not answer.",
        args: { ...t.arg.connectionArgs() },
        extensions: { clarify: paged },
        resolve: (record, _args, ctx, info) =>
          endpointConnection(planEntry(ctx, info, 'paged').page, (limit, offset) => listAttachments(ctx.client, slug, record.id, { limit, offset }, ctx.call)),
      }),
    }));
  }

  const download = builder.objectRef<DownloadValue>('AttachmentDownload').implement({
    description: 'A signed link to download one file.',
    fields: (t) => ({
      attachment: t.field({ type: attachment, nullable: false, resolve: (v) => v.attachment }),
      url: t.exposeString('url', { nullable: false, description: 'Signed URL; fetch it before `expiresAt`. Needs no credential.' }),
      expiresAt: t.field({ type: 'DateTime', resolve: (v) => v.expiresAt }),
    }),
  });
  const objectEnum = recordObjectEnum(registry);
  const single: ClarifyFieldInfo = { role: 'single', object: 'attachment' };
  builder.queryFields((t) => ({
    [registry.claimRootField('query', 'attachmentDownload')]: t.field({
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
    }),
  }));
  addAttachmentWrites(registry, attachment);
}
