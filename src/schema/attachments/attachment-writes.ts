/**
 * Writes of files: the two-step upload (`requestAttachmentUpload`, then `attachUploadedFile`) and
 * `removeAttachment`. Payloads carry `userErrors` for what Clarify rejects as the caller's input.
 */
import type { FieldMap, ObjectRef } from '@pothos/core';
import { linkUpload, removeAttachment, requestUpload } from '../../client/record-extras.js';
import type { ClarifyResource } from '../../client/types.js';
import type { GatewaySchemaTypes } from '../core/builder.js';
import { recordObjectEnum } from '../core/object-enum.js';
import { writes } from '../core/plan-entry.js';
import type { SchemaRegistry } from '../core/registry.js';
import { USER_ERROR_CODES, asUserErrors, isClarifyError, plainBodyPath } from '../core/user-errors.js';
import { text, type UserErrorValue } from '../core/values.js';

type Types = PothosSchemaTypes.ExtendDefaultTypes<GatewaySchemaTypes>;

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

/** The upload, attach and remove mutations, once `addMutations` made `UserError`. */
export function addAttachmentWrites(registry: SchemaRegistry, attachment: ObjectRef<Types, ClarifyResource>): void {
  const userError = registry.userError;
  if (!userError) return;
  const { uploadPayload, attachmentPayload, removePayload, uploadInput, attachInput, removeInput } = writeTypes(registry, attachment, userError);
  registry.builder.mutationFields((t) => {
    const fields: FieldMap = {};
    const name = (wanted: string): string => registry.claimRootField('mutation', wanted);
    fields[name('requestAttachmentUpload')] = t.field({
      type: uploadPayload,
      nullable: false,
      description: 'Step 1 of attaching a file: a signed URL to PUT the bytes to.',
      args: { input: t.arg({ type: uploadInput, required: true }) },
      // An upload not yet linked shows nowhere.
      extensions: writes(() => 1, []),
      resolve: async (_root, { input }, ctx) => {
        if (input.size < 1) return { upload: null, userErrors: [{ field: ['input', 'size'], message: 'size must be at least 1 byte.', code: USER_ERROR_CODES.invalid }] };
        const result = await asUserErrors(
          () => requestUpload(ctx.client, input.object, input.recordId, { fileName: input.fileName, contentType: input.contentType, size: input.size }, ctx.call),
          (pointer) => (pointer === undefined ? ['input', 'recordId'] : plainBodyPath(pointer)),
        );
        const found = result.value;
        return { upload: found ? uploadValue(found) : null, userErrors: result.userErrors };
      },
    });
    fields[name('attachUploadedFile')] = t.field({
      type: attachmentPayload,
      nullable: false,
      description: 'Step 2 of attaching a file: links the uploaded bytes to the record.',
      args: { input: t.arg({ type: attachInput, required: true }) },
      extensions: writes(() => 1, [{ change: 'timeline', object: 'arg:input.object', ids: 'input.recordId' }]),
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
      extensions: writes(() => 1, [
        { change: 'timeline', object: 'arg:input.object', ids: 'input.recordId' },
        { change: 'records', object: 'attachment', ids: 'input.attachmentId' },
      ]),
      resolve: async (_root, { input }, ctx) => {
        const result = await asUserErrors(() => removeAttachment(ctx.client, input.object, input.recordId, input.attachmentId, ctx.call), () => ['input', 'attachmentId']);
        return { removedId: result.userErrors.length === 0 ? input.attachmentId : null, userErrors: result.userErrors };
      },
    });
    return fields;
  });
}

/** The payloads and inputs of the file writes. */
function writeTypes(registry: SchemaRegistry, attachment: ObjectRef<Types, ClarifyResource>, userError: ObjectRef<Types, UserErrorValue>) {
  const builder = registry.builder;
  const objectEnum = recordObjectEnum(registry);
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
      attachment: t.field({ type: attachment, resolve: (p) => p.attachment }),
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
  return { uploadPayload, attachmentPayload, removePayload, uploadInput, attachInput, removeInput };
}

function uploadValue(found: ClarifyResource): UploadValue {
  const attributes = found.attributes;
  return {
    id: found.id,
    url: text(attributes.upload_url) ?? '',
    method: text(attributes.method) ?? 'PUT',
    headers: attributes.headers ?? {},
    expiresAt: text(attributes.expires_at),
    maxSize: typeof attributes.max_size === 'number' ? attributes.max_size : null,
  };
}
