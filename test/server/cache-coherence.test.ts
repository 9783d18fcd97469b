import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { startHoldProxy, type HoldProxy } from '../helpers/hold-proxy.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { gatewayOver, graphql, type GraphQLResponse } from '../helpers/gateway.js';

// Two gateway replicas sharing one real redis-server, over one sandbox reached through a relay
// that can hold back an answer. Every case: B caches a read (a second read costs 0 calls), A
// acknowledges a write, and B's next read shows the write.

let redis: TestRedis;
let sandbox: RunningSandbox;
let proxy: HoldProxy;
let a: Gateway;
let b: Gateway;

const calls = (response: GraphQLResponse): number => (response.body.extensions?.['cost'] as { actualCalls: number }).actualCalls;

async function ok(gateway: Gateway, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
  const response = await graphql(gateway, query, variables ? { variables } : {});
  expect(response.body.errors, response.text).toBeUndefined();
  expect(response.status, response.text).toBe(200);
  return response;
}

/** Reads on B until the answer is cached: the second read costs 0 calls and matches the first. */
async function cachedOnB(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
  const first = await ok(b, query, variables);
  const second = await ok(b, query, variables);
  expect(calls(second)).toBe(0);
  expect(second.body.data).toEqual(first.body.data);
  return first;
}

async function rest<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sandbox.apiUrl}/workspaces/${sandbox.workspace}${path}`, {
    method,
    headers: { authorization: `api-key ${sandbox.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as T;
}

async function someIds(object: string, count: number): Promise<string[]> {
  const page = await rest<{ data: { id: string }[] }>('GET', `/objects/${object}/resources?page[limit]=${count}`);
  return page.data.map((record) => record.id);
}

beforeAll(async () => {
  redis = await startRedis();
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1', rateLimitPerMinute: 1_000_000 });
  proxy = await startHoldProxy(sandbox.origin);
  const options = { apiUrl: `${proxy.origin}/v1`, redis: { url: redis.url, keyPrefix: 'coherence:' }, cache: { ttlSeconds: 120 } };
  [a, b] = await Promise.all([gatewayOver(sandbox, options), gatewayOver(sandbox, options)]);
  await vi.waitFor(() => expect(a.redis?.available() && b.redis?.available()).toBe(true), { timeout: 10_000 });
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await proxy?.close();
  await sandbox?.close();
  await redis?.stop();
});

describe('no stale answer after a write acknowledged by another replica', () => {
  it('updateComment selecting only userErrors, then comment(id)', async () => {
    const [dealId] = await someIds('deal', 1);
    const created = await ok(a, 'mutation($id: ID!) { createComment(input: { object: DEAL, recordId: $id, body: { plainText: "before" } }) { comment { id } } }', { id: dealId });
    const commentId = (created.body.data?.['createComment'] as { comment: { id: string } }).comment.id;
    const read = `{ comment(id: "${commentId}") { body { plainText } } }`;
    expect((await cachedOnB(read)).body.data).toEqual({ comment: { body: { plainText: 'before' } } });
    const update = await ok(a, 'mutation($id: ID!) { updateComment(id: $id, body: { plainText: "after" }) { userErrors { message } } }', { id: commentId });
    expect(update.body.data).toEqual({ updateComment: { userErrors: [] } });
    const after = await ok(b, read);
    expect(after.body.data).toEqual({ comment: { body: { plainText: 'after' } } });
    expect(calls(after)).toBe(1);
  });

  it('createComment, then the record activities', async () => {
    const [, dealId] = await someIds('deal', 2);
    const read = 'query($id: ID!) { deal(id: $id) { activities(first: 50) { totalCount } } }';
    const before = await cachedOnB(read, { id: dealId });
    const count = (response: GraphQLResponse) => (response.body.data?.['deal'] as { activities: { totalCount: number } }).activities.totalCount;
    await ok(a, `mutation { createComment(input: { object: DEAL, recordId: "${dealId}", body: { plainText: "new" } }) { userErrors { message } } }`);
    const after = await ok(b, read, { id: dealId });
    expect(count(after)).toBe(count(before) + 1);
  });

  it('attachUploadedFile, then removeAttachment, then attachments', async () => {
    const [, , dealId] = await someIds('deal', 3);
    const read = 'query($id: ID!) { deal(id: $id) { attachments { totalCount nodes { fileName } } } }';
    const files = (response: GraphQLResponse) => (response.body.data?.['deal'] as { attachments: { nodes: { fileName: string }[] } }).attachments.nodes.map((n) => n.fileName);
    expect(files(await cachedOnB(read, { id: dealId }))).not.toContain('plan.txt');
    const requested = await ok(
      a,
      'mutation($id: ID!) { requestAttachmentUpload(input: { object: DEAL, recordId: $id, fileName: "plan.txt", contentType: "text/plain", size: 9 }) { upload { id url method headers } } }',
      { id: dealId },
    );
    const upload = (requested.body.data?.['requestAttachmentUpload'] as { upload: { id: string; url: string; method: string; headers: Record<string, string> } }).upload;
    expect((await fetch(upload.url, { method: upload.method, headers: upload.headers, body: 'the plan!' })).ok).toBe(true);
    const attached = await ok(a, 'mutation($id: ID!, $u: ID!) { attachUploadedFile(input: { object: DEAL, recordId: $id, uploadId: $u }) { attachment { id } userErrors { message } } }', {
      id: dealId,
      u: upload.id,
    });
    const attachmentId = (attached.body.data?.['attachUploadedFile'] as { attachment: { id: string } }).attachment.id;
    expect(files(await ok(b, read, { id: dealId }))).toContain('plan.txt');
    expect(files(await cachedOnB(read, { id: dealId }))).toContain('plan.txt');
    await ok(a, `mutation { removeAttachment(input: { object: DEAL, recordId: "${dealId}", attachmentId: "${attachmentId}" }) { userErrors { message } } }`);
    expect(files(await ok(b, read, { id: dealId }))).not.toContain('plan.txt');
  });

  it('addDealListRecords, then dealList(id) { records }', async () => {
    const created = await ok(a, 'mutation { createDealList(input: { name: "Shortlist", kind: STATIC }) { list { id } } }');
    const listId = (created.body.data?.['createDealList'] as { list: { id: string } }).list.id;
    const [dealId] = await someIds('deal', 1);
    const read = 'query($id: ID!) { dealList(id: $id) { records { totalCount nodes { id: clarifyId } } } }';
    expect((await cachedOnB(read, { id: listId })).body.data).toEqual({ dealList: { records: { totalCount: 0, nodes: [] } } });
    await ok(a, 'mutation($id: ID!, $r: [ID!]!) { addDealListRecords(id: $id, recordIds: $r) { userErrors { message } } }', { id: listId, r: [dealId] });
    expect((await ok(b, read, { id: listId })).body.data).toEqual({ dealList: { records: { totalCount: 1, nodes: [{ id: dealId }] } } });
  });

  it('deletePerson, then deletedPeople(since)', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const [, , , personId] = await someIds('person', 4);
    const read = 'query($since: DateTime) { deletedPeople(since: $since) { nodes { id } } }';
    const ids = (response: GraphQLResponse) => (response.body.data?.['deletedPeople'] as { nodes: { id: string }[] }).nodes.map((n) => n.id);
    expect(ids(await cachedOnB(read, { since }))).not.toContain(personId);
    await ok(a, `mutation { deletePerson(id: "${personId}") { userErrors { message } } }`);
    expect(ids(await ok(b, read, { since }))).toContain(personId);
  });

  it('mergePeople, then person(id: <source>)', async () => {
    const [, , , , into, source] = await someIds('person', 6);
    const read = `{ person(id: "${source}") { id: clarifyId name { fullName } } }`;
    expect((await cachedOnB(read)).body.data?.['person']).toMatchObject({ id: source });
    await ok(a, 'mutation($into: ID!, $s: [ID!]!) { mergePeople(into: $into, sources: $s) { userErrors { message } } }', { into, s: [source] });
    const after = await graphql(b, read);
    expect(after.body.data?.['person'] ?? null).toBeNull();
  });
});

describe('a read whose answer arrives after a concurrent write', () => {
  it('is not stored: the next read on either replica shows the write', async () => {
    const [, , , , , , personId] = await someIds('person', 7);
    const read = 'query($id: ID!) { person(id: $id) { id: clarifyId jobTitle } }';
    await ok(a, 'mutation($id: ID!) { updatePerson(id: $id, input: { jobTitle: "Before" }) { userErrors { message } } }', { id: personId });
    const held = proxy.holdNext((method, path) => method === 'GET' && path.includes(`/person/resources/${personId}`));
    const reading = graphql(b, read, { variables: { id: personId } });
    await held.answered;
    await ok(a, 'mutation($id: ID!) { updatePerson(id: $id, input: { jobTitle: "After" }) { userErrors { message } } }', { id: personId });
    held.release();
    // The held read answers with what it read before the write, as any concurrent read may.
    expect((await reading).body.data).toEqual({ person: { id: personId, jobTitle: 'Before' } });
    for (const replica of [b, a]) {
      const next = await ok(replica, read, { id: personId });
      expect(next.body.data).toEqual({ person: { id: personId, jobTitle: 'After' } });
    }
  });
});
