import { randomUUID } from 'node:crypto';
import { badRequest, invalid, notFound } from './errors.js';
import type { Comment } from './extras.js';
import { stamp, type HandlerContext, type HandlerResult } from './handler.js';
import { isObject } from './schema-registry.js';

export const MAX_COMMENT_BLOCKS = 500;

function render(comment: Comment): unknown {
  return {
    type: 'comment',
    id: comment.id,
    attributes: {
      _id: comment.id,
      object: comment.object,
      record_id: comment.recordId,
      body: comment.body,
      _created_at: comment.createdAt,
      _created_by: comment.createdBy,
      _updated_at: comment.updatedAt,
      _updated_by: comment.updatedBy,
    },
  };
}

/** A flat BlockNote block list: blocks with a string `type`, inline `content`, and no nested `children`. */
function parseBody(body: unknown, pointer: string): unknown[] {
  if (!Array.isArray(body)) throw invalid('body must be an array of BlockNote blocks', pointer);
  if (body.length === 0) throw invalid('body must hold at least one block', pointer);
  if (body.length > MAX_COMMENT_BLOCKS) throw invalid(`body holds at most ${MAX_COMMENT_BLOCKS} blocks`, pointer);
  body.forEach((block, index) => {
    const at = `${pointer}/${index}`;
    if (!isObject(block) || typeof block.type !== 'string' || block.type === '') throw invalid('each block needs a string "type"', at);
    if (Array.isArray(block.children) && block.children.length > 0) {
      throw invalid('comment bodies are flat: blocks may not have children', `${at}/children`);
    }
    if (block.content !== undefined && !Array.isArray(block.content) && typeof block.content !== 'string') {
      throw invalid('content must be an array of inline items or a string', `${at}/content`);
    }
  });
  return body;
}

function commentOf(context: HandlerContext): Comment {
  const id = context.params.id ?? '';
  const comment = context.workspace.extras.comments.get(id);
  if (!comment) throw notFound(`No comment with id "${id}"`);
  return comment;
}

/** `POST /comments` with `{object, record_id, body}`. */
export function createComment(context: HandlerContext): HandlerResult {
  const body = context.body();
  if (!isObject(body)) throw badRequest('The request body must be {"object", "record_id", "body"}');
  const { registry, store, extras } = context.workspace;
  if (typeof body.object !== 'string') throw invalid('object must be an object slug such as "deal"', '/object');
  if (typeof body.record_id !== 'string') throw invalid('record_id must be a record id', '/record_id');
  const object = registry.recordObject(body.object);
  if (!store.get(object.slug, body.record_id)) throw notFound(`No ${object.slug} with id "${body.record_id}"`);
  const blocks = parseBody(body.body, '/body');
  const time = stamp(context);
  const comment: Comment = {
    id: randomUUID(),
    object: object.slug,
    recordId: body.record_id,
    body: blocks,
    createdAt: time._updated_at,
    createdBy: time._updated_by,
    updatedAt: time._updated_at,
    updatedBy: time._updated_by,
  };
  extras.comments.set(comment.id, comment);
  store.logActivity(comment.recordId, 'comment_created', time, { comment_id: comment.id });
  return { status: 201, body: { data: render(comment) } };
}

export function getComment(context: HandlerContext): HandlerResult {
  return { status: 200, body: { data: render(commentOf(context)) } };
}

/** `PATCH /comments/{id}` with `{body}`: replaces the body. */
export function updateComment(context: HandlerContext): HandlerResult {
  const comment = commentOf(context);
  const body = context.body();
  if (!isObject(body) || !('body' in body)) throw badRequest('The request body must be {"body": [blocks]}', { pointer: '/body' });
  comment.body = parseBody(body.body, '/body');
  const time = stamp(context);
  comment.updatedAt = time._updated_at;
  comment.updatedBy = time._updated_by;
  return { status: 200, body: { data: render(comment) } };
}

export function deleteComment(context: HandlerContext): HandlerResult {
  const comment = commentOf(context);
  const { store, extras } = context.workspace;
  extras.comments.delete(comment.id);
  const log = store.activities.get(comment.recordId);
  if (log) store.activities.set(comment.recordId, log.filter((entry) => entry.details.comment_id !== comment.id));
  return { status: 204 };
}
