import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type RunResult } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ maxUploadBytes: 1000 });
});
afterAll(async () => h.close());

const run = <T>(query: string, variables: Record<string, unknown> = {}): Promise<RunResult<T>> => h.run<T, Record<string, unknown>>(query, variables);

interface UserError {
  field: string[] | null;
  message: string;
  code: string;
}

async function firstId(object: string, query = ''): Promise<string> {
  const body = (await h.rest(`/objects/${object}/resources?page[limit]=1${query}`)) as { data: Array<{ id: string }> };
  return body.data[0]!.id;
}

describe('comments', () => {
  it('creates, reads (by id and on the timeline), updates and deletes a comment, one call each', async () => {
    const dealId = await firstId('deal');
    const created = await run<{ createComment: { comment: { id: string; clarifyId: string; recordId: string; recordObject: string; body: { plainText: string } }; userErrors: UserError[] } }>(
      'mutation($id: ID!) { createComment(input: { object: DEAL, recordId: $id, body: { plainText: "Line one\\nLine two" } }) { comment { id clarifyId recordId recordObject body { plainText } } userErrors { field message code } } }',
      { id: dealId },
    );
    expect(created.calls).toBe(1);
    expect(created.predicted).toBe(1);
    const comment = created.data.createComment.comment;
    expect(comment).toMatchObject({ recordId: dealId, recordObject: 'deal', body: { plainText: 'Line one\nLine two' } });

    const read = await run<{ comment: { body: { plainText: string } }; deal: { activities: { nodes: Array<{ commentId?: string }> } } }>(
      'query($c: ID!, $d: ID!) { comment(id: $c) { body { plainText } } deal(id: $d) { activities(first: 5) { nodes { ... on CommentActivity { commentId } } } } }',
      { c: comment.id, d: dealId },
    );
    expect(read.calls).toBe(3);
    expect(read.predicted).toBe(3);
    expect(read.data.deal.activities.nodes.some((node) => node.commentId === comment.clarifyId)).toBe(true);

    const updated = await run<{ updateComment: { comment: { body: { blocks: unknown[] } } } }>(
      'mutation($c: ID!) { updateComment(id: $c, body: { blocks: [{ type: "paragraph", content: [{ type: "text", text: "Edited" }] }] }) { comment { body { blocks plainText } } } }',
      { c: comment.id },
    );
    expect(updated.data.updateComment.comment.body.blocks).toHaveLength(1);

    const deleted = await run<{ deleteComment: { deletedId: string } }>('mutation($c: ID!) { deleteComment(id: $c) { deletedId userErrors { code } } }', { c: comment.id });
    expect(deleted.data.deleteComment.deletedId).toBe(comment.id);
    const gone = await run<{ comment: unknown }>('query($c: ID!) { comment(id: $c) { id } }', { c: comment.id });
    expect(gone.data.comment).toBeNull();
  });

  it('reports bad bodies and unknown records as userErrors at the input path', async () => {
    const dealId = await firstId('deal');
    const nested = await run<{ createComment: { comment: null; userErrors: UserError[] } }>(
      'mutation($id: ID!) { createComment(input: { object: DEAL, recordId: $id, body: { blocks: [{ type: "paragraph", children: [{ type: "paragraph" }] }] } }) { comment { id } userErrors { field message code } } }',
      { id: dealId },
    );
    expect(nested.data.createComment.userErrors).toEqual([expect.objectContaining({ field: ['input', 'body', 'blocks', '0', 'children'], code: 'VALIDATION' })]);
    const both = await run<{ createComment: { userErrors: UserError[] } }>(
      'mutation($id: ID!) { createComment(input: { object: DEAL, recordId: $id, body: { plainText: "x", blocks: [] } }) { userErrors { field code } } }',
      { id: dealId },
    );
    expect(both.calls).toBe(0);
    expect(both.data.createComment.userErrors).toEqual([{ field: ['input', 'body'], code: 'INVALID' }]);
    const unknown = await run<{ createComment: { userErrors: UserError[] } }>(
      'mutation { createComment(input: { object: DEAL, recordId: "00000000-0000-4000-8000-000000000000", body: { plainText: "x" } }) { userErrors { field code } } }',
    );
    expect(unknown.data.createComment.userErrors).toEqual([{ field: ['input', 'recordId'], code: 'NOT_FOUND' }]);
    const missing = await run<{ deleteComment: { deletedId: null; userErrors: UserError[] } }>(
      'mutation { deleteComment(id: "00000000-0000-4000-8000-000000000000") { deletedId userErrors { field code } } }',
    );
    expect(missing.data.deleteComment).toEqual({ deletedId: null, userErrors: [{ field: ['id'], code: 'NOT_FOUND' }] });
  });
});

describe('attachments', () => {
  it('uploads in two steps through the gateway, lists, downloads and removes the file', async () => {
    const dealId = await firstId('deal');
    const requested = await run<{ requestAttachmentUpload: { upload: { id: string; url: string; method: string; headers: Record<string, string>; expiresAt: string; maxSize: number } } }>(
      'mutation($id: ID!) { requestAttachmentUpload(input: { object: DEAL, recordId: $id, fileName: "plan.txt", contentType: "text/plain", size: 9 }) { upload { id url method headers expiresAt maxSize } userErrors { field } } }',
      { id: dealId },
    );
    const upload = requested.data.requestAttachmentUpload.upload;
    expect(upload).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'text/plain' }, maxSize: 9 });
    expect(new URL(upload.url).hostname).toBe('127.0.0.1');

    const early = await run<{ attachUploadedFile: { attachment: null; userErrors: UserError[] } }>(
      'mutation($id: ID!, $u: ID!) { attachUploadedFile(input: { object: DEAL, recordId: $id, uploadId: $u }) { attachment { id } userErrors { field code } } }',
      { id: dealId, u: upload.id },
    );
    expect(early.data.attachUploadedFile).toEqual({ attachment: null, userErrors: [{ field: ['input', 'uploadId'], code: 'INVALID' }] });

    const put = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: 'the plan!' });
    expect(put.status).toBe(200);
    const attached = await run<{ attachUploadedFile: { attachment: { id: string; fileName: string; size: number } } }>(
      'mutation($id: ID!, $u: ID!) { attachUploadedFile(input: { object: DEAL, recordId: $id, uploadId: $u }) { attachment { id fileName size } userErrors { field } } }',
      { id: dealId, u: upload.id },
    );
    const attachment = attached.data.attachUploadedFile.attachment;
    expect(attachment).toMatchObject({ fileName: 'plan.txt', size: 9 });

    const listed = await run<{ deal: { attachments: { nodes: Array<{ id: string }> } } }>('query($id: ID!) { deal(id: $id) { attachments { nodes { id } } } }', { id: dealId });
    expect(listed.data.deal.attachments.nodes.map((node) => node.id)).toContain(attachment.id);

    const removed = await run<{ removeAttachment: { removedId: string } }>(
      'mutation($id: ID!, $a: ID!) { removeAttachment(input: { object: DEAL, recordId: $id, attachmentId: $a }) { removedId userErrors { code } } }',
      { id: dealId, a: attachment.id },
    );
    expect(removed.data.removeAttachment.removedId).toBe(attachment.id);
  });

  it('refuses a file over the size limit with a userError at input.size', async () => {
    const dealId = await firstId('deal');
    const result = await run<{ requestAttachmentUpload: { upload: null; userErrors: UserError[] } }>(
      'mutation($id: ID!) { requestAttachmentUpload(input: { object: DEAL, recordId: $id, fileName: "big.bin", contentType: "application/octet-stream", size: 1001 }) { upload { id } userErrors { field message code } } }',
      { id: dealId },
    );
    expect(result.data.requestAttachmentUpload.upload).toBeNull();
    expect(result.data.requestAttachmentUpload.userErrors).toEqual([expect.objectContaining({ field: ['input', 'size'], code: 'VALIDATION' })]);
    expect(result.data.requestAttachmentUpload.userErrors[0]!.message).toMatch(/limit of 1000 bytes/);
  });
});

describe('merges', () => {
  it('mergePeople returns the survivor with the merged values; the source is then NOT_FOUND', async () => {
    const made = await run<{ createPeople: { results: Array<{ record: { id: string; clarifyId: string } }> } }>(
      'mutation { createPeople(inputs: [{ name: { fullName: "Dana Dup" }, emailAddresses: ["dana.one@example.com"] }, { name: { fullName: "Dana D" }, emailAddresses: ["dana.two@example.com"], jobTitle: "COO" }]) { results { record { id clarifyId } } } }',
    );
    const [into, source] = made.data.createPeople.results.map((result) => result.record.id);
    const merged = await run<{ mergePeople: { record: { id: string; jobTitle: string; emailAddresses: string[] }; userErrors: UserError[] } }>(
      'mutation($into: ID!, $s: [ID!]!) { mergePeople(into: $into, sources: $s) { record { id jobTitle emailAddresses } userErrors { field code } } }',
      { into, s: [source] },
    );
    expect(merged.calls).toBe(1);
    expect(merged.predicted).toBe(1);
    expect(merged.data.mergePeople).toEqual({
      record: { id: into, jobTitle: 'COO', emailAddresses: ['dana.one@example.com', 'dana.two@example.com'] },
      userErrors: [],
    });
    const after = await run<{ person: unknown; deletedPeople: { nodes: Array<{ id: string }> } }>('query($s: ID!) { person(id: $s) { id } deletedPeople { nodes { id } } }', { s: source });
    expect(after.data.person).toBeNull();
    expect(after.data.deletedPeople.nodes.map((node) => node.id)).toContain(made.data.createPeople.results[1]!.record.clarifyId);
  });

  it('points userErrors at the source that is unknown or the record itself, and exists only for mergeable objects', async () => {
    const into = await firstId('company');
    const unknown = await run<{ mergeCompanies: { record: null; userErrors: UserError[] } }>(
      'mutation($into: ID!) { mergeCompanies(into: $into, sources: ["00000000-0000-4000-8000-000000000000"]) { record { id } userErrors { field code } } }',
      { into },
    );
    expect(unknown.data.mergeCompanies).toEqual({ record: null, userErrors: [{ field: ['sources', '0'], code: 'NOT_FOUND' }] });
    const itself = await run<{ mergeCompanies: { userErrors: UserError[] } }>('mutation($into: ID!) { mergeCompanies(into: $into, sources: [$into]) { userErrors { field code } } }', { into });
    expect(itself.calls).toBe(0);
    expect(itself.data.mergeCompanies.userErrors).toEqual([{ field: ['sources', '0'], code: 'INVALID' }]);
    const fields = Object.keys(h.schema.getMutationType()!.getFields()).filter((name) => name.startsWith('merge'));
    expect(fields.sort()).toEqual(['mergeCompanies', 'mergeDeals', 'mergePeople']);
  });
});
