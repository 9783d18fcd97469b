/**
 * Typed calls for Clarify's endpoints beyond records and relationships: timelines, comments,
 * attachments, saved lists, merges, deleted resources and schema changes. Built on the client's
 * generic `listAt` / `sendAt`, so paging, retries, errors and accounting are the client's.
 */
import type { ClarifyClient } from './clarify-client.js';
import { parseSingleDocument } from './documents.js';
import { ClarifyError } from './errors.js';
import type { CallOptions, ClarifyResource, FilterCondition, ListPage, ListParams, ResourceIdentifier } from './types.js';

export const EXTRA_ROUTES = {
  activities: 'GET /objects/:object/records/:id/activities',
  deleted: 'GET /objects/:object/deleted-resources',
  attachments: 'GET /objects/:object/records/:id/attachments',
  attachment: 'GET /objects/:object/records/:id/attachments/:attachment',
  requestUpload: 'POST /objects/:object/records/:id/attachments',
  linkUpload: 'PUT /objects/:object/records/:id/attachments/:attachment',
  removeAttachment: 'DELETE /objects/:object/records/:id/attachments/:attachment',
  createComment: 'POST /comments',
  getComment: 'GET /comments/:id',
  updateComment: 'PATCH /comments/:id',
  deleteComment: 'DELETE /comments/:id',
  allLists: 'GET /lists',
  objectLists: 'GET /objects/:object/lists',
  getList: 'GET /objects/:object/lists/:list',
  createList: 'POST /objects/:object/lists',
  deleteList: 'DELETE /objects/:object/lists/:list',
  listRecords: 'GET /objects/:object/lists/:list/resources',
  addListRecords: 'POST /objects/:object/lists/:list/resources',
  removeListRecords: 'DELETE /objects/:object/lists/:list/resources',
  merge: 'POST /objects/:object/records/:id/merges',
  createObject: 'POST /schemas/objects',
  addProperties: 'POST /schemas/:entity/properties',
  editOptions: 'PATCH /schemas/:entity/properties/:field',
  schemaJob: 'GET /schemas/jobs/:id',
} as const;

const seg = encodeURIComponent;
const recordPath = (object: string, id: string): string => `/objects/${seg(object)}/records/${seg(id)}`;

function single(route: string, body: unknown): ClarifyResource {
  try {
    return parseSingleDocument(body).data;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ClarifyError(`Clarify ${route}: unexpected response (${detail})`, { code: 'UPSTREAM_BAD_RESPONSE', route, issues: [{ detail }] });
  }
}

export function listActivities(client: ClarifyClient, object: string, id: string, params: ListParams, call: CallOptions): Promise<ListPage> {
  return client.listAt(EXTRA_ROUTES.activities, `${recordPath(object, id)}/activities`, params, call);
}

/** Deleted records of an object; `since` (inclusive) filters on `_deleted_at`. */
export function listDeleted(client: ClarifyClient, object: string, since: string | null, params: ListParams, call: CallOptions): Promise<ListPage> {
  const filter: FilterCondition[] = since === null ? [] : [{ path: '_deleted_at', operator: 'Is on or after', value: since }];
  return client.listAt(EXTRA_ROUTES.deleted, `/objects/${seg(object)}/deleted-resources`, { ...params, filter }, call);
}

export function listAttachments(client: ClarifyClient, object: string, id: string, params: ListParams, call: CallOptions): Promise<ListPage> {
  return client.listAt(EXTRA_ROUTES.attachments, `${recordPath(object, id)}/attachments`, params, call);
}

/** One attachment with a fresh download URL; null when the record or attachment is unknown. */
export async function getAttachment(client: ClarifyClient, object: string, id: string, attachmentId: string, call: CallOptions): Promise<ClarifyResource | null> {
  const response = await client.sendAt(
    { method: 'GET', route: EXTRA_ROUTES.attachment, relative: `${recordPath(object, id)}/attachments/${seg(attachmentId)}`, mode: 'idempotent', nullOn404: true },
    call,
  );
  return response === null ? null : single(EXTRA_ROUTES.attachment, response.body);
}

export interface UploadRequest {
  fileName: string;
  contentType: string;
  size: number;
}

export async function requestUpload(client: ClarifyClient, object: string, id: string, file: UploadRequest, call: CallOptions): Promise<ClarifyResource> {
  const body = { file_name: file.fileName, content_type: file.contentType, size: file.size };
  // Each request makes a new upload slot: repeating one is harmless, so it may be retried.
  const response = await client.sendAt({ method: 'POST', route: EXTRA_ROUTES.requestUpload, relative: `${recordPath(object, id)}/attachments`, body, mode: 'idempotent' }, call);
  return single(EXTRA_ROUTES.requestUpload, response?.body);
}

export async function linkUpload(client: ClarifyClient, object: string, id: string, uploadId: string, call: CallOptions): Promise<ClarifyResource> {
  const response = await client.sendAt(
    { method: 'PUT', route: EXTRA_ROUTES.linkUpload, relative: `${recordPath(object, id)}/attachments/${seg(uploadId)}`, mode: 'once' },
    call,
  );
  return single(EXTRA_ROUTES.linkUpload, response?.body);
}

export async function removeAttachment(client: ClarifyClient, object: string, id: string, attachmentId: string, call: CallOptions): Promise<void> {
  await client.sendAt(
    { method: 'DELETE', route: EXTRA_ROUTES.removeAttachment, relative: `${recordPath(object, id)}/attachments/${seg(attachmentId)}`, mode: 'idempotent' },
    call,
  );
}

export async function createComment(client: ClarifyClient, object: string, recordId: string, blocks: unknown[], call: CallOptions): Promise<ClarifyResource> {
  const body = { object, record_id: recordId, body: blocks };
  const response = await client.sendAt({ method: 'POST', route: EXTRA_ROUTES.createComment, relative: '/comments', body, mode: 'once' }, call);
  return single(EXTRA_ROUTES.createComment, response?.body);
}

export async function getComment(client: ClarifyClient, id: string, call: CallOptions): Promise<ClarifyResource | null> {
  const response = await client.sendAt({ method: 'GET', route: EXTRA_ROUTES.getComment, relative: `/comments/${seg(id)}`, mode: 'idempotent', nullOn404: true }, call);
  return response === null ? null : single(EXTRA_ROUTES.getComment, response.body);
}

export async function updateComment(client: ClarifyClient, id: string, blocks: unknown[], call: CallOptions): Promise<ClarifyResource> {
  const response = await client.sendAt(
    { method: 'PATCH', route: EXTRA_ROUTES.updateComment, relative: `/comments/${seg(id)}`, body: { body: blocks }, mode: 'idempotent' },
    call,
  );
  return single(EXTRA_ROUTES.updateComment, response?.body);
}

export async function deleteComment(client: ClarifyClient, id: string, call: CallOptions): Promise<void> {
  await client.sendAt({ method: 'DELETE', route: EXTRA_ROUTES.deleteComment, relative: `/comments/${seg(id)}`, mode: 'idempotent' }, call);
}

export function listAllSavedLists(client: ClarifyClient, params: ListParams, call: CallOptions): Promise<ListPage> {
  return client.listAt(EXTRA_ROUTES.allLists, '/lists', params, call);
}

export function listSavedLists(client: ClarifyClient, object: string, params: ListParams, call: CallOptions): Promise<ListPage> {
  return client.listAt(EXTRA_ROUTES.objectLists, `/objects/${seg(object)}/lists`, params, call);
}

export async function getSavedList(client: ClarifyClient, object: string, id: string, call: CallOptions): Promise<ClarifyResource | null> {
  const response = await client.sendAt(
    { method: 'GET', route: EXTRA_ROUTES.getList, relative: `/objects/${seg(object)}/lists/${seg(id)}`, mode: 'idempotent', nullOn404: true },
    call,
  );
  return response === null ? null : single(EXTRA_ROUTES.getList, response.body);
}

export async function createSavedList(
  client: ClarifyClient,
  object: string,
  list: { name: string; kind: 'static' | 'dynamic'; filter: Record<string, Record<string, string>> | null },
  call: CallOptions,
): Promise<ClarifyResource> {
  const body: Record<string, unknown> = { name: list.name, kind: list.kind };
  if (list.filter) body.filter = list.filter;
  const response = await client.sendAt({ method: 'POST', route: EXTRA_ROUTES.createList, relative: `/objects/${seg(object)}/lists`, body, mode: 'once' }, call);
  return single(EXTRA_ROUTES.createList, response?.body);
}

export async function deleteSavedList(client: ClarifyClient, object: string, id: string, call: CallOptions): Promise<void> {
  await client.sendAt({ method: 'DELETE', route: EXTRA_ROUTES.deleteList, relative: `/objects/${seg(object)}/lists/${seg(id)}`, mode: 'idempotent' }, call);
}

export function listSavedListRecords(client: ClarifyClient, object: string, id: string, params: ListParams, call: CallOptions): Promise<ListPage> {
  return client.listAt(EXTRA_ROUTES.listRecords, `/objects/${seg(object)}/lists/${seg(id)}/resources`, params, call);
}

export async function changeSavedListRecords(
  client: ClarifyClient,
  object: string,
  id: string,
  change: 'add' | 'remove',
  targets: ResourceIdentifier[],
  call: CallOptions,
): Promise<void> {
  await client.sendAt(
    {
      method: change === 'add' ? 'POST' : 'DELETE',
      route: change === 'add' ? EXTRA_ROUTES.addListRecords : EXTRA_ROUTES.removeListRecords,
      relative: `/objects/${seg(object)}/lists/${seg(id)}/resources`,
      body: { data: targets },
      // Adding a member twice keeps it once, removing an absent one does nothing: both repeatable.
      mode: 'idempotent',
    },
    call,
  );
}

export async function mergeRecords(client: ClarifyClient, object: string, id: string, sources: string[], call: CallOptions): Promise<ClarifyResource> {
  const body = { data: { type: 'merge', attributes: { sources } } };
  const response = await client.sendAt({ method: 'POST', route: EXTRA_ROUTES.merge, relative: `${recordPath(object, id)}/merges`, body, mode: 'once' }, call);
  return single(EXTRA_ROUTES.merge, response?.body);
}

export async function createCustomObject(
  client: ClarifyClient,
  object: { name: string; plural: string; description?: string | null },
  call: CallOptions,
): Promise<ClarifyResource> {
  const body: Record<string, unknown> = { name: object.name, plural: object.plural };
  if (object.description != null) body.description = object.description;
  const response = await client.sendAt({ method: 'POST', route: EXTRA_ROUTES.createObject, relative: '/schemas/objects', body, mode: 'once' }, call);
  return single(EXTRA_ROUTES.createObject, response?.body);
}

/** Adds fields (JSON Schema properties by name); existing fields are left as they are, so it may be repeated. */
export async function addProperties(client: ClarifyClient, entity: string, properties: Record<string, unknown>, call: CallOptions): Promise<void> {
  const body = { data: { type: 'schema-properties', attributes: properties } };
  await client.sendAt({ method: 'POST', route: EXTRA_ROUTES.addProperties, relative: `/schemas/${seg(entity)}/properties`, body, mode: 'idempotent' }, call);
}

export interface SchemaJob {
  id: string;
  status: string;
  error: string | null;
}

function readJob(route: string, body: unknown): SchemaJob {
  const resource = single(route, body);
  const status = resource.attributes.status;
  const error = resource.attributes.error;
  return { id: resource.id, status: typeof status === 'string' ? status : 'pending', error: typeof error === 'string' ? error : null };
}

export async function editSelectOptions(
  client: ClarifyClient,
  entity: string,
  field: string,
  change: { add?: string[]; rename?: Record<string, string> },
  call: CallOptions,
): Promise<SchemaJob> {
  const attributes: Record<string, unknown> = {};
  if (change.add && change.add.length > 0) attributes.add_options = change.add;
  if (change.rename && Object.keys(change.rename).length > 0) attributes.rename_options = change.rename;
  const body = { data: { type: 'schema-property', attributes } };
  const response = await client.sendAt(
    { method: 'PATCH', route: EXTRA_ROUTES.editOptions, relative: `/schemas/${seg(entity)}/properties/${seg(field)}`, body, mode: 'once' },
    call,
  );
  return readJob(EXTRA_ROUTES.editOptions, response?.body);
}

export async function getSchemaJob(client: ClarifyClient, id: string, call: CallOptions): Promise<SchemaJob | null> {
  const response = await client.sendAt({ method: 'GET', route: EXTRA_ROUTES.schemaJob, relative: `/schemas/jobs/${seg(id)}`, mode: 'idempotent', nullOn404: true }, call);
  return response === null ? null : readJob(EXTRA_ROUTES.schemaJob, response.body);
}
