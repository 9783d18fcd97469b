import { randomBytes, randomUUID } from 'node:crypto';
import { badRequest, invalid, notFound, ApiError } from './errors.js';
import type { Attachment, Extras, PendingUpload } from './extras.js';
import { stamp, type HandlerContext, type HandlerResult } from './handler.js';
import { buildLinks, parsePaging } from './list.js';
import { paged, recordTarget } from './record-target.js';
import { isObject } from './schema-registry.js';

/** How long a signed upload or download URL stays valid. */
export const SIGNED_URL_TTL_MS = 15 * 60 * 1000;
export const UPLOAD_PATH = '/uploads/';
export const DOWNLOAD_PATH = '/downloads/';

const CONTENT_TYPE_RE = /^[\w.+-]+\/[\w.+-]+$/;

function renderAttachment(attachment: Attachment): { type: string; id: string; attributes: Record<string, unknown> } {
  return {
    type: 'attachment',
    id: attachment.id,
    attributes: {
      _id: attachment.id,
      file_name: attachment.fileName,
      content_type: attachment.contentType,
      size: attachment.size,
      record: { type: attachment.object, id: attachment.recordId },
      _created_at: attachment.createdAt,
      _created_by: attachment.createdBy,
    },
  };
}

/** `POST .../attachments` with `{file_name, content_type, size}`: a signed URL to PUT the bytes to. */
export function requestUpload(context: HandlerContext): HandlerResult {
  const { object, record } = recordTarget(context);
  const body = context.body();
  if (!isObject(body)) throw badRequest('The request body must be {"file_name", "content_type", "size"}');
  const { file_name: fileName, content_type: contentType, size } = body;
  if (typeof fileName !== 'string' || fileName.trim() === '' || fileName.length > 255 || /[/\\]/.test(fileName)) {
    throw invalid('file_name must be 1 to 255 characters without slashes', '/file_name');
  }
  if (typeof contentType !== 'string' || !CONTENT_TYPE_RE.test(contentType)) throw invalid('content_type must be a media type such as "application/pdf"', '/content_type');
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) throw invalid('size must be a whole number of bytes, at least 1', '/size');
  if (size > context.maxUploadBytes) throw invalid(`size ${size} exceeds the upload limit of ${context.maxUploadBytes} bytes`, '/size');
  const upload: PendingUpload = {
    id: randomUUID(),
    token: randomBytes(24).toString('hex'),
    object: object.slug,
    recordId: record.id,
    fileName,
    contentType,
    size,
    expiresAt: context.now() + SIGNED_URL_TTL_MS,
    linked: false,
  };
  context.workspace.extras.uploads.set(upload.id, upload);
  return {
    status: 201,
    body: {
      data: {
        type: 'attachment-upload',
        id: upload.id,
        attributes: {
          upload_url: `${context.url.origin}${UPLOAD_PATH}${upload.token}`,
          method: 'PUT',
          headers: { 'Content-Type': contentType },
          expires_at: new Date(upload.expiresAt).toISOString(),
          max_size: size,
        },
      },
    },
  };
}

/** `PUT .../attachments/{uploadId}`: links an uploaded file to the record. */
export function linkUpload(context: HandlerContext): HandlerResult {
  const { record } = recordTarget(context);
  const { extras, store } = context.workspace;
  const id = context.params.attachment ?? '';
  const upload = extras.uploads.get(id);
  if (!upload || upload.recordId !== record.id) throw notFound(`No upload "${id}" for this record`);
  if (upload.linked) throw new ApiError(409, `Upload "${id}" is already linked`);
  if (!upload.content) throw new ApiError(409, `Upload "${id}" has not received its file; PUT the bytes to the upload URL first`);
  const time = stamp(context);
  const attachment: Attachment = {
    id: randomUUID(),
    object: upload.object,
    recordId: upload.recordId,
    fileName: upload.fileName,
    contentType: upload.contentType,
    size: upload.content.length,
    content: upload.content,
    createdAt: time._updated_at,
    createdBy: time._updated_by,
  };
  upload.linked = true;
  extras.attachments.set(attachment.id, attachment);
  store.logActivity(record.id, 'attachment_added', time, { attachment_id: attachment.id, file_name: attachment.fileName });
  return { status: 201, body: { data: renderAttachment(attachment) } };
}

export function listAttachments(context: HandlerContext): HandlerResult {
  const { record } = recordTarget(context);
  const paging = parsePaging(context.query);
  const all = [...context.workspace.extras.attachments.values()].filter((attachment) => attachment.recordId === record.id);
  return {
    status: 200,
    body: {
      data: paged(all, paging).map(renderAttachment),
      meta: { total_records: all.length, total_pages: Math.ceil(all.length / paging.limit), offset: paging.offset, limit: paging.limit },
      links: buildLinks(context.url, paging, all.length),
    },
  };
}

function attachmentOf(context: HandlerContext): Attachment {
  const { record } = recordTarget(context);
  const id = context.params.attachment ?? '';
  const attachment = context.workspace.extras.attachments.get(id);
  if (!attachment || attachment.recordId !== record.id) throw notFound(`No attachment "${id}" on this record`);
  return attachment;
}

/** One attachment with a signed download URL. */
export function getAttachment(context: HandlerContext): HandlerResult {
  const attachment = attachmentOf(context);
  const token = randomBytes(24).toString('hex');
  const expiresAt = context.now() + SIGNED_URL_TTL_MS;
  context.workspace.extras.downloads.set(token, { attachmentId: attachment.id, expiresAt });
  const rendered = renderAttachment(attachment);
  rendered.attributes.download_url = `${context.url.origin}${DOWNLOAD_PATH}${token}`;
  rendered.attributes.download_expires_at = new Date(expiresAt).toISOString();
  return { status: 200, body: { data: rendered } };
}

export function removeAttachment(context: HandlerContext): HandlerResult {
  const attachment = attachmentOf(context);
  const { extras, store } = context.workspace;
  extras.attachments.delete(attachment.id);
  store.logActivity(attachment.recordId, 'attachment_removed', stamp(context), { attachment_id: attachment.id, file_name: attachment.fileName });
  return { status: 204 };
}

export type UploadCheck = { ok: true; upload: PendingUpload } | { ok: false; status: number; detail: string };

/** Decides whether a signed PUT may proceed, before its body is read. */
export function checkUpload(extras: Extras, token: string, now: number, declaredLength: number | undefined): UploadCheck {
  const upload = [...extras.uploads.values()].find((candidate) => candidate.token === token);
  if (!upload) return { ok: false, status: 404, detail: 'Unknown upload URL' };
  if (now > upload.expiresAt) return { ok: false, status: 403, detail: 'The upload URL has expired; request a new one' };
  if (upload.linked) return { ok: false, status: 409, detail: 'This upload is already linked to its record' };
  if (declaredLength !== undefined && declaredLength > upload.size) {
    return { ok: false, status: 413, detail: `The file is larger than the ${upload.size} bytes declared for this upload` };
  }
  return { ok: true, upload };
}

/** Serves a signed download, or says why not. */
export function findDownload(extras: Extras, token: string, now: number): Attachment | { status: number; detail: string } {
  const grant = extras.downloads.get(token);
  if (!grant) return { status: 404, detail: 'Unknown download URL' };
  if (now > grant.expiresAt) return { status: 403, detail: 'The download URL has expired; fetch the attachment again' };
  const attachment = extras.attachments.get(grant.attachmentId);
  if (!attachment) return { status: 404, detail: 'The attachment was removed' };
  return attachment;
}
