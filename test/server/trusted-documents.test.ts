import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { preset as clientPreset } from '@graphql-codegen/client-preset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { createGateway, type Gateway } from '../../src/server/gateway.js';
import { parseAllowList } from '../../src/server/trusted-documents.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { gatewayOver, postBody, silentLogger, startTestSandbox, upstreamTotal, type GraphQLResponse } from '../helpers/gateway.js';
import { redisAvailable } from '../helpers/redis-availability.js';

/** The listed document as the client preset printed it into the manifest (set in beforeAll). */
let LISTED: string;
/** Its id as the client preset writes it, and as its generated `__meta__.hash` sends it: `sha256:<hex>`. */
let LISTED_ID: string;
const OTHER = '{ companies(first: 2) { nodes { id } } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let sandbox: RunningSandbox;
let file: string;

const post = (gateway: Gateway, body: Record<string, unknown>, headers: Record<string, string> = {}) => postBody(gateway, body, headers);

const byHash = (hash: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
const codeOf = (response: GraphQLResponse) => response.body.errors?.[0]?.extensions?.['code'];

beforeAll(async () => {
  sandbox = await startTestSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'trusted-documents-'));
  // The allow-list as GraphQL Code Generator's client preset writes it, from a client's document
  // against the committed schema.
  writeFileSync(join(dir, 'people.graphql'), 'query ListedPeople {\n  people(first: 2) {\n    nodes {\n      id\n    }\n  }\n}\n');
  await generate(
    {
      cwd: dir,
      silent: true,
      schema: join(fileURLToPath(new URL('../..', import.meta.url)), 'schema', 'schema.graphql'),
      documents: [join(dir, '*.graphql')],
      generates: { [join(dir, 'gql/')]: { preset: clientPreset, presetConfig: { persistedDocuments: true } } },
    },
    true,
  );
  file = join(dir, 'gql', 'persisted-documents.json');
  const written = Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
  expect(written).toHaveLength(1);
  [LISTED_ID, LISTED] = written[0] as [string, string];
  // What the generated client sends as its documentId.
  expect(readFileSync(join(dir, 'gql', 'graphql.ts'), 'utf8')).toContain(`"hash":"${LISTED_ID}"`);
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
});

describe('trusted documents only', () => {
  let gateway: Gateway;
  let passThrough: Gateway;

  beforeAll(async () => {
    gateway = await gatewayOver(sandbox, { trustedDocuments: { file, only: true } });
    passThrough = await createGateway({
      apiUrl: sandbox.apiUrl,
      workspace: sandbox.workspace,
      logger: silentLogger,
      processMetrics: false,
      trustedDocuments: { file, only: true },
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await passThrough?.close();
  });

  it('runs a listed document by its hash, as APQ extension or documentId', async () => {
    const viaExtension = await post(gateway, byHash(sha256(LISTED)));
    expect(viaExtension.status).toBe(200);
    expect((viaExtension.body.data?.['people'] as { nodes: unknown[] }).nodes).toHaveLength(2);
    const viaDocumentId = await post(gateway, { documentId: LISTED_ID });
    expect(viaDocumentId.body.data).toEqual(viaExtension.body.data);
    const viaBareDocumentId = await post(gateway, { documentId: sha256(LISTED) });
    expect(viaBareDocumentId.body.data).toEqual(viaExtension.body.data);
  });

  it("keys the client preset's file by sha256:<hex>, the hash of the document it lists", () => {
    expect(LISTED_ID).toBe(`sha256:${sha256(LISTED)}`);
  });

  it('refuses an unlisted id and any document of its own before parsing, with 0 upstream calls', async () => {
    const headers = { authorization: `api-key ${sandbox.apiKey}` };
    const before = await upstreamTotal(sandbox);
    const unlisted = await post(passThrough, byHash(sha256(OTHER)), headers);
    expect(unlisted.status).toBe(400);
    expect(codeOf(unlisted)).toBe('PERSISTED_QUERY_NOT_FOUND');
    const arbitrary = await post(passThrough, { query: OTHER }, headers);
    expect(arbitrary.status).toBe(403);
    expect(codeOf(arbitrary)).toBe('FORBIDDEN');
    const listedWithBody = await post(passThrough, { query: LISTED, ...byHash(sha256(LISTED)) }, headers);
    expect(codeOf(listedWithBody)).toBe('FORBIDDEN');
    const malformed = await post(passThrough, { query: '{ not graphql' }, headers);
    expect(codeOf(malformed)).toBe('FORBIDDEN');
    expect(await upstreamTotal(sandbox)).toBe(before);
    const listed = await post(passThrough, byHash(sha256(LISTED)), headers);
    expect(listed.body.errors).toBeUndefined();
  });

  it('refuses to start with an allow-list file it cannot read or understand', async () => {
    const bad = join(file, '..', 'bad.json');
    writeFileSync(bad, JSON.stringify({ a: 1 }));
    await expect(gatewayOver(sandbox, { trustedDocuments: { file: bad, only: true } })).rejects.toThrow(/expected a JSON object mapping document ids to documents/);
    await expect(gatewayOver(sandbox, { trustedDocuments: { file: join(file, '..', 'missing.json'), only: true } })).rejects.toThrow(/could not be read/);
  });
});

describe('automatic persisted queries (trusted documents only off)', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    gateway = await gatewayOver(sandbox);
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('asks for the document once, registers it with its hash, then runs the hash alone', async () => {
    const hash = sha256(OTHER);
    const unknown = await post(gateway, byHash(hash));
    expect(codeOf(unknown)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(unknown.body.errors?.[0]?.message).toBe('PersistedQueryNotFound');
    const registered = await post(gateway, { query: OTHER, ...byHash(hash) });
    expect(registered.body.errors).toBeUndefined();
    const again = await post(gateway, byHash(hash));
    expect(again.body.data).toEqual(registered.body.data);
  });

  it('refuses a hash that does not match the document, and still runs plain documents', async () => {
    const mismatch = await post(gateway, { query: OTHER, ...byHash(sha256(LISTED)) });
    expect(mismatch.status).toBe(400);
    expect(codeOf(mismatch)).toBe('BAD_USER_INPUT');
    const plain = await post(gateway, { query: LISTED });
    expect(plain.body.errors).toBeUndefined();
  });
});

describe('trusted documents shared through Redis', () => {
  let redis: TestRedis;
  let withFile: Gateway;
  let withoutFile: Gateway;
  let apqA: Gateway;
  let apqB: Gateway;

  beforeAll(async () => {
    redis = await startRedis();
    const shared = { redis: { url: redis.url, keyPrefix: 'documents:' } };
    [withFile, withoutFile, apqA, apqB] = await Promise.all([
      gatewayOver(sandbox, { ...shared, trustedDocuments: { file, only: true } }),
      gatewayOver(sandbox, { ...shared, trustedDocuments: { only: true } }),
      gatewayOver(sandbox, { redis: { url: redis.url, keyPrefix: 'apq:' } }),
      gatewayOver(sandbox, { redis: { url: redis.url, keyPrefix: 'apq:' } }),
    ]);
    await redisAvailable([withFile, withoutFile, apqA, apqB].map((g) => g.redis), true);
  });

  afterAll(async () => {
    await Promise.all([withFile, withoutFile, apqA, apqB].map((g) => g?.close()));
    await redis?.stop();
  });

  it('a replica without the file serves the allow-list another replica stored in Redis', async () => {
    // The replica with the file stores its allow-list in Redis at start, in the background.
    await expect.poll(async () => (await post(withoutFile, byHash(sha256(LISTED)))).body.errors, { timeout: 5000, interval: 50 }).toBeUndefined();
    expect(codeOf(await post(withoutFile, byHash(sha256(OTHER))))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('a document registered by APQ on one replica runs by hash on another', async () => {
    const query = '{ deals(first: 1) { nodes { id } } }';
    expect((await post(apqA, { query, ...byHash(sha256(query)) })).body.errors).toBeUndefined();
    const elsewhere = await post(apqB, byHash(sha256(query)));
    expect(elsewhere.body.errors).toBeUndefined();
    expect((elsewhere.body.data?.['deals'] as { nodes: unknown[] }).nodes).toHaveLength(1);
  });
});

describe('an Apollo persisted-query manifest', () => {
  it('serves its documents by bare id and by sha256:<hex>', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apollo-manifest-'));
    const manifestFile = join(dir, 'persisted-query-manifest.json');
    const body = 'query ManifestCompanies { companies(first: 1) { nodes { id } } }';
    writeFileSync(
      manifestFile,
      JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: sha256(body), name: 'ManifestCompanies', type: 'query', body }] }),
    );
    const gateway = await gatewayOver(sandbox, { trustedDocuments: { file: manifestFile, only: true } });
    try {
      for (const request of [byHash(sha256(body)), { documentId: `sha256:${sha256(body)}` }, { documentId: sha256(body) }]) {
        const answer = await post(gateway, request);
        expect(answer.body.errors).toBeUndefined();
        expect((answer.body.data?.['companies'] as { nodes: unknown[] }).nodes).toHaveLength(1);
      }
    } finally {
      await gateway.close();
    }
  });
});

describe('allow-list formats', () => {
  it('reads an id → document map and an Apollo persisted-query manifest', () => {
    expect([...parseAllowList(JSON.stringify({ abc: LISTED }), 'x')]).toEqual([['abc', LISTED]]);
    expect([...parseAllowList(JSON.stringify({ 'sha256:abc': LISTED }), 'x')]).toEqual([['abc', LISTED]]);
    const manifest = { format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'op1', name: 'People', type: 'query', body: LISTED }] };
    expect([...parseAllowList(JSON.stringify(manifest), 'x')]).toEqual([['op1', LISTED]]);
    expect(() => parseAllowList('{', 'list.json')).toThrow(/list.json: not JSON/);
    expect(() => parseAllowList(JSON.stringify({ operations: [{ id: 1 }] }), 'm.json')).toThrow(/operations\[0\] needs a string id and body/);
  });
});
