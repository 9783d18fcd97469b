import { listActivities } from './activities.js';
import { getAttachment, linkUpload, listAttachments, removeAttachment, requestUpload } from './attachments.js';
import { createComment, deleteComment, getComment, updateComment } from './comments.js';
import { listDeleted } from './deleted.js';
import { mergeRecords } from './merges.js';
import {
  addListRecords,
  createList,
  deleteList,
  getList,
  listAllLists,
  listListRecords,
  listObjectLists,
  removeListRecords,
  updateList,
} from './saved-lists.js';
import { getSchemaJob, updateSelectOptions } from './schema-jobs.js';
import type { Handler } from './handler.js';
import { addProperties, createObjectSchema, getSchemas, getUser, listUsers } from './meta-handlers.js';
import { bulkCreate, bulkDelete, bulkUpdate, createRecord, deleteRecord, getRecord, listResources, updateRecord } from './records.js';
import { deleteRelationship, getRelationship, patchRelationship } from './relationships.js';

export interface Route {
  method: string;
  /** Relative to the workspace base, e.g. `/objects/:object/resources`. */
  template: string;
  handler: Handler;
  segments: string[];
}

/** `"METHOD /template"`, the key used by stats, faults and rate limiting. */
export const routeKey = (route: Route): string => `${route.method} ${route.template}`;

const table: Array<[string, string, Handler]> = [
  ['GET', '/schemas', getSchemas],
  ['GET', '/schemas/jobs/:id', getSchemaJob],
  ['POST', '/schemas/objects', createObjectSchema],
  ['PATCH', '/schemas/:entity/properties/:field', updateSelectOptions],
  ['POST', '/schemas/:entity/properties', addProperties],
  ['GET', '/objects/:object/resources', listResources],
  ['GET', '/objects/:object/resources/:id', getRecord],
  ['GET', '/objects/:object/records/:id', getRecord],
  ['PATCH', '/objects/:object/records/:id', updateRecord],
  ['DELETE', '/objects/:object/records/:id', deleteRecord],
  ['POST', '/objects/:object/records', createRecord],
  ['POST', '/objects/:object/records/bulk', bulkCreate],
  ['PATCH', '/objects/:object/records', bulkUpdate],
  ['DELETE', '/objects/:object/records', bulkDelete],
  ['GET', '/objects/:object/records/:id/relationships/:rel', getRelationship],
  ['PATCH', '/objects/:object/records/:id/relationships/:rel', patchRelationship],
  ['DELETE', '/objects/:object/records/:id/relationships/:rel', deleteRelationship],
  ['GET', '/objects/:object/deleted-resources', listDeleted],
  ['POST', '/objects/:object/records/:id/merges', mergeRecords],
  ['GET', '/objects/:object/records/:id/activities', listActivities],
  ['POST', '/objects/:object/records/:id/attachments', requestUpload],
  ['GET', '/objects/:object/records/:id/attachments', listAttachments],
  ['PUT', '/objects/:object/records/:id/attachments/:attachment', linkUpload],
  ['GET', '/objects/:object/records/:id/attachments/:attachment', getAttachment],
  ['DELETE', '/objects/:object/records/:id/attachments/:attachment', removeAttachment],
  ['POST', '/comments', createComment],
  ['GET', '/comments/:id', getComment],
  ['PATCH', '/comments/:id', updateComment],
  ['DELETE', '/comments/:id', deleteComment],
  ['GET', '/lists', listAllLists],
  ['GET', '/objects/:object/lists', listObjectLists],
  ['POST', '/objects/:object/lists', createList],
  ['GET', '/objects/:object/lists/:list', getList],
  ['PATCH', '/objects/:object/lists/:list', updateList],
  ['DELETE', '/objects/:object/lists/:list', deleteList],
  ['GET', '/objects/:object/lists/:list/resources', listListRecords],
  ['POST', '/objects/:object/lists/:list/resources', addListRecords],
  ['DELETE', '/objects/:object/lists/:list/resources', removeListRecords],
  ['GET', '/users', listUsers],
  ['GET', '/users/:id', getUser],
];

export const ROUTES: Route[] = table.map(([method, template, handler]) => ({
  method,
  template,
  handler,
  segments: template.split('/').slice(1),
}));

export const ROUTE_KEYS: ReadonlySet<string> = new Set(ROUTES.map(routeKey));

export type RouteMatch =
  | { kind: 'route'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed'; template: string }
  | { kind: 'none' };

function matchSegments(route: Route, segments: string[]): Record<string, string> | undefined {
  if (route.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const pattern = route.segments[i]!;
    const segment = segments[i]!;
    if (pattern.startsWith(':')) params[pattern.slice(1)] = segment;
    else if (pattern !== segment) return undefined;
  }
  return params;
}

/** Literal segments win over parameters (`/schemas/objects` before `/schemas/:entity/...`). */
export function matchRoute(method: string, segments: string[]): RouteMatch {
  let otherMethod: Route | undefined;
  for (const route of ROUTES) {
    const params = matchSegments(route, segments);
    if (!params) continue;
    if (route.method === method) return { kind: 'route', route, params };
    otherMethod ??= route;
  }
  return otherMethod ? { kind: 'method-not-allowed', template: otherMethod.template } : { kind: 'none' };
}
