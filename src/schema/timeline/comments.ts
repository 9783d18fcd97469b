/**
 * Comments on records: the `Comment` type (a node), `comment(id)`, and `createComment`,
 * `updateComment`, `deleteComment`. A record's comments are read through its `activities`.
 */
import type { FieldMap, ObjectRef } from '@pothos/core';
import { createComment, deleteComment, getComment, updateComment } from '../../client/record-extras.js';
import type { ClarifyResource } from '../../client/types.js';
import { recordsOf, type ClarifyFieldInfo } from '../../plan/field-info.js';
import { COMMENT_KIND, encodeGlobalId } from '../../plan/global-id.js';
import type { GatewaySchemaTypes } from '../core/builder.js';
import { GLOBAL_ID_DESCRIPTION } from '../core/nodes.js';
import { recordObjectEnum, recordObjects } from '../core/object-enum.js';
import { writes } from '../core/plan-entry.js';
import type { SchemaRegistry } from '../core/registry.js';
import { USER_ERROR_CODES, asUserErrors, plainBodyPath } from '../core/user-errors.js';
import { plainTextBlocks, richText, text, type RichTextValue, type UserErrorValue } from '../core/values.js';

type Types = PothosSchemaTypes.ExtendDefaultTypes<GatewaySchemaTypes>;

interface CommentPayload {
  comment: ClarifyResource | null;
  userErrors: UserErrorValue[];
}
interface DeleteCommentPayload {
  removedId: string | null;
  userErrors: UserErrorValue[];
}

/** Blocks from `{plainText}` or `{blocks}`, or a user error. */
function commentBlocks(body: { plainText?: string | null; blocks?: unknown } | null | undefined): unknown[] | UserErrorValue {
  const plainText = body?.plainText;
  const blocks = body?.blocks;
  const hasText = typeof plainText === 'string';
  const hasBlocks = blocks !== undefined && blocks !== null;
  if (hasText === hasBlocks) return { field: ['input', 'body'], message: 'Give plainText or blocks, one of them.', code: USER_ERROR_CODES.invalid };
  if (typeof plainText === 'string') return plainTextBlocks(plainText);
  return Array.isArray(blocks) ? blocks : { field: ['input', 'body', 'blocks'], message: 'blocks must be a list of BlockNote blocks.', code: USER_ERROR_CODES.invalid };
}

export function addComments(registry: SchemaRegistry): void {
  const richTextRef = registry.richText;
  const userError = registry.userError;
  if (recordObjects(registry).length === 0 || !richTextRef || !userError) return;
  const comment = commentType(registry, richTextRef);
  const single: ClarifyFieldInfo = { role: 'single', object: 'comment' };
  registry.builder.queryFields((t) => ({
    [registry.claimRootField('query', 'comment')]: t.field({
      type: comment,
      description: 'One comment by id; null when there is none. (Clarify has no list of comments: a record\'s comments are in its `activities`.)',
      args: { id: t.arg.id({ required: true }) },
      extensions: { clarify: single },
      resolve: (_root, args, ctx) => getComment(ctx.client, args.id, ctx.call),
    }),
  }));
  addCommentMutations(registry, comment, userError);
}

function commentType(registry: SchemaRegistry, richTextRef: ObjectRef<Types, RichTextValue>): ObjectRef<Types, ClarifyResource> {
  registry.nodeTypes.set(COMMENT_KIND, 'Comment');
  return registry.builder.objectRef<ClarifyResource>('Comment').implement({
    extensions: recordsOf('comment'),
    description: 'A comment on a record. Read one by id, or a record\'s comments from its `activities` (`CommentActivity`).',
    ...(registry.node ? { interfaces: [registry.node] } : {}),
    fields: (t) => ({
      id: t.id({ nullable: false, description: GLOBAL_ID_DESCRIPTION, resolve: (c) => encodeGlobalId(COMMENT_KIND, c.id) }),
      clarifyId: t.exposeID('id', { nullable: false, description: 'The comment id Clarify uses.' }),
      recordId: t.id({ resolve: (c) => text(c.attributes.record_id) }),
      recordObject: t.string({ description: 'The object slug of the record, e.g. `deal`.', resolve: (c) => text(c.attributes.object) }),
      body: t.field({ type: richTextRef, resolve: (c) => (Array.isArray(c.attributes.body) ? richText({ text: c.attributes.body }) : null) }),
      createdAt: t.field({ type: 'DateTime', resolve: (c) => text(c.attributes._created_at) }),
      createdById: t.string({ resolve: (c) => text(c.attributes._created_by) }),
      updatedAt: t.field({ type: 'DateTime', resolve: (c) => text(c.attributes._updated_at) }),
    }),
  });
}

function addCommentMutations(registry: SchemaRegistry, comment: ObjectRef<Types, ClarifyResource>, userError: ObjectRef<Types, UserErrorValue>): void {
  const builder = registry.builder;
  const bodyInput = builder.inputType('CommentBodyInput', {
    description: 'A comment body: `plainText` (one paragraph per line) or a flat list of BlockNote `blocks` (no nested children), not both.',
    fields: (t) => ({ plainText: t.string(), blocks: t.field({ type: 'JSON' }) }),
  });
  const commentInput = builder.inputType('CreateCommentInput', {
    fields: (t) => ({
      object: t.field({ type: recordObjectEnum(registry), required: true }),
      recordId: t.id({ required: true }),
      body: t.field({ type: bodyInput, required: true }),
    }),
  });
  const payload = builder.objectRef<CommentPayload>('CommentPayload').implement({
    fields: (t) => ({
      comment: t.field({ type: comment, resolve: (p) => p.comment }),
      userErrors: t.field({ type: [userError], nullable: false, resolve: (p) => p.userErrors }),
    }),
  });
  const deletePayload = builder.objectRef<DeleteCommentPayload>('DeleteCommentPayload').implement({
    fields: (t) => ({
      deletedId: t.id({ description: 'The global id of the deleted comment.', resolve: (p) => (p.removedId === null ? null : encodeGlobalId(COMMENT_KIND, p.removedId)) }),
      userErrors: t.field({ type: [userError], nullable: false, resolve: (p) => p.userErrors }),
    }),
  });

  builder.mutationFields((t) => {
    const fields: FieldMap = {};
    const name = (wanted: string): string => registry.claimRootField('mutation', wanted);
    fields[name('createComment')] = t.field({
      type: payload,
      nullable: false,
      description: 'Comments on a record.',
      args: { input: t.arg({ type: commentInput, required: true }) },
      extensions: writes(() => 1, [{ change: 'timeline', object: 'arg:input.object', ids: 'input.recordId' }]),
      resolve: async (_root, { input }, ctx) => {
        const blocks = commentBlocks(input.body);
        if (!Array.isArray(blocks)) return { comment: null, userErrors: [blocks] };
        const result = await asUserErrors(
          () => createComment(ctx.client, input.object, input.recordId, blocks, ctx.call),
          (pointer) => (pointer === '/record_id' || pointer === undefined ? ['input', 'recordId'] : plainBodyPath(pointer)),
        );
        return { comment: result.value ?? null, userErrors: result.userErrors };
      },
    });
    fields[name('updateComment')] = t.field({
      type: payload,
      nullable: false,
      description: "Replaces a comment's body.",
      args: { id: t.arg.id({ required: true }), body: t.arg({ type: bodyInput, required: true }) },
      extensions: writes(() => 1, [{ change: 'comments', ids: 'id' }]),
      resolve: async (_root, args, ctx) => {
        const blocks = commentBlocks(args.body);
        if (!Array.isArray(blocks)) return { comment: null, userErrors: [{ ...blocks, field: ['body', ...(blocks.field ?? []).slice(2)] }] };
        const result = await asUserErrors(
          () => updateComment(ctx.client, args.id, blocks, ctx.call),
          (pointer) => (pointer === undefined ? ['id'] : ['body', ...plainBodyPath(pointer).slice(2)]),
        );
        return { comment: result.value ?? null, userErrors: result.userErrors };
      },
    });
    fields[name('deleteComment')] = t.field({
      type: deletePayload,
      nullable: false,
      args: { id: t.arg.id({ required: true }) },
      extensions: writes(() => 1, [{ change: 'comments', ids: 'id' }]),
      resolve: async (_root, args, ctx) => {
        const result = await asUserErrors(() => deleteComment(ctx.client, args.id, ctx.call), () => ['id']);
        return { removedId: result.userErrors.length === 0 ? args.id : null, userErrors: result.userErrors };
      },
    });
    return fields;
  });
}
