import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { gatewayOver, postBody, startTestSandbox, type GraphQLResponse } from '../helpers/gateway.js';
import { redisAvailable } from '../helpers/redis-availability.js';

// Automatic persisted queries register a document only for an authenticated caller, only once
// it parsed and validated, and only up to a size; both stores are bounded in bytes.

const TOKEN = 'apq-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const APQ = { maxDocumentBytes: 300, maxBytes: 600, ttlSeconds: 3600 };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const byHash = (hash: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
const codeOf = (response: GraphQLResponse) => response.body.errors?.[0]?.extensions?.['code'];

/** A valid document of exactly `bytes` bytes, distinct per `n`. */
function documentOf(n: number, bytes = 200): string {
  const head = `query Doc${n}($first: Int!) { people(first: $first) { nodes { id } } `;
  const alias = (i: number) => `a${i}: users(first: 1) { nodes { id } } `;
  let body = head;
  for (let i = 0; body.length + alias(i).length + 1 <= bytes; i += 1) body += alias(i);
  return `${body}}`.padEnd(bytes, ' ');
}

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

const post = (gateway: Gateway, body: Record<string, unknown>, headers: Record<string, string> = AUTH) => postBody(gateway, body, headers);

async function outcomes(gateway: Gateway): Promise<Record<string, number>> {
  const metric = await gateway.metrics.registry.getSingleMetric('clarify_graphql_apq_registrations_total')!.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels['outcome']), v.value]));
}

/** Whether the hash alone runs (registered) or is asked for again (PERSISTED_QUERY_NOT_FOUND). */
async function known(gateway: Gateway, document: string): Promise<boolean> {
  const answer = await post(gateway, { ...byHash(sha256(document)), variables: { first: 1 } });
  if (codeOf(answer) === 'PERSISTED_QUERY_NOT_FOUND') return false;
  expect(answer.body.errors, answer.text).toBeUndefined();
  return true;
}

/** The three refused registrations: unauthenticated, invalid (parse and validation), oversized. */
async function refusedRegistrations(gateway: Gateway): Promise<string[]> {
  const unauthenticated = documentOf(1);
  const unparsable = '{ people(first: 2) { nodes { id }';
  const invalid = 'query($first: Int!) { people(first: $first) { nodes { nope } } }';
  const oversized = documentOf(2, 400);
  expect((await post(gateway, { query: unauthenticated, ...byHash(sha256(unauthenticated)), variables: { first: 1 } }, {})).status).toBe(401);
  expect(codeOf(await post(gateway, { query: unparsable, ...byHash(sha256(unparsable)) }))).toBe('GRAPHQL_PARSE_FAILED');
  expect(codeOf(await post(gateway, { query: invalid, ...byHash(sha256(invalid)), variables: { first: 1 } }))).toBe('GRAPHQL_VALIDATION_FAILED');
  // An oversized document still runs; it is only not registered.
  const ran = await post(gateway, { query: oversized, ...byHash(sha256(oversized)), variables: { first: 1 } });
  expect(ran.body.errors, ran.text).toBeUndefined();
  return [unauthenticated, unparsable, invalid, oversized];
}

describe('APQ registrations in the process', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    gateway = await gatewayOver(sandbox, { tokens: [TOKEN], allowUnauthenticated: false, trustedDocuments: { apq: APQ } });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('refuses unauthenticated, unparsable, invalid and oversized registrations, keeps none, and counts each', async () => {
    for (const document of await refusedRegistrations(gateway)) expect(await known(gateway, document)).toBe(false);
    expect(await outcomes(gateway)).toEqual({ unauthenticated: 1, invalid: 2, 'too-large': 1 });
  });

  it('registers an authenticated, valid document, inline or with variables, and runs its hash alone', async () => {
    const inline = '{ companies(first: 1) { nodes { id } } }';
    expect((await post(gateway, { query: inline, ...byHash(sha256(inline)) })).body.errors).toBeUndefined();
    const answer = await post(gateway, byHash(sha256(inline)));
    expect((answer.body.data?.['companies'] as { nodes: unknown[] }).nodes).toHaveLength(1);
    const withVariables = documentOf(3);
    expect((await post(gateway, { query: withVariables, ...byHash(sha256(withVariables)), variables: { first: 1 } })).body.errors).toBeUndefined();
    expect(await known(gateway, withVariables)).toBe(true);
    expect((await outcomes(gateway))['registered']).toBe(2);
  });

  it('keeps at most maxBytes of documents, dropping the least recently used first', async () => {
    const documents = [10, 11, 12, 13].map((n) => documentOf(n));
    for (const document of documents) expect((await post(gateway, { query: document, ...byHash(sha256(document)), variables: { first: 1 } })).body.errors).toBeUndefined();
    // 4 × 200 bytes against 600: the first is gone, the last three stay.
    expect(await Promise.all(documents.map((document) => known(gateway, document)))).toEqual([false, true, true, true]);
  });
});

describe('APQ registrations in Redis', () => {
  let redis: TestRedis;
  let raw: Redis;
  let replicas: Gateway[];

  beforeAll(async () => {
    redis = await startRedis();
    raw = new Redis(redis.url, { keyPrefix: 'apq-bounds:' });
    replicas = await Promise.all(
      [0, 1].map(() =>
        gatewayOver(sandbox, { tokens: [TOKEN], allowUnauthenticated: false, redis: { url: redis.url, keyPrefix: 'apq-bounds:' }, trustedDocuments: { apq: APQ } }),
      ),
    );
    await redisAvailable(replicas.map((r) => r.redis), true);
  });
  afterAll(async () => {
    await Promise.all((replicas ?? []).map((r) => r.close()));
    raw?.disconnect();
    await redis?.stop();
  });

  it('stores nothing for refused registrations, on this replica or another', async () => {
    const refused = await refusedRegistrations(replicas[0]!);
    expect(await raw.hlen('td:apq:docs')).toBe(0);
    expect(await raw.zcard('td:apq:expiry')).toBe(0);
    for (const document of refused) expect(await known(replicas[1]!, document)).toBe(false);
  });

  it('stores a registration with its expiry, runs it by hash on the other replica, and keeps at most maxBytes in all', async () => {
    const first = documentOf(20);
    expect((await post(replicas[0]!, { query: first, ...byHash(sha256(first)), variables: { first: 1 } })).body.errors).toBeUndefined();
    expect(await known(replicas[1]!, first)).toBe(true);
    const [seconds] = await raw.time();
    const expires = Number(await raw.zscore('td:apq:expiry', sha256(first)));
    expect(expires - Number(seconds) * 1000).toBeGreaterThan((APQ.ttlSeconds - 60) * 1000);
    expect(expires - Number(seconds) * 1000).toBeLessThanOrEqual(APQ.ttlSeconds * 1000 + 1000);

    const later = [21, 22, 23].map((n) => documentOf(n));
    for (const [index, document] of later.entries()) {
      const replica = replicas[index % 2]!;
      expect((await post(replica, { query: document, ...byHash(sha256(document)), variables: { first: 1 } })).body.errors).toBeUndefined();
    }
    const lengths = await Promise.all([first, ...later].map((document) => raw.hstrlen('td:apq:docs', sha256(document))));
    expect(lengths).toEqual([0, ...later.map((document) => Buffer.byteLength(document))]);
    expect(Number(await raw.get('td:apq:bytes'))).toBe(lengths.reduce((a, b) => a + b, 0));
    expect(Number(await raw.get('td:apq:bytes'))).toBeLessThanOrEqual(APQ.maxBytes);
  });
});
