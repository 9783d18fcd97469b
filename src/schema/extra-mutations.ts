/**
 * Writes beside record writes: comments, the two-step file upload, file removal and merges.
 * Payloads carry `userErrors` for what Clarify rejects as the caller's input; other failures throw.
 */
import { COMMENT_KIND, encodeGlobalId } from '../plan/global-id.js';
import { GLOBAL_ID_DESCRIPTION } from './nodes.js';
import type { FieldMap, ObjectRef } from '@pothos/core';
import {
  createComment,
  deleteComment,
  getComment,
  linkUpload,
  mergeRecords,
  removeAttachment,
  requestUpload,
  updateComment,
} from '../client/record-extras.js';
import type { ClarifyResource } from '../client/types.js';
import type { GatewayContext } from '../loaders/request-context.js';
import type { GatewaySchemaTypes } from './core/builder.js';
import { ADMINISTRATIVE, recordsOf, type ClarifyFieldInfo } from '../plan/field-info.js';
import { plainTextBlocks } from './inputs.js';
import { referencing, writes } from './mutations.js';
import { claimRootField, recordObjectEnum, recordObjects } from './core/object-enum.js';
import type { RecordExtraTypes } from './record-extras.js';
import type { ObjectParts, SchemaRegistry } from './core/registry.js';
import { USER_ERROR_CODES, idsNamedIn, isClarifyError, isUserFacing, userErrorsFrom } from './core/user-errors.js';
import type { UserErrorValue } from './core/values.js';
import { richText, text } from './core/values.js';

type Types = PothosSchemaTypes.ExtendDefaultTypes<GatewaySchemaTypes>;

/** Objects whose duplicates Clarify merges. */
export const MERGEABLE_OBJECTS: readonly string[] = ['person', 'company', 'deal'];

interface CommentPayload {
  comment: ClarifyResource | null;
  userErrors: UserErrorValue[];
}
interface UploadValue {
  id: string;
  url: string;
  method: string;
  headers: unknown;
  expiresAt: string | null;
  maxSize: number | null;
}
interface UploadPayload {
  upload: UploadValue | null;
  userErrors: UserErrorValue[];
}
interface AttachmentPayload {
  attachment: ClarifyResource | null;
  userErrors: UserErrorValue[];
}
interface RemovedPayload {
  removedId: string | null;
  userErrors: UserErrorValue[];
}
interface MergePayload {
  record: ClarifyResource | null;
  userErrors: UserErrorValue[];
}

const camel = (segment: string): string => segment.replace(/_([a-z0-9])/g, (_m, letter: string) => letter.toUpperCase());

/** `/file_name` → `["input", "fileName"]`; `/body/2/children` → `["input", "body", "blocks", "2", "children"]`. */
function plainBodyPath(pointer: string | undefined): string[] {
  if (!pointer) return ['input'];
  const segments = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (segments[0] === 'body') return ['input', 'body', 'blocks', ...segments.slice(1)];
  return ['input', ...segments.map(camel)];
}

/** Runs a write; the caller's input problems come back as `userErrors`, anything else throws. */
async function asUserErrors<T>(write: () => Promise<T>, locate: (pointer: string | undefined, message: string) => string[] | null): Promise<{ value?: T; userErrors: UserErrorValue[] }> {
  try {
    return { value: await write(), userErrors: [] };
  } catch (error) {
    if (!isUserFacing(error)) throw error;
    const issues = error.issues.length > 0 ? error.issues : [{ detail: error.message }];
    return { userErrors: issues.map((issue) => ({ field: locate(issue.pointer, issue.detail), message: issue.detail, code: error.code })) };
  }
}

/** Blocks from `{plainText}` or `{blocks}`, or a user error. */
function commentBlocks(body: { plainText?: string | null; blocks?: unknown } | null | undefined): unknown[] | UserErrorValue {
  const hasText = typeof body?.plainText === 'string';
  const hasBlocks = body?.blocks !== undefined && body?.blocks !== null;
  if (hasText === hasBlocks) return { field: ['input', 'body'], message: 'Give plainText or blocks, one of them.', code: USER_ERROR_CODES.invalid };
  if (hasBlocks) {
    return Array.isArray(body!.blocks) ? body!.blocks : { field: ['input', 'body', 'blocks'], message: 'blocks must be a list of BlockNote blocks.', code: USER_ERROR_CODES.invalid };
  }
  return plainTextBlocks(body!.plainText!);
}

export function addExtraMutations(registry: SchemaRegistry, extras: RecordExtraTypes): void {
  const builder = registry.builder;
  const userError = registry.userError;
  if (!userError) return;
  const objectEnum = recordObjectEnum(registry);

  registry.nodeTypes.set(COMMENT_KIND, 'Comment');
  const comment = builder.objectRef<ClarifyResource>('Comment').implement({
    extensions: recordsOf('comment'),
    description: 'A comment on a record. Read one by id, or a record\'s comments from its `activities` (`CommentActivity`).',
    ...(registry.node ? { interfaces: [registry.node] } : {}),
    fields: (t) => ({
      id: t.id({ nullable: false, description: GLOBAL_ID_DESCRIPTION, resolve: (c) => encodeGlobalId(COMMENT_KIND, c.id) }),
      clarifyId: t.exposeID('id', { nullable: false, description: 'The comment id Clarify uses.' }),
      recordId: t.id({ resolve: (c) => text(c.attributes.record_id) }),
      recordObject: t.string({ description: 'The object slug of the record, e.g. `deal`.', resolve: (c) => text(c.attributes.object) }),
      body: t.field({ type: registry.richText!, resolve: (c) => (Array.isArray(c.attributes.body) ? richText({ text: c.attributes.body }) : null) }),
      createdAt: t.field({ type: 'DateTime', resolve: (c) => text(c.attributes._created_at) }),
      createdById: t.string({ resolve: (c) => text(c.attributes._created_by) }),
      updatedAt: t.field({ type: 'DateTime', resolve: (c) => text(c.attributes._updated_at) }),
    }),
  });
  const bodyInput = builder.inputType('CommentBodyInput', {
    description: 'A comment body: `plainText` (one paragraph per line) or a flat list of BlockNote `blocks` (no nested children), not both.',
    fields: (t) => ({ plainText: t.string(), blocks: t.field({ type: 'JSON' }) }),
  });
  const commentPayload = builder.objectRef<CommentPayload>('CommentPayload').implement({
    fields: (t) => ({
      comment: t.field({ type: comment, resolve: (p) => p.comment }),
      userErrors: t.field({ type: [userError], nullable: false, resolve: (p) => p.userErrors }),
    }),
  });
  const deleteCommentPayload = builder.objectRef<RemovedPayload>('DeleteCommentPayload').implement({
    fields: (t) => ({
      deletedId: t.id({ description: 'The global id of the deleted comment.', resolve: (p) => (p.removedId === null ? null : encodeGlobalId(COMMENT_KIND, p.removedId)) }),
      userErrors: t.field({ type: [userError], nullable: false, resolve: (p) => p.userErrors }),
    }),
  });
  const upload = builder.objectRef<UploadValue>('AttachmentUpload').implement({
    description: 'Where to send a file: PUT its bytes to `url` with `headers` before `expiresAt`, then call `attachUploadedFile` with `id`.',
    fields: (t) => ({
      id: t.exposeID('id', { nullable: false }),
      url: t.exposeString('url', { nullable: false, description: 'Signed URL; needs no credential.' }),
      method: t.exposeString('method', { nullable: false }),
      headers: t.field({ type: 'JSON', nullable: false, resolve: (u) => u.headers ?? {} }),
      expiresAt: t.field({ type: 'DateTime', resolve: (u) => u.expiresAt }),
      maxSize: t.int({ description: 'The bytes the upload must carry.', resolve: (u) => u.maxSize }),
    }),
  });
  const uploadPayload = builder.objectRef<UploadPayload>('RequestAttachmentUploadPayload').implement({
    fields: (t) => ({
      upload: t.field({ type: upload, resolve: (p) => p.upload }),
      userErrors: t.field({ type: [userError], nullable: false, resolve: (p) => p.userErrors }),
    }),
  });
  const attachmentPayload = builder.objectRef<AttachmentPayload>('AttachmentPayload').implement({
    fields: (t) => ({
      attachment: t.field({ type: extras.attachment, resolve: (p) => p.attachment }),
      userErrors: t.field({ type: [userError], nullable: false, resolve: (p) => p.userErrors }),
    }),
  });
  const removePayload = builder.objectRef<RemovedPayload>('RemoveAttachmentPayload').implement({
    fields: (t) => ({
      removedId: t.id({ resolve: (p) => p.removedId }),
      userErrors: t.field({ type: [userError], nullable: false, resolve: (p) => p.userErrors }),
    }),
  });
  const uploadInput = builder.inputType('RequestAttachmentUploadInput', {
    fields: (t) => ({
      object: t.field({ type: objectEnum, required: true }),
      recordId: t.id({ required: true }),
      fileName: t.string({ required: true }),
      contentType: t.string({ required: true, description: 'Media type, e.g. `application/pdf`.' }),
      size: t.int({ required: true, description: 'Exact size in bytes; Clarify refuses files over its limit.' }),
    }),
  });
  const attachInput = builder.inputType('AttachUploadedFileInput', {
    fields: (t) => ({
      object: t.field({ type: objectEnum, required: true }),
      recordId: t.id({ required: true }),
      uploadId: t.id({ required: true, description: 'The `id` of the `AttachmentUpload`.' }),
    }),
  });
  const removeInput = builder.inputType('RemoveAttachmentInput', {
    fields: (t) => ({
      object: t.field({ type: objectEnum, required: true }),
      recordId: t.id({ required: true }),
      attachmentId: t.id({ required: true }),
    }),
  });
  const commentInput = builder.inputType('CreateCommentInput', {
    fields: (t) => ({
      object: t.field({ type: objectEnum, required: true }),
      recordId: t.id({ required: true }),
      body: t.field({ type: bodyInput, required: true }),
    }),
  });

  const single: ClarifyFieldInfo = { role: 'single', object: 'comment' };
  builder.queryFields((t) => ({
    [claimRootField(registry, 'query', 'comment')]: t.field({
      type: comment,
      description: 'One comment by id; null when there is none. (Clarify has no list of comments: a record\'s comments are in its `activities`.)',
      args: { id: t.arg.id({ required: true }) },
      extensions: { clarify: single },
      resolve: (_root, args, ctx) => getComment(ctx.client, args.id, ctx.call),
    }),
  }));

  const mergeable = recordObjects(registry).filter((parts) => MERGEABLE_OBJECTS.includes(parts.object.slug));
  const mergePayloads = new Map(
    mergeable.map((parts) => [
      parts.object.slug,
      builder.objectRef<MergePayload>(registry.claim(`Merge${parts.names.pluralType}Payload`)).implement({
        fields: (t) => ({
          record: t.field({ type: parts.ref, description: 'The surviving record, with the merged values.', resolve: (p) => p.record }),
          userErrors: t.field({ type: [userError], nullable: false, resolve: (p) => p.userErrors }),
        }),
      }) as ObjectRef<Types, MergePayload>,
    ]),
  );

  builder.mutationFields((t) => {
    const fields: FieldMap = {};
    const name = (wanted: string): string => claimRootField(registry, 'mutation', wanted);
    fields[name('createComment')] = t.field({
      type: commentPayload,
      nullable: false,
      description: 'Comments on a record.',
      args: { input: t.arg({ type: commentInput, required: true }) },
      extensions: writes(one, [{ change: 'timeline', object: 'arg:input.object', ids: 'input.recordId' }]),
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
      type: commentPayload,
      nullable: false,
      description: "Replaces a comment's body.",
      args: { id: t.arg.id({ required: true }), body: t.arg({ type: bodyInput, required: true }) },
      extensions: writes(one, [{ change: 'comments', ids: 'id' }]),
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
      type: deleteCommentPayload,
      nullable: false,
      args: { id: t.arg.id({ required: true }) },
      extensions: writes(one, [{ change: 'comments', ids: 'id' }]),
      resolve: async (_root, args, ctx) => {
        const result = await asUserErrors(() => deleteComment(ctx.client, args.id, ctx.call), () => ['id']);
        return { removedId: result.userErrors.length === 0 ? args.id : null, userErrors: result.userErrors };
      },
    });
    fields[name('requestAttachmentUpload')] = t.field({
      type: uploadPayload,
      nullable: false,
      description: 'Step 1 of attaching a file: a signed URL to PUT the bytes to.',
      args: { input: t.arg({ type: uploadInput, required: true }) },
      // An upload not yet linked shows nowhere.
      extensions: writes(one, []),
      resolve: async (_root, { input }, ctx) => {
        if (input.size < 1) return { upload: null, userErrors: [{ field: ['input', 'size'], message: 'size must be at least 1 byte.', code: USER_ERROR_CODES.invalid }] };
        const result = await asUserErrors(
          () => requestUpload(ctx.client, input.object, input.recordId, { fileName: input.fileName, contentType: input.contentType, size: input.size }, ctx.call),
          (pointer) => (pointer === undefined ? ['input', 'recordId'] : plainBodyPath(pointer)),
        );
        const found = result.value;
        if (!found) return { upload: null, userErrors: result.userErrors };
        const attributes = found.attributes;
        const value: UploadValue = {
          id: found.id,
          url: text(attributes.upload_url) ?? '',
          method: text(attributes.method) ?? 'PUT',
          headers: attributes.headers ?? {},
          expiresAt: text(attributes.expires_at),
          maxSize: typeof attributes.max_size === 'number' ? attributes.max_size : null,
        };
        return { upload: value, userErrors: [] };
      },
    });
    fields[name('attachUploadedFile')] = t.field({
      type: attachmentPayload,
      nullable: false,
      description: 'Step 2 of attaching a file: links the uploaded bytes to the record.',
      args: { input: t.arg({ type: attachInput, required: true }) },
      extensions: writes(one, [{ change: 'timeline', object: 'arg:input.object', ids: 'input.recordId' }]),
      resolve: async (_root, { input }, ctx) => {
        try {
          const result = await asUserErrors(() => linkUpload(ctx.client, input.object, input.recordId, input.uploadId, ctx.call), () => ['input', 'uploadId']);
          return { attachment: result.value ?? null, userErrors: result.userErrors };
        } catch (error) {
          // 409: the bytes have not arrived yet, or the upload is linked already; the caller can act on both.
          if (!isClarifyError(error) || error.code !== 'CONFLICT') throw error;
          const message = error.issues[0]?.detail ?? 'The upload has not received its file, or is already linked.';
          return { attachment: null, userErrors: [{ field: ['input', 'uploadId'], message, code: USER_ERROR_CODES.invalid }] };
        }
      },
    });
    fields[name('removeAttachment')] = t.field({
      type: removePayload,
      nullable: false,
      args: { input: t.arg({ type: removeInput, required: true }) },
      extensions: writes(one, [
        { change: 'timeline', object: 'arg:input.object', ids: 'input.recordId' },
        { change: 'records', object: 'attachment', ids: 'input.attachmentId' },
      ]),
      resolve: async (_root, { input }, ctx) => {
        const result = await asUserErrors(() => removeAttachment(ctx.client, input.object, input.recordId, input.attachmentId, ctx.call), () => ['input', 'attachmentId']);
        return { removedId: result.userErrors.length === 0 ? input.attachmentId : null, userErrors: result.userErrors };
      },
    });
    for (const parts of mergeable) {
      fields[name(`merge${parts.names.pluralType}`)] = mergeField(t, parts, mergePayloads.get(parts.object.slug)!, referencing(registry, parts.object.slug));
    }
    return fields;
  });
}

type MutationFieldBuilder = PothosSchemaTypes.MutationFieldBuilder<Types, object>;

/** These writes make one upstream call each. */
const one = (): number => 1;

function mergeField(t: MutationFieldBuilder, parts: ObjectParts, payload: ObjectRef<Types, MergePayload>, referencedBy: string[]): FieldMap[string] {
  const slug = parts.object.slug;
  return t.field({
    type: payload,
    nullable: false,
    description: `Merges duplicate ${parts.object.plural} into one. Its empty fields take the sources' values, collections are united, links, comments and files move over; the sources are deleted (and listed by \`deleted${parts.names.pluralType}\`).`,
    args: { into: t.arg.id({ required: true, description: 'The record that survives.' }), sources: t.arg.idList({ required: true, description: 'The records merged into it.' }) },
    // The survivor takes the sources' values, links, comments and files; the sources are deleted.
    extensions: {
      ...writes(one, [
        { change: 'records', object: slug, ids: 'into' },
        { change: 'deleted', object: slug, ids: 'sources[]', referencedBy },
      ]),
      ...ADMINISTRATIVE,
    },
    resolve: async (_root, args, ctx: GatewayContext) => {
      const sources = args.sources;
      if (sources.length === 0) return { record: null, userErrors: [{ field: ['sources'], message: 'Name at least one record to merge.', code: USER_ERROR_CODES.required }] };
      const self = sources.indexOf(args.into);
      if (self !== -1) return { record: null, userErrors: [{ field: ['sources', String(self)], message: 'A record cannot be merged into itself.', code: USER_ERROR_CODES.invalid }] };
      try {
        const record = await mergeRecords(ctx.client, parts.object.slug, args.into, sources, ctx.call);
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
    },
  });
}
