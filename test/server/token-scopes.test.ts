import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import { createGateway, type Gateway } from '../../src/server/gateway.js';
import { startTenantProxy, type TenantProxy } from '../helpers/tenant-proxy.js';
import { graphql, silentLogger, upstreamTotal } from '../helpers/gateway.js';
import { startStack } from '../helpers/stack.js';

// Token scopes: read runs queries, write adds record mutations, admin adds schema changes,
// merges, bulk deletes and reloads. A refusal is decided from the plan, before any upstream call.
const READ = 'read-token-0123456789';
const WRITE = 'write-token-0123456789';
const ADMIN = 'admin-token-0123456789';
const PLAIN = 'plain-token-0123456789';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** GET /schemas requests the sandbox has served. */
async function schemaReads(sandbox: RunningSandbox): Promise<number> {
  const response = await fetch(`${sandbox.origin}/__sandbox/stats`);
  const stats = (await response.json()) as { byRoute: Record<string, number> };
  return Object.entries(stats.byRoute)
    .filter(([route]) => /^GET \S*\/schemas$/.test(route))
    .reduce((sum, [, count]) => sum + count, 0);
}

let sandbox: RunningSandbox;
let gateway: Gateway;

beforeAll(async () => {
  const stack = await startStack(
    { allowUnauthenticated: false, tokens: [{ token: READ, scope: 'read' }, { token: WRITE, scope: 'write' }, { token: ADMIN, scope: 'admin' }, PLAIN] },
    // Asynchronous schema changes stay pending until a test moves the sandbox's clock.
    { schemaApplyDelayMs: 3_600_000 },
  );
  ({ sandbox, gateway } = stack);
  return stack.close;
});

/** Each with the upstream calls it makes for an admin token (a schema change that applied reloads the schema). */
const ADMINISTRATIVE: { name: string; query: string; variables?: Record<string, unknown>; calls: number }[] = [
  {
    name: 'createCustomField (inline)',
    query: 'mutation { createCustomField(input: { object: "person", name: "scoped_tier", type: TEXT }) { change { status } userErrors { code } } }',
    calls: 2,
  },
  {
    name: 'editSelectOptions (variables)',
    query: 'mutation($input: EditSelectOptionsInput!) { editSelectOptions(input: $input) { change { status } userErrors { code } } }',
    variables: { input: { object: 'company', field: 'industry', add: ['Scoped'], wait: false } },
    calls: 1,
  },
  {
    name: 'createCustomObject (variables)',
    query: 'mutation($input: CreateCustomObjectInput!) { createCustomObject(input: $input) { change { status } userErrors { code } } }',
    variables: { input: { name: 'Scoped Thing', plural: 'Scoped Things' } },
    calls: 2,
  },
  {
    name: 'mergePeople (inline)',
    query: 'mutation { mergePeople(into: "p-none-1", sources: ["p-none-2"]) { userErrors { code } } }',
    calls: 1,
  },
  {
    name: 'deletePeople (variables)',
    query: 'mutation($ids: [ID!]!) { deletePeople(ids: $ids) { deletedIds userErrors { code } } }',
    variables: { ids: ['p-none-1', 'p-none-2'] },
    calls: 1,
  },
  {
    name: 'a record write beside a bulk delete',
    query: 'mutation { createPerson(input: { jobTitle: "Scoped" }) { record { id } } deleteCompanies(ids: ["c-none-1"]) { deletedIds } }',
    calls: 2,
  },
];

describe('administrative operations', () => {
  for (const operation of ADMINISTRATIVE) {
    it(`${operation.name}: refused for read, write and plain tokens with 0 upstream calls, run for admin`, async () => {
      for (const token of [READ, WRITE, PLAIN]) {
        const before = await upstreamTotal(sandbox);
        const refused = await graphql(gateway, operation.query, { variables: operation.variables, headers: bearer(token) });
        expect(refused.status).toBe(403);
        expect(refused.body.data).toBeUndefined();
        expect(refused.body.errors).toEqual([
          expect.objectContaining({ message: expect.stringMatching(/needs a gateway token with the "admin" scope/), extensions: expect.objectContaining({ code: 'FORBIDDEN', requiredScope: 'admin' }) }),
        ]);
        expect(refused.body.extensions?.['cost']).toMatchObject({ actualCalls: 0, upstreamRequests: 0 });
        expect(await upstreamTotal(sandbox)).toBe(before);
      }
      const before = await upstreamTotal(sandbox);
      const allowed = await graphql(gateway, operation.query, { variables: operation.variables, headers: bearer(ADMIN) });
      expect(allowed.body.errors).toBeUndefined();
      expect(allowed.status).toBe(200);
      expect(await upstreamTotal(sandbox)).toBe(before + operation.calls);
    });
  }
});

describe('record mutations and queries', () => {
  const create = 'mutation($input: CreatePersonInput!) { createPerson(input: $input) { record { jobTitle } userErrors { code } } }';

  it('refuses a record mutation for a read token with 0 calls, and runs it for write, plain and admin tokens', async () => {
    const before = await upstreamTotal(sandbox);
    const refused = await graphql(gateway, create, { variables: { input: { jobTitle: 'Read Only' } }, headers: bearer(READ) });
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'write' });
    const inline = await graphql(gateway, 'mutation { updatePerson(id: "p-1", input: { jobTitle: "X" }) { record { id } } }', { headers: bearer(READ) });
    expect(inline.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    // An id no record can have is the caller's business only once the scope lets it run the mutation.
    const badId = await graphql(gateway, 'mutation($id: ID!) { updatePerson(id: $id, input: { jobTitle: "X" }) { record { id } } }', { variables: { id: '..' }, headers: bearer(READ) });
    expect(badId.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(await upstreamTotal(sandbox)).toBe(before);
    for (const token of [WRITE, PLAIN, ADMIN]) {
      const created = await graphql(gateway, create, { variables: { input: { jobTitle: `Writer ${token.slice(0, 5)}` } }, headers: bearer(token) });
      expect(created.body.errors).toBeUndefined();
      expect(created.body.data).toEqual({ createPerson: { record: { jobTitle: `Writer ${token.slice(0, 5)}` }, userErrors: [] } });
    }
  });

  it('runs queries for a read token', async () => {
    const answer = await graphql(gateway, 'query($n: Int!) { deals(first: $n) { nodes { name } } }', { variables: { n: 2 }, headers: bearer(READ) });
    expect(answer.body.errors).toBeUndefined();
    expect((answer.body.data?.['deals'] as { nodes: unknown[] }).nodes).toHaveLength(2);
  });
});

describe('POST /admin/reload-schema', () => {
  it('accepts an admin-scoped gateway token and refuses a write token', async () => {
    const reload = (token: string) => gateway.fetch('http://localhost/admin/reload-schema', { method: 'POST', headers: bearer(token) });
    expect((await reload(WRITE)).status).toBe(401);
    expect((await reload(READ)).status).toBe(401);
    const before = await schemaReads(sandbox);
    const accepted = await reload(ADMIN);
    expect(accepted.status).toBe(200);
    expect(await schemaReads(sandbox)).toBe(before + 1);
  });
});

describe('schemaChange(id)', () => {
  it('reloads the schema once the job has finished, and once per job however often it is asked', async () => {
    const edited = await graphql(
      gateway,
      'mutation { editSelectOptions(input: { object: "deal", field: "stage", add: ["Parked"], wait: false }) { change { id status } schemaReloaded } }',
      { headers: bearer(ADMIN) },
    );
    const change = (edited.body.data?.['editSelectOptions'] as { change: { id: string; status: string }; schemaReloaded: boolean });
    expect(change).toMatchObject({ change: { status: 'PENDING' }, schemaReloaded: false });
    const ask = () => graphql(gateway, 'query($id: ID!) { schemaChange(id: $id) { status } }', { variables: { id: change.change.id }, headers: bearer(READ) });

    const beforePending = await schemaReads(sandbox);
    for (let i = 0; i < 5; i++) expect((await ask()).body.data).toEqual({ schemaChange: { status: 'PENDING' } });
    expect(await schemaReads(sandbox)).toBe(beforePending);

    await fetch(`${sandbox.origin}/__sandbox/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 3_600_001 }) });
    const before = await schemaReads(sandbox);
    const answers = await Promise.all(Array.from({ length: 10 }, ask));
    for (let i = 0; i < 10; i++) answers.push(await ask());
    for (const answer of answers) expect(answer.body.data).toEqual({ schemaChange: { status: 'APPLIED' } });
    expect(await schemaReads(sandbox)).toBe(before + 1);
    const enumValues = await graphql(gateway, '{ __type(name: "DealStage") { enumValues { name } } }', { headers: bearer(READ) });
    expect(JSON.stringify(enumValues.body.data)).toContain('PARKED');
  });
});

describe('schemaChange(id) in pass-through mode', () => {
  let tenants: RunningSandbox[];
  let proxy: TenantProxy;
  let passThrough: Gateway;
  const keys = ['api-key tenant-one', 'api-key tenant-two'] as const;

  beforeAll(async () => {
    tenants = await Promise.all(
      [1, 2].map((seed) => startSandbox({ port: 0, host: '127.0.0.1', seed, rateLimitPerMinute: 1_000_000, schemaApplyDelayMs: 3_600_000 })),
    );
    proxy = await startTenantProxy({ [keys[0]]: tenants[0]!, [keys[1]]: tenants[1]! });
    passThrough = await createGateway({ apiUrl: proxy.apiUrl, workspace: 'demo', logger: silentLogger, processMetrics: false, schemaReloadIntervalSeconds: 600 });
  });

  afterAll(async () => {
    await passThrough?.close();
    await proxy?.close();
    await Promise.all((tenants ?? []).map((tenant) => tenant.close()));
  });

  it("reloads only the caller's own schema", async () => {
    const [one, two] = tenants as [RunningSandbox, RunningSandbox];
    const as = (key: string) => ({ authorization: key });
    const edited = await graphql(
      passThrough,
      'mutation { editSelectOptions(input: { object: "deal", field: "stage", add: ["Parked"], wait: false }) { change { id } } }',
      { headers: as(keys[0]) },
    );
    const id = (edited.body.data?.['editSelectOptions'] as { change: { id: string } }).change.id;
    await graphql(passThrough, '{ deals(first: 1) { nodes { name } } }', { headers: as(keys[1]) });
    const before = { one: await schemaReads(one), two: await schemaReads(two) };

    await fetch(`${one.origin}/__sandbox/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 3_600_001 }) });
    for (let i = 0; i < 3; i++) {
      const polled = await graphql(passThrough, 'query($id: ID!) { schemaChange(id: $id) { status } }', { variables: { id }, headers: as(keys[0]) });
      expect(polled.body.data).toEqual({ schemaChange: { status: 'APPLIED' } });
    }
    await graphql(passThrough, '{ deals(first: 1) { nodes { name } } }', { headers: as(keys[1]) });
    const stage = await graphql(passThrough, '{ __type(name: "DealStage") { enumValues { name } } }', { headers: as(keys[0]) });
    expect(JSON.stringify(stage.body.data)).toContain('PARKED');
    // The first tenant's schema was read again once; the second tenant's not at all.
    expect({ one: await schemaReads(one), two: await schemaReads(two) }).toEqual({ one: before.one + 1, two: before.two });
  });
});
